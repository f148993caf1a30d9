#include "cycle_reach.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <queue>

#include "parallel.hpp"

namespace scgraph {

namespace {

using Pair = WeightPair;

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

// The component's links by member index (members in component order, suppliers first but for
// the F links): every link inside per requirement (for M, and for the max of a spread), D links
// per supplier (to spread, each naming the requirement it feeds), F links per supplier, with the
// far end's index among the ends.
struct Links {
  struct Delivery {
    std::uint32_t consumer, requirement;  // requirement: index into inside_entry_begin
    double p;
  };
  struct Forward {
    std::uint32_t consumer;
    double q;  // the supplier's largest p among the consumer's requirements
  };
  struct Back {
    std::uint32_t end;  // index into ends
    double p;
  };
  std::vector<std::uint32_t> delivery_begin;  // per member as a supplier
  std::vector<Delivery> deliveries;
  std::vector<std::uint32_t> forward_begin;
  std::vector<Forward> forward;
  std::vector<std::uint32_t> back_begin;
  std::vector<Back> back;
  std::vector<std::uint32_t> ends;  // members that an F link enters, ascending
  // Every link inside, D and F, per requirement with one, and per member the p of its F links
  // summed (the most that a drop there sends into any one end, per unit).
  struct Entry {
    std::uint32_t supplier;
    double p;
  };
  std::vector<std::uint32_t> inside_requirement_begin;  // per member
  std::vector<std::uint32_t> inside_entry_begin;        // per requirement
  std::vector<Entry> inside_entries;
  std::vector<double> leaving_share;

  // (M x)(c): the largest requirement sum over the suppliers inside.
  [[nodiscard]] double apply(std::uint32_t c, const double* x) const {
    double best = 0;
    for (std::uint32_t r = inside_requirement_begin[c]; r < inside_requirement_begin[c + 1]; ++r) {
      double sum = 0;
      for (std::uint32_t k = inside_entry_begin[r]; k < inside_entry_begin[r + 1]; ++k)
        sum += inside_entries[k].p * x[inside_entries[k].supplier];
      best = std::max(best, sum);
    }
    return best;
  }
};

Links component_links(const SupplyGraph& g, std::uint32_t component, std::span<const NodeId> members,
                      std::span<const std::uint32_t> position) {
  const std::size_t size = members.size();
  Links links;
  struct Entry {
    std::uint32_t supplier, consumer, requirement;
    double p;
  };
  std::vector<Entry> d_entries, f_entries;
  links.inside_requirement_begin.push_back(0);
  links.inside_entry_begin.push_back(0);
  links.leaving_share.assign(size, 0.0);
  std::vector<char> is_end(size, 0);
  for (std::uint32_t c = 0; c < size; ++c) {
    for (ReqId r = g.req_begin(members[c]); r < g.req_end(members[c]); ++r) {
      const std::size_t before = links.inside_entries.size();
      const auto requirement = static_cast<std::uint32_t>(links.inside_entry_begin.size() - 1);
      for (const auto& s : g.suppliers(r)) {
        const double p = s.share * s.efficiency;
        if (g.component_of(s.supplier) != component || !(p > 0)) continue;
        const std::uint32_t supplier = position[s.supplier];
        links.inside_entries.push_back({supplier, p});
        if (supplier < c) {
          d_entries.push_back({supplier, c, requirement, p});
        } else {
          f_entries.push_back({supplier, c, 0, p});
          links.leaving_share[supplier] += p;
          is_end[c] = 1;
        }
      }
      if (links.inside_entries.size() > before)
        links.inside_entry_begin.push_back(static_cast<std::uint32_t>(links.inside_entries.size()));
    }
    links.inside_requirement_begin.push_back(static_cast<std::uint32_t>(links.inside_entry_begin.size() - 1));
  }
  std::vector<std::uint32_t> end_of(size, none);
  for (std::uint32_t c = 0; c < size; ++c)
    if (is_end[c]) {
      end_of[c] = static_cast<std::uint32_t>(links.ends.size());
      links.ends.push_back(c);
    }
  auto by_supplier = [](const Entry& a, const Entry& b) {
    return a.supplier != b.supplier ? a.supplier < b.supplier : a.consumer < b.consumer;
  };
  std::sort(d_entries.begin(), d_entries.end(), by_supplier);
  std::sort(f_entries.begin(), f_entries.end(), by_supplier);
  links.delivery_begin.assign(size + 1, 0);
  links.forward_begin.assign(size + 1, 0);
  links.back_begin.assign(size + 1, 0);
  for (std::size_t k = 0; k < d_entries.size(); ++k) {
    const Entry& e = d_entries[k];
    links.deliveries.push_back({e.consumer, e.requirement, e.p});
    ++links.delivery_begin[e.supplier + 1];
    if (k > 0 && d_entries[k - 1].supplier == e.supplier && d_entries[k - 1].consumer == e.consumer) {
      links.forward.back().q = std::max(links.forward.back().q, e.p);
    } else {
      links.forward.push_back({e.consumer, e.p});
      ++links.forward_begin[e.supplier + 1];
    }
  }
  for (const Entry& e : f_entries) {
    links.back.push_back({end_of[e.consumer], e.p});
    ++links.back_begin[e.supplier + 1];
  }
  for (std::size_t i = 0; i < size; ++i) {
    links.delivery_begin[i + 1] += links.delivery_begin[i];
    links.forward_begin[i + 1] += links.forward_begin[i];
    links.back_begin[i + 1] += links.back_begin[i];
  }
  return links;
}

// The linear reach through D with the given weights: reach(c) = weight(c) + sum q * reach(c'),
// over c's D consumers c' (all later in the order). `ends_bound`, when given, caps each end's
// reach (any bound on what a unit at c' spreads with these weights serves for c').
void linear_reach(const Links& links, std::span<const Pair> weight, std::vector<Pair>& reach,
                  const std::vector<Pair>* ends_bound = nullptr) {
  const std::size_t size = weight.size();
  reach.resize(size);
  std::size_t end = links.ends.size();
  for (std::size_t c = size; c-- > 0;) {
    Pair sum = weight[c];
    for (std::uint32_t k = links.forward_begin[c]; k < links.forward_begin[c + 1]; ++k) {
      sum.all += links.forward[k].q * reach[links.forward[k].consumer].all;
      sum.domestic += links.forward[k].q * reach[links.forward[k].consumer].domestic;
    }
    if (ends_bound && end > 0 && links.ends[end - 1] == c) {
      --end;
      sum = {std::min(sum.all, (*ends_bound)[end].all), std::min(sum.domestic, (*ends_bound)[end].domestic)};
    }
    reach[c] = sum;
  }
}

// What a unit at one end spreads through D: the members it reaches with their drops, kept where
// an F link leaves them, and what was left unspread, with the weights' part already summed.
struct Spread {
  Pair own_cost;                                          // own . S_D, the part left unspread included
  std::vector<std::pair<std::uint32_t, double>> leaving;  // (member with F links, drop)
  std::vector<std::pair<std::uint32_t, double>> left;     // (member, drop left unspread there)
};

struct SpreadScratch {
  std::vector<double> supply;  // per requirement
  std::vector<char> queued;
  std::vector<std::uint32_t> reached;
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> next;
  SpreadScratch(std::size_t members, std::size_t requirements) : supply(requirements, 0.0), queued(members, 0) {}
};

// S_D(1_start), in member order so that every drop is final when its member's turn comes.
Spread spread_from(const Links& links, std::span<const Pair> own, const std::vector<Pair>& own_reach,
                   const std::vector<double>& charge, std::uint32_t start, double negligible, SpreadScratch& s) {
  Spread out;
  s.queued[start] = 1;
  s.reached.push_back(start);
  s.next.push(start);
  while (!s.next.empty()) {
    const std::uint32_t c = s.next.top();
    s.next.pop();
    double drop = 0;
    for (std::uint32_t r = links.inside_requirement_begin[c]; r < links.inside_requirement_begin[c + 1]; ++r)
      drop = std::max(drop, s.supply[r]);
    if (c == start) drop += 1;
    if (c != start && drop * charge[c] <= negligible) {
      // Not spread further: charged here at its linear reach through D; what it may send back
      // into the ends is charged where the ends' bounds are formed.
      out.own_cost.all += drop * own_reach[c].all;
      out.own_cost.domestic += drop * own_reach[c].domestic;
      out.left.push_back({c, drop});
      continue;
    }
    out.own_cost.all += drop * own[c].all;
    out.own_cost.domestic += drop * own[c].domestic;
    if (links.back_begin[c] < links.back_begin[c + 1]) out.leaving.push_back({c, drop});
    for (std::uint32_t k = links.delivery_begin[c]; k < links.delivery_begin[c + 1]; ++k) {
      const auto& d = links.deliveries[k];
      s.supply[d.requirement] += d.p * drop;
      if (!s.queued[d.consumer]) {
        s.queued[d.consumer] = 1;
        s.reached.push_back(d.consumer);
        s.next.push(d.consumer);
      }
    }
  }
  for (std::uint32_t c : s.reached) {
    s.queued[c] = 0;
    for (std::uint32_t r = links.inside_requirement_begin[c]; r < links.inside_requirement_begin[c + 1]; ++r) s.supply[r] = 0;
  }
  s.reached.clear();
  return out;
}

// tau(s) = sum over s's F links of p * z(end): what a unit leaving s through them costs.
void form_tau(const Links& links, const std::vector<Pair>& z, std::vector<Pair>& tau) {
  for (std::size_t c = 0; c < tau.size(); ++c) {
    Pair sum;
    for (std::uint32_t k = links.back_begin[c]; k < links.back_begin[c + 1]; ++k) {
      sum.all += links.back[k].p * z[links.back[k].end].all;
      sum.domestic += links.back[k].p * z[links.back[k].end].domestic;
    }
    tau[c] = sum;
  }
}

// next(t) = t's spread costed with own + tau: its own part, what leaves through F links at tau,
// and what was left unspread at its linear reach with tau (tau and that reach formed from z).
void ends_step(const Links& links, const std::vector<Spread>& spreads, const std::vector<Pair>& z,
               std::vector<Pair>& tau, std::vector<Pair>& tau_reach, std::vector<Pair>& next) {
  form_tau(links, z, tau);
  linear_reach(links, tau, tau_reach);
  next.resize(spreads.size());
  for (std::size_t e = 0; e < spreads.size(); ++e) {
    Pair sum = spreads[e].own_cost;
    for (const auto& [c, drop] : spreads[e].leaving) {
      sum.all += drop * tau[c].all;
      sum.domestic += drop * tau[c].domestic;
    }
    for (const auto& [c, drop] : spreads[e].left) {
      sum.all += drop * tau_reach[c].all;
      sum.domestic += drop * tau_reach[c].domestic;
    }
    next[e] = sum;
  }
}

// X >= M X + 1_ends, checked: what a unit entering every end at once spreads, laps included (the
// least solution, found from below; finite as long as no set of members can keep a drop going
// round without fading). Empty when it does not settle or the check fails.
std::vector<double> all_ends_entered(const Links& links, std::size_t size) {
  std::vector<double> source(size, 0.0), x(size, 0.0);
  for (std::uint32_t c : links.ends) source[c] = 1;
  // Solved with a little more entering everywhere, so that the check below has room at every
  // member (a larger source only raises the least solution).
  constexpr double room = 1e-6;
  bool settled = false;
  for (int sweep = 0; sweep < 10000 && !settled; ++sweep) {
    double change = 0;
    for (std::uint32_t c = 0; c < size; ++c) {
      const double next = source[c] + room + links.apply(c, x.data());
      if (!(next < 1e12)) return {};
      change = std::max(change, (next - x[c]) / next);
      x[c] = next;
    }
    settled = change < 1e-13;
  }
  if (!settled) return {};
  for (double& v : x) v *= 1 + 1e-9;
  for (std::uint32_t c = 0; c < size; ++c)
    if (!(x[c] >= (source[c] + links.apply(c, x.data())) * (1 + 1e-12))) return {};
  return x;
}

}  // namespace

bool bound_cycle_reach(const SupplyGraph& g, std::uint32_t component, std::span<const NodeId> members,
                       std::span<const std::uint32_t> position, const CycleCosts& costs, double negligible,
                       unsigned threads, CycleReach& out) {
  const std::span<const Pair> own = costs.own;
  std::vector<Pair>& reach = out.linear;
  const std::size_t size = members.size();
  const Links links = component_links(g, component, members, position);
  std::vector<Pair> own_reach;
  linear_reach(links, own, own_reach);

  // Each end's bound without any system: after its spread through D, what enters the ends
  // again is at most the largest amount entering one of them times a unit entering all of them.
  const std::vector<double> all_ends = all_ends_entered(links, size);
  if (all_ends.empty()) return false;
  Pair all_ends_cost;
  for (std::size_t c = 0; c < size; ++c) {
    all_ends_cost.all += own[c].all * all_ends[c];
    all_ends_cost.domestic += own[c].domestic * all_ends[c];
  }
  std::vector<Pair> share_reach, share_weight(size);
  for (std::size_t c = 0; c < size; ++c) share_weight[c] = {links.leaving_share[c], 0.0};
  linear_reach(links, share_weight, share_reach);
  // A spread stops where what is left costs little, at most its linear reach through D and what
  // it may send into the ends again.
  std::vector<double> charge(size);
  for (std::size_t c = 0; c < size; ++c) charge[c] = own_reach[c].all + share_reach[c].all * all_ends_cost.all;
  const std::size_t ends = links.ends.size();
  std::vector<Spread> spreads(ends);
  std::atomic<std::size_t> cursor{0};
  run_workers(worker_count(threads, ends), [&](unsigned) {
    SpreadScratch scratch(size, links.inside_entry_begin.size() - 1);
    for (std::size_t e; (e = cursor.fetch_add(1)) < ends;)
      spreads[e] = spread_from(links, own, own_reach, charge, links.ends[e], negligible, scratch);
  });
  std::vector<Pair> z(ends);
  {
    std::vector<double> entering(ends, 0.0);
    for (std::size_t e = 0; e < ends; ++e) {
      double largest = 0, unspread = 0;
      for (const auto& [c, drop] : spreads[e].leaving)
        for (std::uint32_t k = links.back_begin[c]; k < links.back_begin[c + 1]; ++k)
          largest = std::max(largest, entering[links.back[k].end] += links.back[k].p * drop);
      for (const auto& [c, drop] : spreads[e].leaving)
        for (std::uint32_t k = links.back_begin[c]; k < links.back_begin[c + 1]; ++k) entering[links.back[k].end] = 0;
      for (const auto& [c, drop] : spreads[e].left) unspread += drop * share_reach[c].all;
      const double again = (largest + unspread) * (1 + 1e-9);
      z[e] = {spreads[e].own_cost.all + again * all_ends_cost.all,
              spreads[e].own_cost.domestic + again * all_ends_cost.domestic};
    }
  }

  // Then each end's bound is at most its spread costed with own + tau, tau formed from the ends'
  // bounds: a step of that from valid bounds gives valid bounds, so the steps can only lower z.
  std::vector<Pair> tau(size), tau_reach, next;
  for (int step = 0; step < 1000; ++step) {
    ends_step(links, spreads, z, tau, tau_reach, next);
    double change = 0;
    for (std::size_t e = 0; e < ends; ++e) {
      const Pair lower{next[e].all * (1 + 1e-12), next[e].domestic * (1 + 1e-12)};
      if (lower.all < z[e].all) change = std::max(change, 1 - lower.all / z[e].all);
      if (lower.domestic < z[e].domestic) change = std::max(change, 1 - lower.domestic / z[e].domestic);
      z[e] = {std::min(z[e].all, lower.all), std::min(z[e].domestic, lower.domestic)};
    }
    if (change < 1e-9) break;
  }
  form_tau(links, z, tau);

  // Every member: its own cost, what leaves through its F links at tau, and its D consumers'
  // bounds (the linear reach through D with own + tau; an end's no more than z).
  std::vector<Pair> weight(size);
  for (std::size_t c = 0; c < size; ++c) weight[c] = {own[c].all + tau[c].all, own[c].domestic + tau[c].domestic};
  linear_reach(links, weight, reach, &z);
  for (auto& x : reach) x = {x.all * (1 + 1e-9), x.domestic * (1 + 1e-9)};

  // What a member losing all of its availability costs, at most: the same pass through D, each
  // consumer charged the smaller of its linear reach times what it loses and what losing all of
  // its own costs, and an end no more than the whole component with its downstream.
  std::vector<Pair> end_absolute(ends);
  for (std::size_t e = 0; e < ends; ++e) {
    const double a = costs.availability[links.ends[e]];
    end_absolute[e] = {std::min(costs.all_lost.all, a * z[e].all), std::min(costs.all_lost.domestic, a * z[e].domestic)};
  }
  out.absolute.resize(size);
  for (std::size_t c = size; c-- > 0;) {
    const double a = costs.availability[c];
    Pair sum = costs.own_absolute[c];
    for (std::uint32_t k = links.forward_begin[c]; k < links.forward_begin[c + 1]; ++k) {
      const std::uint32_t d = links.forward[k].consumer;
      const Pair part = capped_cost(links.forward[k].q * a, reach[d], out.absolute[d]);
      sum = {sum.all + part.all, sum.domestic + part.domestic};
    }
    for (std::uint32_t k = links.back_begin[c]; k < links.back_begin[c + 1]; ++k) {
      const std::uint32_t e = links.back[k].end;
      const Pair part = capped_cost(links.back[k].p * a, z[e], end_absolute[e]);
      sum = {sum.all + part.all, sum.domestic + part.domestic};
    }
    out.absolute[c] = {std::min({sum.all * (1 + 1e-9), costs.all_lost.all, a * reach[c].all}),
                       std::min({sum.domestic * (1 + 1e-9), costs.all_lost.domestic, a * reach[c].domestic})};
  }
  return true;
}

}  // namespace scgraph
