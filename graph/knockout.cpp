#include "knockout.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <thread>

#include "whatif.hpp"

namespace scgraph {

KnockoutEngine::KnockoutEngine(const SupplyGraph& graph, const NodeValues& base)
    : g_(graph),
      base_(base),
      current_(base.availability),
      is_changed_(graph.node_count(), 0),
      scheduled_(graph.components().size(), 0) {
  knockout_.node_out.assign(graph.node_count(), 0);
}

void KnockoutEngine::schedule_consumers(NodeId v) {
  for (NodeId c : g_.consumers_of(v)) {
    std::uint32_t comp = g_.component_of(c);
    if (scheduled_[comp]) continue;
    scheduled_[comp] = 1;
    heap_.push_back(comp);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
  }
}

void KnockoutEngine::solve_component(std::uint32_t c) {
  const Knockout& ko = knockout_;
  const auto& comp = g_.components()[c];
  auto order = g_.topological_order();
  auto record = [&](NodeId v, double value) {
    if (value != current_[v] && !is_changed_[v]) {
      is_changed_[v] = 1;
      changed_.push_back(v);
    }
    current_[v] = value;
  };
  if (!comp.cyclic) {
    NodeId v = order[comp.begin];
    double before = current_[v];
    double value = node_availability(g_, v, current_.data(), ko);
    record(v, value);
    if (value != before) schedule_consumers(v);
    return;
  }
  // Same iteration as evaluate(): from 1, sweep in component order until nothing moves by more
  // than the tolerance, so that the answer is bit-identical to a full recomputation.
  std::vector<double> old;
  old.reserve(comp.end - comp.begin);
  for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
    old.push_back(current_[order[i]]);
    record(order[i], 1.0);
  }
  bool moving = true;
  while (moving) {
    moving = false;
    for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
      NodeId v = order[i];
      double value = node_availability(g_, v, current_.data(), ko);
      if (std::abs(value - current_[v]) > fixed_point_tolerance) moving = true;
      record(v, value);
    }
  }
  for (std::uint32_t i = comp.begin; i < comp.end; ++i)
    if (current_[order[i]] != old[i - comp.begin]) schedule_consumers(order[i]);
}

KnockoutImpact KnockoutEngine::knock_out(std::span<const NodeId> members) {
  // Undo the previous knockout.
  for (NodeId v : changed_) {
    current_[v] = base_.availability[v];
    is_changed_[v] = 0;
  }
  changed_.clear();

  for (NodeId m : members) {
    knockout_.node_out[m] = 1;
    if (current_[m] != 0.0 && !is_changed_[m]) {
      is_changed_[m] = 1;
      changed_.push_back(m);
    }
    current_[m] = 0.0;
  }
  for (NodeId m : members) schedule_consumers(m);
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    std::uint32_t c = heap_.back();
    heap_.pop_back();
    scheduled_[c] = 0;
    solve_component(c);
  }

  KnockoutImpact impact;
  double lost = 0, domestic_lost = 0;
  std::sort(changed_.begin(), changed_.end());  // the same summation order as a full pass
  for (NodeId v : changed_) {
    double delta = g_.weight(v) * (base_.availability[v] - current_[v]);
    lost += delta;
    if (g_.is_domestic(v)) domestic_lost += delta;
    if (!knockout_.node_out[v] && base_.availability[v] > zero_availability && current_[v] <= zero_availability)
      ++impact.hard_dependents;
  }
  impact.touched = static_cast<std::uint32_t>(changed_.size());
  if (g_.total_weight() > 0) {
    impact.loss = lost / g_.total_weight();
    impact.domestic_loss = domestic_lost / g_.total_weight();
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
  double lost = 0, domestic_lost = 0;
  for (NodeId v = 0; v < g.node_count(); ++v) {
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
  }
  return impact;
}

std::vector<KnockoutImpact> knock_out_each_node(const SupplyGraph& g, const NodeValues& base, unsigned threads) {
  std::size_t n = g.node_count();
  std::vector<KnockoutImpact> out(n);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, n / 64)));
  auto work = [&](unsigned t) {
    KnockoutEngine engine(g, base);
    for (NodeId v = t; v < n; v += threads) {
      NodeId one[] = {v};
      out[v] = engine.knock_out(one);
    }
  };
  if (threads <= 1) {
    work(0);
    return out;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (auto& th : pool) th.join();
  return out;
}

}  // namespace scgraph
