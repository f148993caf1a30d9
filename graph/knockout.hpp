#pragma once
// Knockouts: what forcing a = 0 on a node (or on a group of nodes at once) costs in availability.
//
// Only the knocked-out nodes' downstream can change, and a node whose recomputed values are
// unchanged stops the wave, so each knockout touches a small part of the graph. Components are
// visited in topological order and every node is recomputed with node_supply()'s arithmetic.
// d never changes under a knockout, so the engine carries a and e alone; a cyclic component that
// is reached is solved again from 1 with evaluate()'s sweeps and stopping rule for a and e. So
// the results equal the full recomputation bit for bit.
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
  [[nodiscard]] double availability_after(NodeId v) const { return current_[v].availability; }
  [[nodiscard]] double effective_after(NodeId v) const { return current_[v].effective; }

 private:
  void schedule(std::uint32_t component);
  void schedule_consumers(NodeId v);
  // The scheduled component with the smallest topological index (consumers always come later, so
  // the queue only moves forward during one knockout); false when none is left.
  bool next_scheduled(std::uint32_t& component);
  void solve_component(std::uint32_t c);
  // Once a wave has changed a good part of the graph, pulling is cheaper than pushing: every
  // component from `first` on is solved again when it was scheduled or one of its suppliers has
  // changed, read off the changed bits in topological order, and nothing is scheduled.
  void pull_rest(std::uint32_t first);
  [[nodiscard]] bool supplier_changed(std::uint32_t begin_position, std::uint32_t end_position) const;
  // A node outside any cycle, at its position in the topological order (= the layout's).
  void update_acyclic(NodeId v, std::uint32_t position);
  // node_supply() from the layout: the same bits.
  [[nodiscard]] Supply recompute(NodeId v, std::uint32_t position) const;
  // Stores u as v's values; true when it differs from what v had.
  bool store(NodeId v, const Supply& u);
  // v may differ from base: restored before the next knockout and counted in the sums.
  void mark_changed(NodeId v);
  const SupplyGraph& g_;
  const NodeValues& base_;
  std::vector<Supply> current_;           // a and e side by side: a supplier's two values in one read
  std::vector<NodeId> changed_;           // nodes whose values may differ from base (to restore)
  std::vector<std::uint64_t> changed_bits_;  // the same nodes, a bit each
  // Components waiting, a bit per component, and a bit per word of it that is not empty.
  std::vector<std::uint64_t> scheduled_, scheduled_words_;
  std::size_t scan_from_ = 0;             // no word of scheduled_words_ below this is non-empty
  bool pulling_ = false;                  // inside pull_rest(): consumers are not scheduled
  std::vector<Supply> previous_;          // a cyclic component's values before it is solved again
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
