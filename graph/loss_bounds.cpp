#include "loss_bounds.hpp"

#include <algorithm>
#include <thread>

namespace scgraph {

namespace {

// Downstream weight bound per unit of availability lost at a node: a linear part (diluted by
// shares on the way) and a constant part (cyclic components reached, charged in full).
struct Reach {
  std::vector<double> linear, constant;
};

Reach downstream_reach(const SupplyGraph& g, const std::vector<double>& weight) {
  const std::size_t n = g.node_count();
  Reach reach{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  std::vector<double> pushed_linear(n, 0.0), pushed_constant(n, 0.0);
  auto order = g.topological_order();
  auto comps = g.components();
  const double cap = std::max(g.total_weight(), 1.0);
  // Consumers come before their suppliers in reverse topological order, so a node's reach is
  // final when its suppliers read it.
  for (std::size_t ci = comps.size(); ci-- > 0;) {
    const auto& comp = comps[ci];
    if (!comp.cyclic) {
      NodeId v = order[comp.begin];
      double lin = std::min(cap, weight[v] + pushed_linear[v]);
      double con = std::min(cap, pushed_constant[v]);
      reach.linear[v] = lin;
      reach.constant[v] = con;
      for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r)
        for (const auto& s : g.suppliers(r)) {
          pushed_linear[s.supplier] += s.share * s.efficiency * lin;
          pushed_constant[s.supplier] += con;  // not diluted: it does not scale with the loss
        }
      continue;
    }
    // Every member may be lost entirely; what leaves the component is diluted as usual.
    double total = 0;
    for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
      NodeId m = order[i];
      total += weight[m] + pushed_linear[m] + pushed_constant[m];
    }
    total = std::min(cap, total);
    for (std::uint32_t i = comp.begin; i < comp.end; ++i) {
      NodeId m = order[i];
      reach.linear[m] = 0;
      reach.constant[m] = total;
      for (ReqId r = g.req_begin(m); r < g.req_end(m); ++r)
        for (const auto& s : g.suppliers(r))
          if (g.component_of(s.supplier) != ci) pushed_constant[s.supplier] += total;
    }
  }
  return reach;
}

}  // namespace

LossBounds loss_upper_bounds(const SupplyGraph& g, const NodeValues& base) {
  const std::size_t n = g.node_count();
  std::vector<double> weight(n), domestic_weight(n);
  for (NodeId v = 0; v < n; ++v) {
    weight[v] = g.weight(v);
    domestic_weight[v] = g.is_domestic(v) ? g.weight(v) : 0.0;
  }
  Reach all = downstream_reach(g, weight);
  Reach domestic = downstream_reach(g, domestic_weight);
  LossBounds out{std::vector<double>(n), std::vector<double>(n)};
  double total = g.total_weight();
  for (NodeId v = 0; v < n; ++v) {
    if (total <= 0) break;
    // The knocked-out node itself loses a(v); the linear reach scales with that loss.
    double a = base.availability[v];
    out.loss[v] = std::min(1.0, (a * all.linear[v] + all.constant[v]) / total);
    out.domestic_loss[v] = std::min(1.0, (a * domestic.linear[v] + domestic.constant[v]) / total);
  }
  return out;
}

bool ranks_before(const SupplyGraph& g, const RankedImpact& a, const RankedImpact& b) {
  if (a.impact.domestic_loss != b.impact.domestic_loss) return a.impact.domestic_loss > b.impact.domestic_loss;
  if (a.impact.loss != b.impact.loss) return a.impact.loss > b.impact.loss;
  return g.id(a.node) < g.id(b.node);
}

CertifiedTopK certified_top_k(const SupplyGraph& g, const NodeValues& base, const LossBounds& bounds, std::size_t k,
                              unsigned threads) {
  const std::size_t n = g.node_count();
  CertifiedTopK out;
  k = std::min(k, n);
  if (k == 0) return out;
  std::vector<NodeId> candidates(n);
  for (NodeId v = 0; v < n; ++v) candidates[v] = v;
  std::sort(candidates.begin(), candidates.end(), [&](NodeId a, NodeId b) {
    if (bounds.domestic_loss[a] != bounds.domestic_loss[b]) return bounds.domestic_loss[a] > bounds.domestic_loss[b];
    if (bounds.loss[a] != bounds.loss[b]) return bounds.loss[a] > bounds.loss[b];
    return a < b;
  });

  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<KnockoutEngine> engines;
  engines.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) engines.emplace_back(g, base);

  std::vector<RankedImpact> best;  // kept sorted, at most k
  std::size_t next = 0;
  std::size_t batch = std::max<std::size_t>(k, 4 * threads);
  auto certified = [&]() {
    if (best.size() < k) return false;
    if (next >= n) return true;
    const auto& kth = best.back().impact;
    NodeId u = candidates[next];
    // Every node left has domestic bound <= u's; those equal to it have loss bound <= u's.
    if (bounds.domestic_loss[u] < kth.domestic_loss) return true;
    return bounds.domestic_loss[u] == kth.domestic_loss && bounds.loss[u] < kth.loss;
  };
  while (next < n && !certified()) {
    std::size_t end = std::min(n, next + batch);
    std::vector<RankedImpact> results(end - next);
    auto work = [&](unsigned t) {
      for (std::size_t i = next + t; i < end; i += threads) {
        NodeId one[] = {candidates[i]};
        results[i - next] = {candidates[i], engines[t].knock_out(one)};
      }
    };
    if (threads == 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
      for (auto& th : pool) th.join();
    }
    out.exact_evaluations += results.size();
    next = end;
    best.insert(best.end(), results.begin(), results.end());
    std::sort(best.begin(), best.end(), [&](const auto& a, const auto& b) { return ranks_before(g, a, b); });
    if (best.size() > k) best.resize(k);
    batch = std::min<std::size_t>(batch * 2, 1 << 16);
  }
  out.top = std::move(best);
  if (next < n) {
    out.remaining_domestic_bound = bounds.domestic_loss[candidates[next]];
    for (std::size_t i = next; i < n; ++i)
      out.remaining_loss_bound = std::max(out.remaining_loss_bound, bounds.loss[candidates[i]]);
  }
  return out;
}

}  // namespace scgraph
