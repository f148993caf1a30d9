#include "knockout.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>

#include "parallel.hpp"
#include "whatif.hpp"

namespace scgraph {

KnockoutEngine::KnockoutEngine(const SupplyGraph& graph, const NodeValues& base,
                               std::shared_ptr<const KnockoutLayout> layout)
    : g_(graph),
      scheduled_((graph.components().size() + 63) / 64, 0),
      scheduled_words_((scheduled_.size() + 63) / 64, 0),
      out_lanes_(graph.node_count(), 0),
      layout_(layout ? std::move(layout) : std::make_shared<const KnockoutLayout>(graph)) {
  static_assert(knockout_lanes <= 8, "out_lanes_ holds a bit per lane in a byte");
  auto order = graph.topological_order();
  base_by_position_.resize(order.size());
  for (std::uint32_t p = 0; p < order.size(); ++p)
    base_by_position_[p] = {base.availability[order[p]], base.effective[order[p]]};
  lanes_of(Quantity::availability);
}

KnockoutEngine::Lanes& KnockoutEngine::lanes_of(Quantity quantity) {
  Lanes& lanes = quantity == Quantity::availability ? availability_ : effective_;
  if (lanes.current.empty() && g_.node_count() > 0) {
    lanes.current.resize(g_.node_count());
    for (std::uint32_t p = 0; p < lanes.current.size(); ++p) lanes.current[p] = LaneDoubles::all(base_value(quantity, p));
    lanes.changed_bits.assign((g_.node_count() + 63) / 64, 0);
  }
  return lanes;
}

void KnockoutEngine::schedule(std::uint32_t comp) {
  const std::size_t word = comp >> 6;
  scheduled_[word] |= std::uint64_t{1} << (comp & 63);
  scheduled_words_[word >> 6] |= std::uint64_t{1} << (word & 63);
  scan_from_ = std::min(scan_from_, word >> 6);
}

bool KnockoutEngine::next_scheduled(std::uint32_t& comp) {
  for (; scan_from_ < scheduled_words_.size(); ++scan_from_) {
    std::uint64_t summary = scheduled_words_[scan_from_];
    if (summary == 0) continue;
    const std::size_t word = scan_from_ * 64 + static_cast<std::size_t>(std::countr_zero(summary));
    const std::uint64_t bits = scheduled_[word];
    comp = static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
    scheduled_[word] = bits & (bits - 1);
    if (scheduled_[word] == 0) scheduled_words_[scan_from_] &= summary - 1;
    return true;
  }
  return false;
}

template <bool in_cycle>
LaneDoubles KnockoutEngine::recompute(std::uint32_t at) const {
  LaneDoubles out = quantity_ == Quantity::availability ? recompute_availability<in_cycle>(at)
                                                        : recompute_effective<in_cycle>(at);
  if (const std::uint8_t knocked = out_lanes_[at]) out = select(LaneMask::of(knocked), LaneDoubles::all(0.0), out);
  return out;
}

// A requirement's sum from its start, or, for a cycle's member, from the part outside the cycle
// that solve_cycle() formed: node_supply() adds the same products in the same order, and
// std::min(x, y) is y < x ? y : x, so every lane gets the same bits.
template <bool in_cycle>
LaneDoubles KnockoutEngine::recompute_availability(std::uint32_t at) const {
  const KnockoutLayout& rows = *layout_;
  const std::uint32_t first = rows.first_requirement(at), last = rows.last_requirement(at);
  const LaneDoubles one = LaneDoubles::all(1.0);
  const LaneDoubles* x = lanes_->current.data();
  LaneDoubles avail = one;
  for (std::uint32_t r = first; r < last; ++r) {
    LaneDoubles sum;
    std::uint32_t k;
    if constexpr (in_cycle) {
      sum = outside_sums_[r - cycle_first_requirement_];
      k = rows.inside_entry(r);
    } else {
      sum = LaneDoubles::all(rows.unmapped(r));
      k = rows.first_entry(r);
    }
    for (const std::uint32_t to = rows.last_entry(r); k < to; ++k) sum = sum + rows.product(k) * x[rows.supplier(k)];
    avail = lane_min(avail, lane_min(one, sum));
  }
  return avail;
}

template <bool in_cycle>
LaneDoubles KnockoutEngine::recompute_effective(std::uint32_t at) const {
  const KnockoutLayout& rows = *layout_;
  const std::uint32_t first = rows.first_requirement(at), last = rows.last_requirement(at);
  if (first == last) return LaneDoubles::all(!rows.aggregate(at) && rows.domestic(at) ? 1.0 : 0.0);
  // A foreign producer's e is 0 whatever it buys.
  if (!rows.sums_effective(at)) return LaneDoubles::all(0.0);
  const LaneDoubles* x = lanes_->current.data();
  LaneDoubles effective = LaneDoubles::all(1.0);
  for (std::uint32_t r = first; r < last; ++r) {
    LaneDoubles sum;
    std::uint32_t k;
    if constexpr (in_cycle) {
      sum = outside_sums_[r - cycle_first_requirement_];
      k = rows.inside_entry(r);
    } else {
      sum = LaneDoubles::all(0.0);
      k = rows.first_entry(r);
    }
    for (const std::uint32_t to = rows.last_entry(r); k < to; ++k) sum = sum + rows.product(k) * x[rows.supplier(k)];
    effective = lane_min(effective, sum);
  }
  return effective;
}

void KnockoutEngine::form_outside_sums(std::uint32_t begin, std::uint32_t end) {
  const KnockoutLayout& rows = *layout_;
  cycle_first_requirement_ = rows.first_requirement(begin);
  outside_sums_.resize(rows.first_requirement(end) - cycle_first_requirement_);
  const LaneDoubles* x = lanes_->current.data();
  const bool availability = quantity_ == Quantity::availability;
  for (std::uint32_t i = begin; i < end; ++i) {
    // Members whose e is not a sum never read theirs.
    if (!availability && !rows.sums_effective(i)) continue;
    for (std::uint32_t r = rows.first_requirement(i); r < rows.last_requirement(i); ++r) {
      LaneDoubles sum = LaneDoubles::all(availability ? rows.unmapped(r) : 0.0);
      for (std::uint32_t k = rows.first_entry(r), to = rows.inside_entry(r); k < to; ++k)
        sum = sum + rows.product(k) * x[rows.supplier(k)];
      outside_sums_[r - cycle_first_requirement_] = sum;
    }
  }
}

void KnockoutEngine::schedule_consumers(std::uint32_t p) {
  if (pulling_) return;
  const NodeId v = g_.topological_order()[p];
  const std::uint32_t own = g_.component_of(v);
  // A cyclic component's own members were just solved together; only later components wait.
  for (NodeId c : g_.consumers_of(v))
    if (g_.component_of(c) != own) schedule(g_.component_of(c));
}

void KnockoutEngine::mark_changed(std::uint32_t p) {
  std::uint64_t& word = lanes_->changed_bits[p >> 6];
  const std::uint64_t bit = std::uint64_t{1} << (p & 63);
  if (!(word & bit)) {
    word |= bit;
    lanes_->changed.push_back(p);
  }
}

bool KnockoutEngine::store(std::uint32_t p, const LaneDoubles& u) {
  LaneDoubles& now = lanes_->current[p];
  const bool differs = (u != now).any();
  if (differs) mark_changed(p);
  now = u;
  return differs;
}

void KnockoutEngine::solve_component(std::uint32_t c) {
  const auto& comp = g_.components()[c];
  if (comp.cyclic) {
    solve_cycle(c);
    return;
  }
  if (store(comp.begin, recompute<false>(comp.begin))) schedule_consumers(comp.begin);
}

LaneMask KnockoutEngine::lanes_moved_into(std::uint32_t begin, std::uint32_t end) const {
  const KnockoutLayout& rows = *layout_;
  // A foreign member's e is 0 in every sweep, knocked out or not: it moves nothing.
  const bool foreign_members_move = quantity_ == Quantity::availability;
  std::uint32_t knocked = 0;
  for (std::uint32_t i = begin; i < end; ++i)
    if (foreign_members_move || rows.sums_effective(i)) knocked |= out_lanes_[i];
  LaneMask moved = LaneMask::of(knocked);
  const std::uint32_t last = rows.first_entry(rows.first_requirement(end));
  for (std::uint32_t k = rows.first_entry(rows.first_requirement(begin)); k < last; ++k) {
    const std::uint32_t s = rows.supplier(k);
    if (!(lanes_->changed_bits[s >> 6] & (std::uint64_t{1} << (s & 63)))) continue;
    moved |= lanes_->current[s] != LaneDoubles::all(base_value(s));
  }
  return moved;
}

void KnockoutEngine::solve_cycle(std::uint32_t c) {
  const auto& comp = g_.components()[c];
  // A lane that nothing reached keeps its values: solving it again would give the same bits.
  LaneMask moving = lanes_moved_into(comp.begin, comp.end);
  if (!moving.any()) return;
  // evaluate()'s iteration for the quantity, step for step, in each lane that moved: every
  // member from 1, sweeps in component order until none moves by more than the tolerance in that
  // lane. Members are marked changed once, at the end, against their values before.
  const LaneDoubles one = LaneDoubles::all(1.0), tolerance = LaneDoubles::all(fixed_point_tolerance);
  // What the members buy outside the cycle is final: summed once, not in every sweep.
  form_outside_sums(comp.begin, comp.end);
  LaneDoubles* values = lanes_->current.data();
  previous_.assign(values + comp.begin, values + comp.end);
  for (std::uint32_t i = comp.begin; i < comp.end; ++i) values[i] = select(moving, one, values[i]);
  while (moving.any()) {
    LaneMask moved = {};
    for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
      const LaneDoubles u = recompute<true>(i);
      moved |= apart(u, values[i], tolerance);
      values[i] = select(moving, u, values[i]);
    }
    moving &= moved;
  }
  for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
    if ((previous_[i - comp.begin] != values[i]).any()) {
      mark_changed(i);
      schedule_consumers(i);
    }
  }
}

bool KnockoutEngine::supplier_changed(std::uint32_t begin, std::uint32_t end) const {
  const KnockoutLayout& rows = *layout_;
  const std::uint32_t last = rows.first_entry(rows.first_requirement(end));
  for (std::uint32_t k = rows.first_entry(rows.first_requirement(begin)); k < last; ++k) {
    const std::uint32_t s = rows.supplier(k);
    if (lanes_->changed_bits[s >> 6] & (std::uint64_t{1} << (s & 63))) return true;
  }
  return false;
}

void KnockoutEngine::pull_rest(std::uint32_t first) {
  pulling_ = true;
  const auto& components = g_.components();
  for (std::uint32_t c = first; c < components.size(); ++c) {
    const bool scheduled = (scheduled_[c >> 6] >> (c & 63)) & 1;
    if (scheduled || supplier_changed(components[c].begin, components[c].end)) solve_component(c);
  }
  std::fill(scheduled_.begin(), scheduled_.end(), 0);
  std::fill(scheduled_words_.begin(), scheduled_words_.end(), 0);
  scan_from_ = scheduled_words_.size();
  pulling_ = false;
}

KnockoutImpact KnockoutEngine::knock_out(std::span<const NodeId> members) {
  const std::span<const NodeId> one[] = {members};
  return knock_out_together(one).front();
}

std::vector<KnockoutImpact> KnockoutEngine::knock_out_together(std::span<const std::span<const NodeId>> sets,
                                                               KnockoutFigures figures) {
  std::vector<KnockoutImpact> impacts(sets.size());
  // All of a's waves, then all of e's: each quantity's values stay put between its waves.
  for (const Quantity quantity : {Quantity::availability, Quantity::effective}) {
    if (quantity == Quantity::effective && figures == KnockoutFigures::availability_only) continue;
    if (quantity == Quantity::availability && figures == KnockoutFigures::effective_only) continue;
    for (std::size_t first = 0; first < sets.size(); first += knockout_lanes) {
      const std::size_t count = std::min(knockout_lanes, sets.size() - first);
      knock_out_wave(sets.subspan(first, count), quantity, std::span(impacts).subspan(first, count));
    }
  }
  return impacts;
}

void KnockoutEngine::knock_out_wave(std::span<const std::span<const NodeId>> sets, Quantity quantity,
                                    std::span<KnockoutImpact> impacts) {
  const std::size_t lanes = sets.size();
  quantity_ = quantity;
  lanes_ = &lanes_of(quantity);
  std::vector<std::uint32_t>& changed = lanes_->changed;
  // Undo this quantity's previous knockouts.
  for (std::uint32_t p : changed) {
    lanes_->current[p] = LaneDoubles::all(base_value(p));
    lanes_->changed_bits[p >> 6] = 0;
  }
  changed.clear();
  const KnockoutLayout& layout = *layout_;

  // The members are recomputed like everybody else (node_supply()'s arithmetic gives them 0),
  // so the engine has no arithmetic of its own.
  for (std::size_t l = 0; l < lanes; ++l)
    for (NodeId m : sets[l]) out_lanes_[layout.position(m)] |= static_cast<std::uint8_t>(1u << l);
  scan_from_ = scheduled_words_.size();
  for (std::size_t l = 0; l < lanes; ++l)
    for (NodeId m : sets[l]) schedule(g_.component_of(m));
  // Pushing costs a pass over each changed node's consumers; pulling a pass over every later
  // node's suppliers, which pays once a sixteenth of the graph has changed.
  const std::size_t pull_from = g_.node_count() / 16;
  for (std::uint32_t c; next_scheduled(c);) {
    const auto& component = g_.components()[c];
    if (changed.size() + (component.end - component.begin) > pull_from) {
      schedule(c);
      pull_rest(c);
      break;
    }
    solve_component(c);
  }

  // The same summation order as naive_knockout(): the topological order. A wave over a good
  // part of the graph reads it off the bits, a small one sorts its positions.
  if (changed.size() > g_.node_count() / 32) {
    changed.clear();
    for (std::size_t word = 0; word < lanes_->changed_bits.size(); ++word)
      for (std::uint64_t bits = lanes_->changed_bits[word]; bits != 0; bits &= bits - 1)
        changed.push_back(static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
  } else {
    std::sort(changed.begin(), changed.end());
  }
  double lost[knockout_lanes] = {}, domestic_lost[knockout_lanes] = {};
  for (const std::uint32_t p : changed) {
    const double w = layout.weight(p), before = base_value(p);
    const LaneDoubles& now = lanes_->current[p];
    for (std::size_t l = 0; l < lanes; ++l) {
      // A lane where the node did not change adds nothing, as it is not in that lane's wave.
      if (now[l] == before) continue;
      const double delta = w * (before - now[l]);
      if (quantity == Quantity::effective) {
        if (delta != 0) lost[l] += delta;
        continue;
      }
      ++impacts[l].touched;
      if (delta != 0) {
        lost[l] += delta;
        if (layout.domestic(p)) domestic_lost[l] += delta;
      }
      if (!((out_lanes_[p] >> l) & 1) && before > zero_availability && now[l] <= zero_availability)
        ++impacts[l].hard_dependents;
    }
  }
  for (std::size_t l = 0; l < lanes; ++l) {
    if (g_.total_weight() <= 0) continue;
    if (quantity == Quantity::effective) {
      impacts[l].effective_loss = lost[l] / g_.total_weight();
    } else {
      impacts[l].loss = lost[l] / g_.total_weight();
      impacts[l].domestic_loss = domestic_lost[l] / g_.total_weight();
    }
  }
  for (std::size_t l = 0; l < lanes; ++l)
    for (NodeId m : sets[l]) out_lanes_[layout.position(m)] = 0;
}

KnockoutImpact naive_knockout(const SupplyGraph& g, const NodeValues& base, std::span<const NodeId> members) {
  Knockout ko;
  ko.node_out.assign(g.node_count(), 0);
  for (NodeId m : members) ko.node_out[m] = 1;
  NodeValues after = evaluate(g, ko);
  KnockoutImpact impact;
  double lost = 0, domestic_lost = 0, effective_lost = 0;
  // Summed in topological order, as the engine sums (it keeps its values in that order).
  for (const NodeId v : g.topological_order()) {
    double e_delta = g.weight(v) * (base.effective[v] - after.effective[v]);
    if (e_delta != 0) effective_lost += e_delta;
    double delta = g.weight(v) * (base.availability[v] - after.availability[v]);
    if (delta == 0) continue;
    lost += delta;
    if (g.is_domestic(v)) domestic_lost += delta;
  }
  for (NodeId v = 0; v < g.node_count(); ++v) {
    if (after.availability[v] != base.availability[v]) ++impact.touched;
    if (!ko.node_out[v] && base.availability[v] > zero_availability && after.availability[v] <= zero_availability)
      ++impact.hard_dependents;
  }
  if (g.total_weight() > 0) {
    impact.loss = lost / g.total_weight();
    impact.domestic_loss = domestic_lost / g.total_weight();
    impact.effective_loss = effective_lost / g.total_weight();
  }
  return impact;
}

namespace {

// Every node's key for batching: the largest cyclic component downstream of it (its index, or
// none). Knockouts that reach the same large cycle change nearly the same nodes, so a batch of
// them costs one wave; the rest have small waves that cost the same apart or together.
std::vector<std::uint32_t> largest_cycle_downstream(const SupplyGraph& g) {
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  const auto& components = g.components();
  auto size = [&](std::uint32_t c) { return c == none ? 0u : components[c].end - components[c].begin; };
  std::vector<std::uint32_t> best(components.size(), none);
  auto order = g.topological_order();
  for (std::size_t c = components.size(); c-- > 0;) {
    std::uint32_t pick = components[c].cyclic ? static_cast<std::uint32_t>(c) : none;
    for (std::uint32_t i = components[c].begin; i < components[c].end; ++i)
      for (NodeId consumer : g.consumers_of(order[i])) {
        const std::uint32_t theirs = best[g.component_of(consumer)];
        if (size(theirs) > size(pick) || (size(theirs) == size(pick) && theirs < pick)) pick = theirs;
      }
    best[c] = pick;
  }
  std::vector<std::uint32_t> key(g.node_count());
  for (NodeId v = 0; v < g.node_count(); ++v) key[v] = best[g.component_of(v)];
  return key;
}

}  // namespace

KnockoutPool::KnockoutPool(const SupplyGraph& graph, const NodeValues& base, unsigned threads)
    : g_(graph), base_(base), threads_(threads), layout_(std::make_shared<const KnockoutLayout>(graph)) {}

KnockoutPool::~KnockoutPool() = default;

std::vector<KnockoutImpact> KnockoutPool::knock_out(std::span<const std::span<const NodeId>> sets,
                                                    const std::function<void(std::size_t)>& finished,
                                                    std::size_t waves_per_turn, KnockoutFigures figures) {
  std::vector<KnockoutImpact> out(sets.size());
  const std::size_t per_turn = std::max<std::size_t>(1, waves_per_turn) * knockout_lanes;
  const std::size_t turns = (sets.size() + per_turn - 1) / per_turn;
  const unsigned workers = worker_count(threads_, turns);
  if (engines_.size() < workers) engines_.resize(workers);
  // Knockouts differ in cost by orders of magnitude (a cone can hold a large cycle): threads take
  // short turns so neither waits for the other.
  std::atomic<std::size_t> cursor{0};
  run_workers(workers, [&](unsigned t) {
    // Made here, so that its memory is first touched by the thread that uses it.
    if (!engines_[t]) engines_[t] = std::make_unique<KnockoutEngine>(g_, base_, layout_);
    for (std::size_t turn; (turn = cursor.fetch_add(1)) < turns;) {
      const std::size_t first = turn * per_turn, count = std::min(per_turn, sets.size() - first);
      const auto impacts = engines_[t]->knock_out_together(sets.subspan(first, count), figures);
      std::copy(impacts.begin(), impacts.end(), out.begin() + static_cast<std::ptrdiff_t>(first));
      if (finished) finished(count);
    }
  });
  return out;
}

std::vector<KnockoutImpact> knock_out_each_node(const SupplyGraph& g, const NodeValues& base, unsigned threads,
                                                WorkProgress* progress) {
  std::size_t n = g.node_count();
  ProgressPhase phase(progress, "knocking out every node", n, "nodes");
  // Batches of nodes that reach the same cycle; each node's figures are the same bits in any
  // batch, so neither the grouping nor the thread count changes a result.
  std::vector<NodeId> batched(n);
  {
    const auto key = largest_cycle_downstream(g);
    for (NodeId v = 0; v < n; ++v) batched[v] = v;
    std::stable_sort(batched.begin(), batched.end(), [&](NodeId a, NodeId b) { return key[a] < key[b]; });
  }
  std::vector<std::span<const NodeId>> sets;
  sets.reserve(n);
  for (const NodeId& v : batched) sets.emplace_back(&v, 1);
  std::atomic<std::size_t> done{0};
  KnockoutPool pool(g, base, threads);
  // Most of these waves are small: four at a turn keep a thread on neighbouring knockouts.
  const auto impacts = pool.knock_out(
      sets, [&](std::size_t count) { phase.advance(done.fetch_add(count, std::memory_order_relaxed) + count); }, 4);
  std::vector<KnockoutImpact> out(n);
  for (std::size_t i = 0; i < n; ++i) out[batched[i]] = impacts[i];
  return out;
}

std::vector<KnockoutImpact> knock_out_each_set(const SupplyGraph& g, const NodeValues& base,
                                               std::span<const std::vector<NodeId>> sets, unsigned threads,
                                               WorkProgress* progress) {
  ProgressPhase phase(progress, "knocking out every group", sets.size(), "groups");
  const std::vector<std::span<const NodeId>> spans(sets.begin(), sets.end());
  std::atomic<std::size_t> done{0};
  KnockoutPool pool(g, base, threads);
  return pool.knock_out(spans, [&](std::size_t count) { phase.advance(done.fetch_add(count, std::memory_order_relaxed) + count); });
}

}  // namespace scgraph
