#include "loss_bounds.hpp"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <limits>

#include "cycle_reach.hpp"

namespace scgraph {

namespace {

constexpr double unbounded = std::numeric_limits<double>::infinity();
// What a cycle stopped at the fixed-point tolerance (1e-12 per sweep) may leave, as a fraction of
// the total weight: a thousand times the tolerance.
constexpr double cycle_noise = 1e-9;
// Where a spread through a cycle stops (graph/cycle_reach.hpp): what is left at a member may cost
// at most this fraction of the total weight, charged in full to the bound.
constexpr double negligible_spread = 1e-7;

// Two weightings at once: every node's weight (loss) and domestic producers' weight only.
using Pair = WeightPair;

// What a loss of t at a node can cost downstream, itself included: at most t * linear and at
// most absolute, whatever t is (absolute is the cost of losing all of a(v)).
struct Reach {
  std::vector<Pair> linear, absolute;
};

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
    // The requirement's supply as node_supply() sums it (up to the order of its terms, which the
    // margin below covers), before the cap at 1.
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
  double own_total = 0;
  for (std::size_t i = 0; i < m; ++i) {
    x[i] = {own[i].all + eta, own[i].domestic + eta};
    own_total += x[i].all + x[i].domestic;
  }
  // A convergent series stays within own / (1 - rho); far beyond that it diverges: stop early
  // (a large cycle otherwise spends 2,000 sweeps reaching infinity).
  const double divergent = own_total * 1e15;
  for (int sweep = 0; sweep < 2000; ++sweep) {
    double change = 0, largest = 0;
    for (std::size_t i = m; i-- > 0;) {
      Pair next{own[i].all + eta, own[i].domestic + eta};
      for (const auto& l : inner[i]) {
        next.all += l.q * x[position[l.supplier]].all;
        next.domestic += l.q * x[position[l.supplier]].domestic;
      }
      change = std::max({change, (next.all - x[i].all) / next.all, (next.domestic - x[i].domestic) / next.domestic});
      x[i] = next;
      largest = std::max(largest, next.all);
    }
    if (!std::isfinite(change) || !(largest <= divergent)) return false;
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

// The component as one block, a bound that holds whatever the series above does (it diverges when
// members buy from each other in several requirements). Forcing every member down to a - tau is
// consistent with the equations (the min over requirements and the cap at 1 are 1-Lipschitz and
// a requirement's shares add up to at most 1) as soon as, for every member m and requirement r,
//   tau * (1 - rho(m, r)) >= (drop of r's supply from outside the block) - slack(m, r),
// rho(m, r) being share x efficiency summed over r's suppliers inside the block. The greatest fixed
// point is above any such point, so no member loses more than tau, and a drop t in m's supply from
// outside costs at most t / (1 - rho_max(m)) * block, block = the members' weight plus, for each
// consumer outside, its largest rho over requirements times its linear reach. A member knocked out
// itself costs at most a * block (tau = a: its own loss is at most a too).
// The downstream traversal below is paid once per component whose series diverged; `visit`
// carries its marks (the component's index + 1) and `budget` how many more nodes and links all
// of them may visit, so a graph of many such cycles stays linear.
struct ConeScratch {
  std::vector<std::uint32_t> visit;
  std::size_t budget = 0;
};

void block_bound(const SupplyGraph& g, std::uint32_t ci, std::span<const NodeId> members, Reach& reach,
                 std::vector<Pair>& member_cap, ConeScratch& scratch) {
  Pair block;
  std::vector<NodeId> outside;
  for (const NodeId m : members) {
    block.all += g.weight(m);
    if (g.is_domestic(m)) block.domestic += g.weight(m);
    for (const NodeId c : g.consumers_of(m))
      if (g.component_of(c) != ci) outside.push_back(c);
  }
  std::sort(outside.begin(), outside.end());
  outside.erase(std::unique(outside.begin(), outside.end()), outside.end());
  // The share of a requirement supplied from inside the block, and whether the rest holds a
  // supplier from outside that matters.
  auto inside_share = [&](ReqId r, bool& has_outside) {
    double rho = 0;
    has_outside = false;
    for (const auto& s : g.suppliers(r)) {
      const double p = s.share * s.efficiency;
      if (g.component_of(s.supplier) == ci) rho += p;
      else if (p > 0) has_outside = true;
    }
    return rho;
  };
  for (const NodeId c : outside) {
    double coefficient = 0;
    bool unused = false;
    for (ReqId r = g.req_begin(c); r < g.req_end(c); ++r) coefficient = std::max(coefficient, inside_share(r, unused));
    block.all += coefficient * reach.linear[c].all;
    block.domestic += coefficient * reach.linear[c].domestic;
  }
  // Every node downstream of the block loses at most tau too (each node's drop is at most its
  // suppliers' largest, by the same argument), so the block costs at most tau times the weight of
  // the block and its whole downstream: far less than the sum above when paths rejoin.
  Pair cone;
  const std::uint32_t mark = ci + 1;
  std::vector<NodeId> stack(members.begin(), members.end());
  for (const NodeId m : members) scratch.visit[m] = mark;
  bool complete = true;
  while (!stack.empty()) {
    const NodeId v = stack.back();
    stack.pop_back();
    cone.all += g.weight(v);
    if (g.is_domestic(v)) cone.domestic += g.weight(v);
    const auto consumers = g.consumers_of(v);
    if (scratch.budget < consumers.size() + 1) {
      complete = false;
      break;
    }
    scratch.budget -= consumers.size() + 1;
    for (const NodeId c : consumers)
      if (scratch.visit[c] != mark) {
        scratch.visit[c] = mark;
        stack.push_back(c);
      }
  }
  if (complete) block = {std::min(block.all, cone.all), std::min(block.domestic, cone.domestic)};
  // Rounding in the sums above, and in the exact recomputation they bound.
  block = {block.all * (1 + 1e-9), block.domestic * (1 + 1e-9)};
  for (const NodeId m : members) {
    member_cap[m] = block;
    double rho_max = 0;
    for (ReqId r = g.req_begin(m); r < g.req_end(m); ++r) {
      bool has_outside = false;
      const double rho = inside_share(r, has_outside);
      if (has_outside) rho_max = std::max(rho_max, rho);
    }
    const double room = 1 - rho_max;
    if (room <= 1e-9) continue;  // no useful bound: keep the series' (or none)
    const double factor = 1 / room * (1 + 1e-9);
    reach.linear[m] = {std::min(reach.linear[m].all, block.all * factor),
                       std::min(reach.linear[m].domestic, block.domestic * factor)};
  }
}

}  // namespace

LossBounds loss_upper_bounds(const SupplyGraph& g, const NodeValues& base, unsigned threads) {
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
  // Not a bound: the domestic linear reach without the links that close cycles (to a member of
  // the same component at or before the consumer's place in it), so it stays finite; it orders
  // equal bounds, which a large cycle downstream caps alike.
  std::vector<double> estimate(n), pushed_estimate(n);
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
    pushed_absolute[s].all += capped_cost(l.q * a_s, lin.all, abs.all);
    pushed_absolute[s].domestic += capped_cost(l.q * a_s, lin.domestic, abs.domestic);
    pushed_first[s].all += capped_cost(l.first, lin.all, abs.all);
    pushed_first[s].domestic += capped_cost(l.first, lin.domestic, abs.domestic);
  };
  auto push_estimate = [&](NodeId c, const Link& l) { pushed_estimate[l.supplier] += l.q * estimate[c]; };

  // A cyclic component's members: losing t costs at most t * member_cap (infinite elsewhere).
  std::vector<Pair> member_cap(n, Pair{unbounded, unbounded});
  ConeScratch cone_scratch{std::vector<std::uint32_t>(n, 0), 4 * (n + g.entry_count())};
  std::vector<std::uint32_t> position(n, 0);
  std::vector<std::vector<Link>> inner;
  std::vector<std::pair<NodeId, Link>> inner_all;  // (consumer, link) inside the component
  std::vector<Pair> own, own_absolute;
  std::vector<double> availability;
  CycleReach lap_reach;
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
      estimate[v] = w.domestic + pushed_estimate[v];
      consumer_links(g, base, v, links);
      for (const auto& l : links) {
        push(v, l);
        push_estimate(v, l);
      }
      continue;
    }
    // Cyclic: the linear reach solves its own equations; the absolute reach charges every member
    // with all of its availability lost, plus what that costs outside.
    const std::span<const NodeId> members = order.subspan(comp.begin, comp.end - comp.begin);
    for (std::uint32_t i = 0; i < members.size(); ++i) position[members[i]] = i;
    inner.assign(members.size(), {});
    inner_all.clear();
    own.assign(members.size(), {});
    own_absolute.resize(members.size());
    availability.resize(members.size());
    Pair all_lost;
    for (std::uint32_t i = 0; i < members.size(); ++i) {
      const NodeId m = members[i];
      const Pair w = weight_of(m);
      availability[i] = base.availability[m];
      own[i] = {w.all + pushed_linear[m].all, w.domestic + pushed_linear[m].domestic};
      const Pair lost{w.all * availability[i] + pushed_absolute[m].all,
                      w.domestic * availability[i] + pushed_absolute[m].domestic};
      own_absolute[i] = {std::min(total, lost.all), std::min(total_domestic, lost.domestic)};
      all_lost.all += lost.all;
      all_lost.domestic += lost.domestic;
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
    // The estimate: members from the last, inner_all holding each one's links together, in
    // member order.
    for (std::size_t i = members.size(), next = inner_all.size(); i-- > 0;) {
      const NodeId m = members[i];
      estimate[m] = weight_of(m).domestic + pushed_estimate[m];
      for (; next > 0 && inner_all[next - 1].first == m; --next)
        if (position[inner_all[next - 1].second.supplier] < i) push_estimate(m, inner_all[next - 1].second);
    }
    if (!solve_cyclic_linear(members, position, inner, own, reach.linear))
      for (const NodeId m : members) reach.linear[m] = {unbounded, unbounded};
    const bool laps = bound_cycle_reach(g, static_cast<std::uint32_t>(ci), members, position,
                                        CycleCosts{own, own_absolute, availability, all_lost},
                                        total * negligible_spread, threads, lap_reach);
    if (laps)
      for (std::uint32_t i = 0; i < members.size(); ++i) {
        Pair& lin = reach.linear[members[i]];
        lin = {std::min(lin.all, lap_reach.linear[i].all), std::min(lin.domestic, lap_reach.linear[i].domestic)};
      }
    for (const NodeId m : members) {
      const double a = base.availability[m];
      const Pair& lin = reach.linear[m];
      reach.absolute[m] = {std::min(all_lost.all, a * lin.all), std::min(all_lost.domestic, a * lin.domestic)};
      if (laps) {
        const Pair& capped = lap_reach.absolute[position[m]];
        reach.absolute[m] = {std::min(reach.absolute[m].all, capped.all), std::min(reach.absolute[m].domestic, capped.domestic)};
      }
      if (a <= 0) reach.absolute[m] = {};
    }
    // The inner links carry the component's own equations (the series and the laps above), so
    // they push before the block bound below replaces any member's linear reach.
    for (const auto& [c, l] : inner_all) push(c, l);
    // The block bound only where neither gave one: it costs a traversal of the downstream.
    if (std::any_of(members.begin(), members.end(), [&](NodeId m) { return !std::isfinite(reach.linear[m].all); }))
      block_bound(g, ci, members, reach, member_cap, cone_scratch);
    for (const NodeId c : members) {
      consumer_links(g, base, c, links);
      for (const auto& l : links)
        if (g.component_of(l.supplier) != ci) {
          push(c, l);
          push_estimate(c, l);
        }
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
  LossBounds out{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  if (total <= 0) return out;
  for (NodeId x = 0; x < n; ++x) {
    const double a = base.availability[x];
    const Pair w = weight_of(x);
    double loss = std::min({w.all * a + pushed_first[x].all, reach.absolute[x].all, a * member_cap[x].all, total});
    double domestic = std::min({w.domestic * a + pushed_first[x].domestic, reach.absolute[x].domestic,
                                a * member_cap[x].domestic, total_domestic});
    if (a <= 0) loss = domestic = 0;  // no availability to lose: only e can change
    // The bound and the exact figure are summed along different paths: a relative margin keeps
    // the bound above rounding, an absolute one above a cycle's tolerance.
    const double noise = reaches_cycle[x] ? cycle_noise : 0.0;
    auto safe = [&](double value) { return value > 0 || noise > 0 ? std::min(1.0, value / total * (1 + 1e-9) + 1e-12 + noise) : 0.0; };
    out.loss[x] = safe(loss);
    out.priority[x] = a <= 0 ? 0.0 : a * estimate[x];
    out.domestic_loss[x] = safe(domestic);
  }
  return out;
}

bool ranks_before(const SupplyGraph& g, const RankedImpact& a, const RankedImpact& b) {
  if (a.impact.domestic_loss != b.impact.domestic_loss) return a.impact.domestic_loss > b.impact.domestic_loss;
  if (a.impact.loss != b.impact.loss) return a.impact.loss > b.impact.loss;
  return g.id(a.node) < g.id(b.node);
}

namespace {

// A set of candidates knocked out together. Losses can only grow when more is knocked out, so
// the set's figures bound every member's: a set that stays below the k-th exact result rules
// all of its members out with one knockout.
struct CandidateSet {
  std::vector<NodeId> members;
  // Bounds from an enclosing set already knocked out (infinite for a fresh set).
  double domestic_bound = std::numeric_limits<double>::infinity(), loss_bound = domestic_bound;
};

// What a set's figures may differ from the exact greatest fixed point by: cycles stop within a
// tolerance, so a set's loss and a member's are only ordered up to that.
double with_margin(double figure) { return figure * (1 + 1e-9) + cycle_noise; }

}  // namespace

CertifiedTopK certified_top_k(const SupplyGraph& g, const NodeValues& base, const LossBounds& bounds, std::size_t k,
                              unsigned threads, WorkProgress* progress) {
  const std::size_t n = g.node_count();
  CertifiedTopK out;
  // How many knockouts certification needs is only known at the end: the line counts them.
  ProgressPhase phase(progress, "certifying the top chokepoints", 0, "knockouts");
  k = std::min(k, n);
  if (k == 0) return out;
  // Each node's proven bounds: the one-pass ones, lowered by the sets it was knocked out with.
  std::vector<double> domestic_bound = bounds.domestic_loss, loss_bound = bounds.loss;
  // Bound order, and among equal bounds the likelier node first: the k-th exact result sets the
  // bar that rules sets out, so strong nodes early save knockouts.
  auto bound_before = [&](NodeId a, NodeId b) {
    if (domestic_bound[a] != domestic_bound[b]) return domestic_bound[a] > domestic_bound[b];
    if (loss_bound[a] != loss_bound[b]) return loss_bound[a] > loss_bound[b];
    if (bounds.priority[a] != bounds.priority[b]) return bounds.priority[a] > bounds.priority[b];
    return a < b;
  };
  std::vector<NodeId> candidates(n);
  for (NodeId v = 0; v < n; ++v) candidates[v] = v;
  std::sort(candidates.begin(), candidates.end(), bound_before);

  KnockoutPool pool(g, base, threads);
  std::vector<RankedImpact> best;  // kept sorted, at most k
  std::vector<char> exact(n, 0);
  // Could a node still beat the k-th exact result? Compared like ranks_before(), on bounds.
  auto may_beat_kth = [&](double domestic, double loss) {
    if (best.size() < k) return true;
    const auto& kth = best.back().impact;
    if (domestic != kth.domestic_loss) return domestic > kth.domestic_loss;
    return loss >= kth.loss;
  };
  auto node_may_beat_kth = [&](NodeId u) { return !exact[u] && may_beat_kth(domestic_bound[u], loss_bound[u]); };

  // Consecutive sets in bound order tend to reach the same cycle, so the pool's waves overlap.
  std::atomic<std::size_t> done{0};
  auto count_done = [&](std::size_t count) { phase.advance(done.fetch_add(count, std::memory_order_relaxed) + count); };
  // The ranking and the sets' bounds read a alone: e's waves are left for the ranked nodes.
  auto knock_out_batch = [&](const std::vector<CandidateSet>& batch) {
    std::vector<std::span<const NodeId>> sets;
    for (const auto& set : batch) sets.emplace_back(set.members);
    return pool.knock_out(sets, count_done, 1, KnockoutFigures::availability_only);
  };
  auto add_exact = [&](NodeId v, const KnockoutImpact& impact) {
    ++out.exact_evaluations;
    exact[v] = 1;
    domestic_bound[v] = impact.domestic_loss;  // exact now: the bound for the rest below
    loss_bound[v] = impact.loss;
    best.push_back({v, impact});
    std::sort(best.begin(), best.end(), [&](const auto& a, const auto& b) { return ranks_before(g, a, b); });
    if (best.size() > k) best.resize(k);
  };

  auto knock_out_singly = [&](const std::vector<NodeId>& nodes) {
    if (nodes.empty()) return;
    std::vector<CandidateSet> singles;
    for (NodeId v : nodes) singles.push_back({{v}});
    auto results = knock_out_batch(singles);
    for (std::size_t i = 0; i < nodes.size(); ++i) add_exact(nodes[i], results[i]);
  };
  // The k best bounds first, one by one: they set the bar.
  knock_out_singly({candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k)});
  std::size_t next = k;
  // Then the k nodes with the most consumers among those the bar leaves in: popular suppliers
  // are likely strong, and the bounds (capped where a large cycle lies downstream) cannot tell
  // them from the rest. A higher bar early spares the sets that a lower one would split.
  {
    std::vector<NodeId> contenders;
    for (std::size_t i = k; i < n; ++i)
      if (node_may_beat_kth(candidates[i])) contenders.push_back(candidates[i]);
    const std::size_t popular = std::min(k, contenders.size());
    auto more_consumers = [&](NodeId a, NodeId b) {
      const std::size_t consumers_a = g.consumers_of(a).size(), consumers_b = g.consumers_of(b).size();
      return consumers_a != consumers_b ? consumers_a > consumers_b : a < b;
    };
    std::partial_sort(contenders.begin(), contenders.begin() + static_cast<std::ptrdiff_t>(popular), contenders.end(),
                      more_consumers);
    contenders.resize(popular);
    knock_out_singly(contenders);
  }
  // Then the rest in bound order, in sets: a set that stays below the bar rules its members out
  // and the next set is twice as large; one that does not is split in halves, down to single
  // nodes, which are exact. Batch contents and set sizes depend only on bounds and results, never
  // on the thread count, so neither do the result and the number of knockouts.
  constexpr std::size_t batch_size = 2 * knockout_lanes, largest_set = 1024;
  std::size_t set_size = 4;
  std::vector<CandidateSet> splits;  // sets waiting to be knocked out, the next one at the back
  for (;;) {
    std::vector<CandidateSet> batch;
    while (batch.size() < batch_size) {
      CandidateSet set;
      if (!splits.empty()) {
        set = std::move(splits.back());
        splits.pop_back();
        if (!may_beat_kth(set.domestic_bound, set.loss_bound)) continue;  // the bar rose past it
        std::erase_if(set.members, [&](NodeId u) { return !node_may_beat_kth(u); });
      } else {
        // Nodes from `next` on that are not exact yet still have their one-pass bounds, in order:
        // the first that cannot beat the bar ends the search.
        for (; next < n && set.members.size() < set_size; ++next) {
          if (exact[candidates[next]]) continue;
          if (!node_may_beat_kth(candidates[next])) break;
          set.members.push_back(candidates[next]);
        }
        if (set.members.empty()) break;
      }
      if (!set.members.empty()) batch.push_back(std::move(set));
    }
    if (batch.empty()) break;
    auto results = knock_out_batch(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto& set = batch[i];
      const auto& r = results[i];
      if (set.members.size() == 1) {
        add_exact(set.members[0], r);
        continue;
      }
      ++out.set_evaluations;
      const double domestic = with_margin(r.domestic_loss), loss = with_margin(r.loss);
      for (NodeId u : set.members) {
        domestic_bound[u] = std::min(domestic_bound[u], domestic);
        loss_bound[u] = std::min(loss_bound[u], loss);
      }
      if (!may_beat_kth(domestic, loss)) {
        set_size = std::min(largest_set, set_size * 2);
        continue;
      }
      set_size = std::max<std::size_t>(2, set_size / 2);
      const std::size_t half = set.members.size() / 2;
      CandidateSet low{{set.members.begin(), set.members.begin() + static_cast<std::ptrdiff_t>(half)}, domestic, loss};
      CandidateSet high{{set.members.begin() + static_cast<std::ptrdiff_t>(half), set.members.end()}, domestic, loss};
      splits.push_back(std::move(high));
      splits.push_back(std::move(low));
    }
  }
  {
    std::vector<std::span<const NodeId>> ranked;
    for (const auto& r : best) ranked.emplace_back(&r.node, 1);
    // Not counted as knockouts: a tail of small waves (e is 0 wherever a foreign input binds).
    const auto effective = pool.knock_out(ranked, {}, 1, KnockoutFigures::effective_only);
    for (std::size_t i = 0; i < best.size(); ++i) best[i].impact.effective_loss = effective[i].effective_loss;
  }
  out.top = std::move(best);
  // Every node outside the top: its exact figures, or its proven bounds.
  std::vector<char> in_top(n, 0);
  for (const auto& r : out.top) in_top[r.node] = 1;
  for (NodeId v = 0; v < n; ++v) {
    if (in_top[v]) continue;
    out.remaining_domestic_bound = std::max(out.remaining_domestic_bound, domestic_bound[v]);
    out.remaining_loss_bound = std::max(out.remaining_loss_bound, loss_bound[v]);
  }
  return out;
}

}  // namespace scgraph
