#pragma once
// Knockouts: what forcing a = 0 on a node (or on a group of nodes at once) costs in availability.
//
// Only the knocked-out nodes' downstream can change, and a node whose recomputed values are
// unchanged stops the wave, so each knockout touches a small part of the graph. Components are
// visited in topological order and every node is recomputed with update_node(), the function
// evaluate() uses. A cyclic component that is reached is solved again from 1 with evaluate()'s
// stopping rule, which looks at d, a and e together: that is why the engine carries all three
// values and not availability alone (with a alone, a cycle can stop a sweep earlier or later than
// the full recomputation and land up to ~1e-12 away). So the results equal the full recomputation
// bit for bit.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "knockout_layout.hpp"
#include "model.hpp"
#include "reliance.hpp"
#include "work_progress.hpp"

namespace scgraph {

struct KnockoutImpact {
  double loss = 0;            // sum over all nodes of w (a - a') / W
  double domestic_loss = 0;   // the same numerator over domestic producers only, same denominator
  double effective_loss = 0;  // sum over all nodes of w (e - e') / W: what effective self-reliance loses
  std::uint32_t hard_dependents = 0;  // nodes outside the knocked-out set with a > 0 before, a' = 0 after
  std::uint32_t touched = 0;  // nodes recomputed (a measure of the work done)
};

class KnockoutEngine {
 public:
  // base must be evaluate(graph) of the same graph. One engine per thread; engines of one graph
  // may share one layout (built here when none is given).
  KnockoutEngine(const SupplyGraph& graph, const NodeValues& base, std::shared_ptr<const KnockoutLayout> layout = nullptr);
  KnockoutImpact knock_out(std::span<const NodeId> members);
  // Values after the last knock_out(), for every node (valid until the next call).
  [[nodiscard]] double availability_after(NodeId v) const { return current_.availability[v]; }
  [[nodiscard]] double effective_after(NodeId v) const { return current_.effective[v]; }

 private:
  void schedule(std::uint32_t component);
  void schedule_consumers(NodeId v);
  // The scheduled component with the smallest topological index (consumers always come later, so
  // the queue only moves forward during one knockout); false when none is left.
  bool next_scheduled(std::uint32_t& component);
  void solve_component(std::uint32_t c);
  // a and e of a node outside any cycle (d never changes under a knockout), with the arithmetic of
  // update_node() in one pass over the entries.
  void update_acyclic(NodeId v);
  // update_node()'s a and e from the layout, d given; the same bits.
  [[nodiscard]] NodeUpdate recompute(NodeId v, double direct) const;
  // Stores u as v's values; true when any of the three differs from what v had.
  bool store(NodeId v, const NodeUpdate& u);
  const SupplyGraph& g_;
  const NodeValues& base_;
  NodeValues current_;
  std::vector<NodeId> changed_;           // nodes whose values may differ from base (to restore)
  std::vector<std::uint64_t> changed_bits_;  // the same nodes, a bit each
  // Components waiting, a bit per component, and a bit per word of it that is not empty.
  std::vector<std::uint64_t> scheduled_, scheduled_words_;
  std::size_t scan_from_ = 0;             // no word of scheduled_words_ below this is non-empty
  std::vector<NodeUpdate> previous_;      // a cyclic component's values before it is solved again
  Knockout knockout_;                     // the members of the current knockout
  std::shared_ptr<const KnockoutLayout> layout_;
};

// Reference: a full evaluation with the members knocked out.
KnockoutImpact naive_knockout(const SupplyGraph& graph, const NodeValues& base, std::span<const NodeId> members);

// Every node knocked out alone; threads = 0 means all cores. Results are independent of threads
// (each node's figures are computed by one engine, whichever thread it runs on).
std::vector<KnockoutImpact> knock_out_each_node(const SupplyGraph& graph, const NodeValues& base, unsigned threads = 0,
                                                WorkProgress* progress = nullptr);

// Each set knocked out as a group (a country, an owner), in parallel like knock_out_each_node();
// results in the order of the sets, independent of threads.
std::vector<KnockoutImpact> knock_out_each_set(const SupplyGraph& graph, const NodeValues& base,
                                               std::span<const std::vector<NodeId>> sets, unsigned threads = 0,
                                               WorkProgress* progress = nullptr);

}  // namespace scgraph
