#include "knockout.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>

#include "parallel.hpp"
#include "whatif.hpp"

namespace scgraph {

KnockoutEngine::KnockoutEngine(const SupplyGraph& graph, const NodeValues& base,
                               std::shared_ptr<const KnockoutLayout> layout)
    : g_(graph),
      base_(base),
      current_(graph.node_count()),
      changed_bits_((graph.node_count() + 63) / 64, 0),
      scheduled_((graph.components().size() + 63) / 64, 0),
      scheduled_words_((scheduled_.size() + 63) / 64, 0) {
  for (NodeId v = 0; v < graph.node_count(); ++v) current_[v] = {base.availability[v], base.effective[v]};
  knockout_.node_out.assign(graph.node_count(), 0);
  layout_ = layout ? std::move(layout) : std::make_shared<const KnockoutLayout>(graph);
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

Supply KnockoutEngine::recompute(NodeId v, std::uint32_t at) const {
  const bool aggregate = g_.is_aggregate(v), domestic = g_.is_domestic(v);
  const KnockoutLayout& rows = *layout_;
  const std::uint32_t first = rows.first_requirement(at), last = rows.last_requirement(at);
  if (knockout_.out(v)) return {0.0, 0.0};
  if (first == last) return {1.0, !aggregate && domestic ? 1.0 : 0.0};
  // node_supply() sums in entry order with the same products, so the results are the same bits.
  const Supply* x = current_.data();
  double avail = 1.0, effective = 1.0;
  if (aggregate || domestic) {
    for (std::uint32_t r = first; r < last; ++r) {
      double sum = rows.unmapped(r), e_sum = 0;
      for (std::uint32_t k = rows.first_entry(r), to = rows.last_entry(r); k < to; ++k) {
        const Supply& s = x[rows.supplier(k)];
        sum += rows.product(k) * s.availability;
        e_sum += rows.product(k) * s.effective;
      }
      effective = std::min(effective, e_sum);
      avail = std::min(avail, std::min(1.0, sum));
    }
    return {avail, effective};
  }
  for (std::uint32_t r = first; r < last; ++r) {
    double sum = rows.unmapped(r);
    for (std::uint32_t k = rows.first_entry(r), to = rows.last_entry(r); k < to; ++k)
      sum += rows.product(k) * x[rows.supplier(k)].availability;
    avail = std::min(avail, std::min(1.0, sum));
  }
  return {avail, 0.0};
}

void KnockoutEngine::update_acyclic(NodeId v, std::uint32_t position) {
  if (store(v, recompute(v, position))) schedule_consumers(v);
}

void KnockoutEngine::schedule_consumers(NodeId v) {
  if (pulling_) return;
  const std::uint32_t own = g_.component_of(v);
  // A cyclic component's own members were just solved together; only later components wait.
  for (NodeId c : g_.consumers_of(v))
    if (g_.component_of(c) != own) schedule(g_.component_of(c));
}

void KnockoutEngine::mark_changed(NodeId v) {
  std::uint64_t& word = changed_bits_[v >> 6];
  const std::uint64_t bit = std::uint64_t{1} << (v & 63);
  if (!(word & bit)) {
    word |= bit;
    changed_.push_back(v);
  }
}

bool KnockoutEngine::store(NodeId v, const Supply& u) {
  Supply& now = current_[v];
  const bool differs = u.availability != now.availability || u.effective != now.effective;
  if (differs) mark_changed(v);
  now = u;
  return differs;
}

void KnockoutEngine::solve_component(std::uint32_t c) {
  const auto& comp = g_.components()[c];
  auto order = g_.topological_order();
  if (!comp.cyclic) {
    update_acyclic(order[comp.begin], comp.begin);
    return;
  }
  // evaluate()'s iteration for a and e, step for step: every member from 1, sweeps in component
  // order until neither moves by more than the tolerance. Members are marked changed once, at
  // the end, against their values before.
  previous_.clear();
  for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
    NodeId v = order[i];
    previous_.push_back(current_[v]);
    current_[v] = {1.0, 1.0};
  }
  for (bool moving = true; moving;) {
    moving = false;
    for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
      Supply& now = current_[order[i]];
      const Supply u = recompute(order[i], i);
      if (std::max(std::abs(u.availability - now.availability), std::abs(u.effective - now.effective)) >
          fixed_point_tolerance)
        moving = true;
      now = u;
    }
  }
  for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
    NodeId v = order[i];
    const Supply& old = previous_[i - comp.begin];
    if (old.availability != current_[v].availability || old.effective != current_[v].effective) {
      mark_changed(v);
      schedule_consumers(v);
    }
  }
}

bool KnockoutEngine::supplier_changed(std::uint32_t begin, std::uint32_t end) const {
  const KnockoutLayout& rows = *layout_;
  const std::uint32_t last = rows.first_entry(rows.first_requirement(end));
  for (std::uint32_t k = rows.first_entry(rows.first_requirement(begin)); k < last; ++k) {
    const NodeId s = rows.supplier(k);
    if (changed_bits_[s >> 6] & (std::uint64_t{1} << (s & 63))) return true;
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
  // Undo the previous knockout.
  for (NodeId v : changed_) {
    current_[v] = {base_.availability[v], base_.effective[v]};
    changed_bits_[v >> 6] = 0;
  }
  changed_.clear();

  // The members are recomputed like everybody else (node_supply()'s arithmetic gives them a = e = 0), so the
  // engine has no arithmetic of its own.
  for (NodeId m : members) knockout_.node_out[m] = 1;
  scan_from_ = scheduled_words_.size();
  for (NodeId m : members) schedule(g_.component_of(m));
  // Pushing costs a pass over each changed node's consumers; pulling a pass over every later
  // node's suppliers, which pays once a sixteenth of the graph has changed.
  const std::size_t pull_from = g_.node_count() / 16;
  for (std::uint32_t c; next_scheduled(c);) {
    const auto& component = g_.components()[c];
    if (changed_.size() + (component.end - component.begin) > pull_from) {
      schedule(c);
      pull_rest(c);
      break;
    }
    solve_component(c);
  }

  KnockoutImpact impact;
  double lost = 0, domestic_lost = 0, effective_lost = 0;
  // The same summation order as a full pass: ascending ids. A wave over a good part of the graph
  // reads them off the bit set (sorting 87 k ids took a tenth of a knockout at 100 k nodes).
  if (changed_.size() > g_.node_count() / 32) {
    changed_.clear();
    for (std::size_t w = 0; w < changed_bits_.size(); ++w)
      for (std::uint64_t bits = changed_bits_[w]; bits != 0; bits &= bits - 1)
        changed_.push_back(static_cast<NodeId>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
  } else {
    std::sort(changed_.begin(), changed_.end());
  }
  for (NodeId v : changed_) {
    double delta = g_.weight(v) * (base_.availability[v] - current_[v].availability);
    if (delta != 0) {
      lost += delta;
      if (g_.is_domestic(v)) domestic_lost += delta;
    }
    double e_delta = g_.weight(v) * (base_.effective[v] - current_[v].effective);
    if (e_delta != 0) effective_lost += e_delta;
    if (!knockout_.node_out[v] && base_.availability[v] > zero_availability &&
        current_[v].availability <= zero_availability)
      ++impact.hard_dependents;
  }
  impact.touched = static_cast<std::uint32_t>(changed_.size());
  if (g_.total_weight() > 0) {
    impact.loss = lost / g_.total_weight();
    impact.domestic_loss = domestic_lost / g_.total_weight();
    impact.effective_loss = effective_lost / g_.total_weight();
  }
  for (NodeId m : members) knockout_.node_out[m] = 0;
  return impact;
}

KnockoutImpact naive_knockout(const SupplyGraph& g, const NodeValues& base, std::span<const NodeId> members) {
  Knockout ko;
  ko.node_out.assign(g.node_count(), 0);
  for (NodeId m : members) ko.node_out[m] = 1;
  NodeValues after = evaluate(g, ko);
  KnockoutImpact impact;
  double lost = 0, domestic_lost = 0, effective_lost = 0;
  for (NodeId v = 0; v < g.node_count(); ++v) {
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

std::vector<KnockoutImpact> knock_out_each_node(const SupplyGraph& g, const NodeValues& base, unsigned threads,
                                                WorkProgress* progress) {
  std::size_t n = g.node_count();
  ProgressPhase phase(progress, "knocking out every node", n, "nodes");
  std::vector<KnockoutImpact> out(n);
  // Knockouts differ in cost by orders of magnitude (a cone can hold a large cycle): threads take
  // small chunks in turn so neither waits for the other.
  std::atomic<std::size_t> cursor{0};
  constexpr std::size_t chunk = 16;
  std::atomic<std::size_t> done{0};
  const auto layout = std::make_shared<const KnockoutLayout>(g);
  auto work = [&](unsigned) {
    KnockoutEngine engine(g, base, layout);
    for (std::size_t begin; (begin = cursor.fetch_add(chunk)) < n;) {
      const std::size_t end = std::min(n, begin + chunk);
      for (std::size_t v = begin; v < end; ++v) {
        NodeId one[] = {static_cast<NodeId>(v)};
        out[v] = engine.knock_out(one);
      }
      phase.advance(done.fetch_add(end - begin, std::memory_order_relaxed) + (end - begin));
    }
  };
  run_workers(worker_count(threads, n / 64), work);
  return out;
}

std::vector<KnockoutImpact> knock_out_each_set(const SupplyGraph& g, const NodeValues& base,
                                               std::span<const std::vector<NodeId>> sets, unsigned threads,
                                               WorkProgress* progress) {
  ProgressPhase phase(progress, "knocking out every group", sets.size(), "groups");
  std::vector<KnockoutImpact> out(sets.size());
  const auto layout = std::make_shared<const KnockoutLayout>(g);
  std::atomic<std::size_t> cursor{0}, done{0};
  run_workers(worker_count(threads, sets.size()), [&](unsigned) {
    KnockoutEngine engine(g, base, layout);
    for (std::size_t i; (i = cursor.fetch_add(1)) < sets.size();) {
      out[i] = engine.knock_out(sets[i]);
      phase.advance(done.fetch_add(1, std::memory_order_relaxed) + 1);
    }
  });
  return out;
}

}  // namespace scgraph
