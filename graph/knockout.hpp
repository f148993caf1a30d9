#pragma once
// Knockouts: what forcing a = 0 on a node (or on a group of nodes at once) costs in availability.
//
// Only the knocked-out nodes' downstream can change, and a node whose recomputed values are
// unchanged stops the wave, so each knockout touches a small part of the graph. Components are
// visited in topological order and every node is recomputed with node_supply()'s arithmetic,
// for up to four knockouts at once (knockout_lanes.hpp).
// a and e are independent systems (neither reads the other) and evaluate() solves each cycle for
// each to its own tolerance, so the engine runs them as separate waves: the ranking, which
// needs a alone, pays for nothing else. d never changes under a knockout. A cyclic component
// that is reached is solved again from 1 with evaluate()'s sweeps and stopping rule (the part of
// each sum that comes from outside the cycle formed once: node_supply() adds it first). So the
// results equal the full recomputation bit for bit.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "knockout_lanes.hpp"
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
  std::uint32_t touched = 0;  // nodes whose a changed (the size of the knockout's wave)
};

// What a run of knockouts computes: every figure; those of a alone (effective_loss left 0),
// which is all a ranking or a bound needs; or effective_loss alone (the rest left 0), for the
// ranked few once the ranking is done.
enum class KnockoutFigures { all, availability_only, effective_only };

class KnockoutEngine {
 public:
  // base must be evaluate(graph) of the same graph. One engine per thread; engines of one graph
  // may share one layout (built here when none is given).
  KnockoutEngine(const SupplyGraph& graph, const NodeValues& base, std::shared_ptr<const KnockoutLayout> layout = nullptr);
  KnockoutImpact knock_out(std::span<const NodeId> members);
  // The sets in waves of knockout_lanes consecutive sets, each set in a lane of its own; every
  // one's figures are the bits knock_out() gives it alone, in the order of the sets. Knockouts
  // whose waves overlap (several that reach the same large cycle) cost little more together than
  // one alone.
  std::vector<KnockoutImpact> knock_out_together(std::span<const std::span<const NodeId>> sets,
                                                 KnockoutFigures figures = KnockoutFigures::all);
  // Values after the last wave of knockouts, for every node: `lane` l holds the set l of that
  // wave (the sets from the last multiple of knockout_lanes on). Valid until the next call; e
  // only when it was computed.
  [[nodiscard]] double availability_after(NodeId v, std::size_t lane = 0) const {
    return availability_.current[layout_->position(v)][lane];
  }
  [[nodiscard]] double effective_after(NodeId v, std::size_t lane = 0) const {
    return effective_.current[layout_->position(v)][lane];
  }

 private:
  enum class Quantity { availability, effective };
  // One quantity's values in every lane, by position (a wave writes them front to back), and the
  // nodes where they may differ from base, restored before that quantity's next wave.
  struct Lanes {
    std::vector<LaneDoubles> current;
    std::vector<std::uint32_t> changed;
    std::vector<std::uint64_t> changed_bits;  // the same nodes, a bit each
  };
  // At most knockout_lanes sets, one wave of one quantity; adds its figures to `impacts`.
  void knock_out_wave(std::span<const std::span<const NodeId>> sets, Quantity quantity,
                      std::span<KnockoutImpact> impacts);
  // The quantity's values, made (at base) on first use: e's may never be needed.
  Lanes& lanes_of(Quantity quantity);
  [[nodiscard]] double base_value(Quantity quantity, std::uint32_t position) const {
    return quantity == Quantity::availability ? base_by_position_[position].availability
                                              : base_by_position_[position].effective;
  }
  // Of the wave's quantity.
  [[nodiscard]] double base_value(std::uint32_t position) const { return base_value(quantity_, position); }
  void schedule(std::uint32_t component);
  // Nodes are named by their positions in the topological order (the layout's) from here on.
  void schedule_consumers(std::uint32_t position);
  // The scheduled component with the smallest topological index (consumers always come later, so
  // the queue only moves forward during one knockout); false when none is left.
  bool next_scheduled(std::uint32_t& component);
  void solve_component(std::uint32_t c);
  void solve_cycle(std::uint32_t c);
  // The lanes in which a cyclic component has something to do: a member knocked out, or a
  // supplier whose value is not the base one (its members still have theirs). A foreign
  // member knocked out changes nothing in e's waves: its e is 0 in every sweep.
  [[nodiscard]] LaneMask lanes_moved_into(std::uint32_t begin_position, std::uint32_t end_position) const;
  // Once a wave has changed a good part of the graph, pulling is cheaper than pushing: every
  // component from `first` on is solved again when it was scheduled or one of its suppliers has
  // changed, read off the changed bits in topological order, and nothing is scheduled.
  void pull_rest(std::uint32_t first);
  [[nodiscard]] bool supplier_changed(std::uint32_t begin_position, std::uint32_t end_position) const;
  // node_supply()'s value of the wave's quantity from the layout, in every lane: the same bits.
  // A cycle's member (in_cycle) starts from the outside sums of the cycle being solved.
  template <bool in_cycle>
  [[nodiscard]] LaneDoubles recompute(std::uint32_t position) const;
  template <bool in_cycle>
  [[nodiscard]] LaneDoubles recompute_availability(std::uint32_t position) const;
  template <bool in_cycle>
  [[nodiscard]] LaneDoubles recompute_effective(std::uint32_t position) const;
  // Each requirement's sum over the suppliers outside the cycle at [begin, end) of the order,
  // started from its unmapped share (0 for e), into outside_sums_.
  void form_outside_sums(std::uint32_t begin_position, std::uint32_t end_position);
  // Stores u as the node's value; true when some lane differs from what it had.
  bool store(std::uint32_t position, const LaneDoubles& u);
  // The node may differ from base in some lane: restored before the quantity's next wave and
  // counted in the sums.
  void mark_changed(std::uint32_t position);
  const SupplyGraph& g_;
  std::vector<Supply> base_by_position_;  // base a and e
  Lanes availability_, effective_;
  Quantity quantity_ = Quantity::availability;  // of the wave being computed
  Lanes* lanes_ = &availability_;               // its values
  // Components waiting, a bit per component, and a bit per word of it that is not empty.
  std::vector<std::uint64_t> scheduled_, scheduled_words_;
  std::size_t scan_from_ = 0;             // no word of scheduled_words_ below this is non-empty
  bool pulling_ = false;                  // inside pull_rest(): consumers are not scheduled
  std::vector<LaneDoubles> previous_;     // a cyclic component's values before it is solved again
  std::vector<LaneDoubles> outside_sums_; // by requirement of the cycle being solved
  std::uint32_t cycle_first_requirement_ = 0;
  std::vector<std::uint8_t> out_lanes_;   // by position, bit l: knocked out in lane l
  std::shared_ptr<const KnockoutLayout> layout_;
};

// Engines for the threads of a run of knockouts, each made on its own thread when first needed and
// kept for the next call (the certified ranking knocks out batch after batch).
class KnockoutPool {
 public:
  // threads = 0 means all cores.
  KnockoutPool(const SupplyGraph& graph, const NodeValues& base, unsigned threads);
  ~KnockoutPool();
  // The sets in waves of knockout_lanes consecutive sets (knockouts that reach the same cycle
  // cost little more together than one alone), the threads taking waves in turn; every set's
  // figures are the bits knock_out() gives it alone, in the order of the sets, whatever the
  // thread count. A thread takes `waves_per_turn` consecutive waves at a time. `finished(count)`
  // runs after each turn, on the thread that ran it, with the number of sets it held.
  std::vector<KnockoutImpact> knock_out(std::span<const std::span<const NodeId>> sets,
                                        const std::function<void(std::size_t)>& finished = {},
                                        std::size_t waves_per_turn = 1,
                                        KnockoutFigures figures = KnockoutFigures::all);

 private:
  const SupplyGraph& g_;
  const NodeValues& base_;
  unsigned threads_;
  std::shared_ptr<const KnockoutLayout> layout_;
  std::vector<std::unique_ptr<KnockoutEngine>> engines_;  // by thread
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
