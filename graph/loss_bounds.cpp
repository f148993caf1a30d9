#include "loss_bounds.hpp"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <limits>
#include <thread>

namespace scgraph {

namespace {

constexpr double unbounded = std::numeric_limits<double>::infinity();
// What a cycle stopped at the fixed-point tolerance (1e-12 per sweep) may leave, as a fraction of
// the total weight: a thousand times the tolerance.
constexpr double cycle_noise = 1e-9;

// Two weightings at once: every node's weight (loss) and domestic producers' weight only.
struct Pair {
  double all = 0, domestic = 0;
};

// What a loss of t at a node can cost downstream, itself included: at most t * linear and at
// most absolute, whatever t is (absolute is the cost of losing all of a(v)).
struct Reach {
  std::vector<Pair> linear, absolute;
};

// G(t) <= min(t * linear, absolute); 0 for t = 0 even when linear is unbounded.
double cost(double t, double linear, double absolute) {
  if (t <= 0) return 0;
  return std::min(absolute, t * linear);
}

// One supplier's link to one consumer, its requirements merged: q = max over the consumer's
// requirements of share x efficiency (summed over the supplier's entries in that requirement),
// and first = how much the consumer loses when this supplier alone loses all of its
// availability (the requirement's slack above the consumer's availability absorbs that much).
struct Link {
  NodeId supplier;
  double q, first;
};

// The links of consumer c, by supplier ascending, into `links` (cleared first).
void consumer_links(const SupplyGraph& g, const NodeValues& base, NodeId c, std::vector<Link>& links) {
  links.clear();
  const double a_c = base.availability[c];
  for (ReqId r = g.req_begin(c); r < g.req_end(c); ++r) {
    // The requirement's supply as node_availability() sums it, before the cap at 1.
    double sum = g.unmapped(r);
    for (const auto& s : g.suppliers(r)) sum += s.share * s.efficiency * base.availability[s.supplier];
    // Less a margin for rounding: supply that the slack absorbs must be absorbed in the exact
    // recomputation too, where the sum is formed again in floating point.
    const double slack = std::max(0.0, sum - a_c - 1e-12);
    for (const auto& s : g.suppliers(r)) {
      double p = s.share * s.efficiency;
      links.push_back({s.supplier, p, std::max(0.0, p * base.availability[s.supplier] - slack)});
    }
  }
  std::sort(links.begin(), links.end(), [](const Link& x, const Link& y) { return x.supplier < y.supplier; });
  // Merge a supplier's entries: summed within a requirement would be exact, but entries of one
  // supplier in one requirement are refused by the loader, so each entry is its own requirement
  // and the maximum is right.
  std::size_t out = 0;
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (out > 0 && links[out - 1].supplier == links[i].supplier) {
      links[out - 1].q = std::max(links[out - 1].q, links[i].q);
      links[out - 1].first = std::max(links[out - 1].first, links[i].first);
    } else {
      links[out++] = links[i];
    }
  }
  links.resize(out);
}

// Solves linear = own + sum q * linear(consumer) inside a cyclic component (a Neumann series that
// converges when the cycle dilutes) and proves the result: it must be a super-solution, checked
// after the fact. Returns false when the proof fails (the component then gets no linear bound).
bool solve_cyclic_linear(std::span<const NodeId> members, const std::vector<std::uint32_t>& position,
                         const std::vector<std::vector<Link>>& inner, const std::vector<Pair>& own,
                         std::vector<Pair>& linear) {
  const std::size_t m = members.size();
  // Solving for own + eta (eta > 0) leaves room for the iteration not having fully converged.
  double scale = 0;
  for (const auto& o : own) scale = std::max({scale, o.all, o.domestic});
  const double eta = std::max(scale * 1e-9, 1e-300);
  std::vector<Pair> x(m);
  for (std::size_t i = 0; i < m; ++i) x[i] = {own[i].all + eta, own[i].domestic + eta};
  for (int sweep = 0; sweep < 2000; ++sweep) {
    double change = 0;
    for (std::size_t i = m; i-- > 0;) {
      Pair next{own[i].all + eta, own[i].domestic + eta};
      for (const auto& l : inner[i]) {
        next.all += l.q * x[position[l.supplier]].all;
        next.domestic += l.q * x[position[l.supplier]].domestic;
      }
      change = std::max({change, (next.all - x[i].all) / next.all, (next.domestic - x[i].domestic) / next.domestic});
      x[i] = next;
    }
    if (!std::isfinite(change)) return false;
    if (change < 1e-13) break;
  }
  // Proof: x >= own + Q x everywhere (with a margin for the rounding of the check itself).
  for (std::size_t i = 0; i < m; ++i) {
    Pair rhs = own[i];
    for (const auto& l : inner[i]) {
      rhs.all += l.q * x[position[l.supplier]].all;
      rhs.domestic += l.q * x[position[l.supplier]].domestic;
    }
    if (!(x[i].all >= rhs.all * (1 + 1e-12)) || !(x[i].domestic >= rhs.domestic * (1 + 1e-12))) return false;
  }
  for (std::size_t i = 0; i < m; ++i) linear[members[i]] = x[i];
  return true;
}

}  // namespace

LossBounds loss_upper_bounds(const SupplyGraph& g, const NodeValues& base) {
  const std::size_t n = g.node_count();
  const double total = g.total_weight();
  double total_domestic = 0;
  for (NodeId v = 0; v < n; ++v)
    if (g.is_domestic(v)) total_domestic += g.weight(v);
  auto weight_of = [&](NodeId v) { return Pair{g.weight(v), g.is_domestic(v) ? g.weight(v) : 0.0}; };

  // Consumers push into their suppliers, in reverse topological order, so a node's sums are
  // complete when its own turn comes. Links inside a cyclic component wait for the component.
  Reach reach{std::vector<Pair>(n), std::vector<Pair>(n)};
  std::vector<Pair> pushed_linear(n), pushed_absolute(n), pushed_first(n);
  std::vector<Link> links;
  auto order = g.topological_order();
  auto comps = g.components();

  // A consumer c pushes to supplier s: into s's linear reach q * linear(c); into s's absolute
  // reach the cost of c losing q * a(s); into s's own bound the cost of c losing `first`.
  auto push = [&](NodeId c, const Link& l) {
    const NodeId s = l.supplier;
    const double a_s = base.availability[s];
    const Pair& lin = reach.linear[c];
    const Pair& abs = reach.absolute[c];
    pushed_linear[s].all += l.q * lin.all;
    pushed_linear[s].domestic += l.q * lin.domestic;
    pushed_absolute[s].all += cost(l.q * a_s, lin.all, abs.all);
    pushed_absolute[s].domestic += cost(l.q * a_s, lin.domestic, abs.domestic);
    pushed_first[s].all += cost(l.first, lin.all, abs.all);
    pushed_first[s].domestic += cost(l.first, lin.domestic, abs.domestic);
  };

  std::vector<std::uint32_t> position(n, 0);
  std::vector<std::vector<Link>> inner;
  std::vector<std::pair<NodeId, Link>> inner_all;  // (consumer, link) inside the component
  std::vector<Pair> own;
  for (std::size_t ci = comps.size(); ci-- > 0;) {
    const auto& comp = comps[ci];
    if (!comp.cyclic) {
      const NodeId v = order[comp.begin];
      const Pair w = weight_of(v);
      const double a = base.availability[v];
      // No cap on the linear reach: t * linear must hold for every t, not only for t = 1.
      reach.linear[v] = {w.all + pushed_linear[v].all, w.domestic + pushed_linear[v].domestic};
      reach.absolute[v] = {std::min(total, w.all * a + pushed_absolute[v].all),
                           std::min(total_domestic, w.domestic * a + pushed_absolute[v].domestic)};
      consumer_links(g, base, v, links);
      for (const auto& l : links) push(v, l);
      continue;
    }
    // Cyclic: the linear reach solves its own equations; the absolute reach charges every member
    // with all of its availability lost, plus what that costs outside.
    const std::span<const NodeId> members = order.subspan(comp.begin, comp.end - comp.begin);
    for (std::uint32_t i = 0; i < members.size(); ++i) position[members[i]] = i;
    inner.assign(members.size(), {});
    inner_all.clear();
    own.assign(members.size(), {});
    Pair all_lost;
    for (std::uint32_t i = 0; i < members.size(); ++i) {
      const NodeId m = members[i];
      const Pair w = weight_of(m);
      own[i] = {w.all + pushed_linear[m].all, w.domestic + pushed_linear[m].domestic};
      all_lost.all += w.all * base.availability[m] + pushed_absolute[m].all;
      all_lost.domestic += w.domestic * base.availability[m] + pushed_absolute[m].domestic;
    }
    all_lost = {std::min(total, all_lost.all), std::min(total_domestic, all_lost.domestic)};
    // inner[i]: member i's links to the members it supplies, the consumer in Link::supplier's
    // place (linear(s) += q * linear(c) reads them from the supplier's side).
    for (const NodeId c : members) {
      consumer_links(g, base, c, links);
      for (const auto& l : links) {
        if (g.component_of(l.supplier) == ci) {
          inner[position[l.supplier]].push_back({c, l.q, l.first});
          inner_all.push_back({c, l});
        }
      }
    }
    if (!solve_cyclic_linear(members, position, inner, own, reach.linear))
      for (const NodeId m : members) reach.linear[m] = {unbounded, unbounded};
    for (const NodeId m : members) {
      const double a = base.availability[m];
      const Pair& lin = reach.linear[m];
      reach.absolute[m] = {std::min(all_lost.all, a * lin.all), std::min(all_lost.domestic, a * lin.domestic)};
      if (a <= 0) reach.absolute[m] = {};
    }
    // Now every member's reach is final: push along the inner links, then out of the component.
    for (const auto& [c, l] : inner_all) push(c, l);
    for (const NodeId c : members) {
      consumer_links(g, base, c, links);
      for (const auto& l : links)
        if (g.component_of(l.supplier) != ci) push(c, l);
    }
  }

  // Whether a node's downstream holds a cyclic component. A cycle is solved again from 1 when
  // anything it reads changes, e included, and stops within the fixed-point tolerance, so its
  // values may move by rounding noise even where the true loss is 0.
  std::vector<char> reaches_cycle(n, 0);
  for (std::size_t ci = comps.size(); ci-- > 0;)
    for (std::uint32_t i = comps[ci].begin; i < comps[ci].end; ++i) {
      const NodeId v = order[i];
      if (comps[ci].cyclic) reaches_cycle[v] = 1;
      for (NodeId c : g.consumers_of(v))
        if (reaches_cycle[c]) reaches_cycle[v] = 1;
    }

  // A knocked-out node loses a(x) itself; each consumer c first loses at most `first` (pushed).
  LossBounds out{std::vector<double>(n), std::vector<double>(n)};
  if (total <= 0) return out;
  for (NodeId x = 0; x < n; ++x) {
    const double a = base.availability[x];
    const Pair w = weight_of(x);
    double loss = std::min({w.all * a + pushed_first[x].all, reach.absolute[x].all, total});
    double domestic = std::min({w.domestic * a + pushed_first[x].domestic, reach.absolute[x].domestic, total_domestic});
    if (a <= 0) loss = domestic = 0;  // no availability to lose: only e can change
    // The bound and the exact figure are summed along different paths: a relative margin keeps
    // the bound above rounding, an absolute one above a cycle's tolerance.
    const double noise = reaches_cycle[x] ? cycle_noise : 0.0;
    auto safe = [&](double value) { return value > 0 || noise > 0 ? std::min(1.0, value / total * (1 + 1e-9) + 1e-12 + noise) : 0.0; };
    out.loss[x] = safe(loss);
    out.domestic_loss[x] = safe(domestic);
  }
  return out;
}

bool ranks_before(const SupplyGraph& g, const RankedImpact& a, const RankedImpact& b) {
  if (a.impact.domestic_loss != b.impact.domestic_loss) return a.impact.domestic_loss > b.impact.domestic_loss;
  if (a.impact.loss != b.impact.loss) return a.impact.loss > b.impact.loss;
  return g.id(a.node) < g.id(b.node);
}

CertifiedTopK certified_top_k(const SupplyGraph& g, const NodeValues& base, const LossBounds& bounds, std::size_t k,
                              unsigned threads, WorkProgress* progress) {
  const std::size_t n = g.node_count();
  CertifiedTopK out;
  // How many knockouts certification needs is only known at the end: the line counts them.
  ProgressPhase phase(progress, "certifying the top chokepoints", 0, "knockouts");
  k = std::min(k, n);
  if (k == 0) return out;
  auto bound_before = [&](NodeId a, NodeId b) {
    if (bounds.domestic_loss[a] != bounds.domestic_loss[b]) return bounds.domestic_loss[a] > bounds.domestic_loss[b];
    if (bounds.loss[a] != bounds.loss[b]) return bounds.loss[a] > bounds.loss[b];
    return a < b;
  };
  std::vector<NodeId> candidates(n);
  for (NodeId v = 0; v < n; ++v) candidates[v] = v;
  std::sort(candidates.begin(), candidates.end(), bound_before);

  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<KnockoutEngine> engines;
  std::vector<RankedImpact> best;  // kept sorted, at most k
  std::size_t next = 0;
  // Could the next candidate still beat the k-th exact result? Every node left has a domestic
  // bound <= its own, and those with an equal one a loss bound <= its own.
  auto may_beat_kth = [&](NodeId u) {
    if (best.size() < k) return true;
    const auto& kth = best.back().impact;
    if (bounds.domestic_loss[u] != kth.domestic_loss) return bounds.domestic_loss[u] > kth.domestic_loss;
    return bounds.loss[u] >= kth.loss;
  };
  while (next < n && may_beat_kth(candidates[next])) {
    // Batch sizes depend on the bounds and exact results only, never on the thread count, so the
    // number of exact knockouts reported is the same on every machine.
    std::size_t batch = k;
    if (best.size() >= k) {
      std::size_t needed = 0;
      while (next + needed < n && needed < std::max<std::size_t>(16, k / 2) && may_beat_kth(candidates[next + needed]))
        ++needed;
      batch = needed;
    }
    const std::size_t end = std::min(n, next + batch);
    std::vector<RankedImpact> results(end - next);
    const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(threads, end - next));
    while (engines.size() < workers) engines.emplace_back(g, base);
    std::atomic<std::size_t> cursor{next};
    auto work = [&](unsigned t) {
      for (std::size_t i; (i = cursor.fetch_add(1)) < end;) {
        NodeId one[] = {candidates[i]};
        results[i - next] = {candidates[i], engines[t].knock_out(one)};
        phase.advance(out.exact_evaluations + (i - next) + 1);
      }
    };
    if (workers <= 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < workers; ++t) pool.emplace_back(work, t);
      for (auto& th : pool) th.join();
    }
    out.exact_evaluations += results.size();
    next = end;
    best.insert(best.end(), results.begin(), results.end());
    std::sort(best.begin(), best.end(), [&](const auto& a, const auto& b) { return ranks_before(g, a, b); });
    if (best.size() > k) best.resize(k);
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
