#include "reliance.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace scgraph {

namespace {

// Calls add(entry, supplier) for each of r's suppliers in summation order. Inside a cycle a
// requirement sums its suppliers from outside the cycle first, then those inside, each group in
// entry order: the outside part is final when the cycle's turn comes, so the knockout engine
// forms it once and adds only the inside part in every sweep, with the same bits.
// Outside cycles that order is the entry order: one pass, no bits to test.
template <bool in_cycle, class Add>
void for_each_supplier(const SupplyGraph& g, ReqId r, Add&& add) {
  const auto suppliers = g.suppliers(r);
  const EntryId first = g.entry_begin(r);
  if constexpr (!in_cycle) {
    for (std::size_t i = 0; i < suppliers.size(); ++i) add(first + static_cast<EntryId>(i), suppliers[i]);
    return;
  }
  for (std::size_t i = 0; i < suppliers.size(); ++i)
    if (!g.supplier_in_own_cycle(first + static_cast<EntryId>(i))) add(first + static_cast<EntryId>(i), suppliers[i]);
  for (std::size_t i = 0; i < suppliers.size(); ++i)
    if (g.supplier_in_own_cycle(first + static_cast<EntryId>(i))) add(first + static_cast<EntryId>(i), suppliers[i]);
}

// A foreign producer's e is 0 whatever it buys: that sum is skipped.
bool sums_effective(const SupplyGraph& g, NodeId v) { return g.is_aggregate(v) || g.is_domestic(v); }

// a of a node with requirements: each requirement's sum from its unmapped share.
template <bool in_cycle>
double availability_from_requirements(const SupplyGraph& g, NodeId v, const NodeValues& x, const Knockout& ko) {
  // A knocked-out node delivers nothing, but what it is made of (its direct share) is unchanged.
  if (ko.out(v)) return 0.0;
  double avail = 1.0;
  for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
    double sum = g.unmapped(r);
    for_each_supplier<in_cycle>(g, r, [&](EntryId e, const SupplyEntry& s) {
      if (!ko.cut(e)) sum += s.share * s.efficiency * x.availability[s.supplier];
    });
    avail = std::min(avail, std::min(1.0, sum));
  }
  return avail;
}

// e of a node with requirements: each requirement's sum from 0.
template <bool in_cycle>
double effective_from_requirements(const SupplyGraph& g, NodeId v, const NodeValues& x, const Knockout& ko) {
  if (ko.out(v) || !sums_effective(g, v)) return 0.0;
  double effective = 1.0;
  for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
    double sum = 0;
    for_each_supplier<in_cycle>(g, r, [&](EntryId e, const SupplyEntry& s) {
      if (!ko.cut(e)) sum += s.share * s.efficiency * x.effective[s.supplier];
    });
    effective = std::min(effective, sum);
  }
  return effective;
}

// node_supply() of a node outside any cycle (a cycle's members always have requirements).
Supply acyclic_supply(const SupplyGraph& g, NodeId v, const NodeValues& x, const Knockout& ko) {
  if (g.req_begin(v) == g.req_end(v)) {
    // No requirements: a producer is what it is; an aggregate with no suppliers has a = 1, e = 0.
    if (ko.out(v)) return {0.0, 0.0};
    return {1.0, !g.is_aggregate(v) && g.is_domestic(v) ? 1.0 : 0.0};
  }
  return {availability_from_requirements<false>(g, v, x, ko), effective_from_requirements<false>(g, v, x, ko)};
}

}  // namespace

Supply node_supply(const SupplyGraph& g, NodeId v, const NodeValues& x, const Knockout& ko) {
  if (g.components()[g.component_of(v)].cyclic)
    return {availability_from_requirements<true>(g, v, x, ko), effective_from_requirements<true>(g, v, x, ko)};
  return acyclic_supply(g, v, x, ko);
}

double node_direct(const SupplyGraph& g, NodeId v, const double* d) {
  if (!g.is_aggregate(v)) return g.is_domestic(v) ? 1.0 : 0.0;
  if (g.req_begin(v) == g.req_end(v)) return 0.0;  // an aggregate with no suppliers
  double direct = 1.0;
  for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
    double sum = 0;
    for (const auto& s : g.suppliers(r)) sum += s.share * d[s.supplier];
    direct = std::min(direct, sum);
  }
  return direct;
}

NodeValues evaluate(const SupplyGraph& g, const Knockout& ko) {
  const std::size_t n = g.node_count();
  // Start from 1 everywhere: acyclic nodes are computed once from finished suppliers; inside a
  // cycle, iterating down from 1 reaches the greatest fixed point.
  NodeValues x{std::vector<double>(n, 1.0), std::vector<double>(n, 1.0), std::vector<double>(n, 1.0)};
  auto order = g.topological_order();
  for (const auto& c : g.components()) {
    if (!c.cyclic) {
      const NodeId v = order[c.begin];
      const Supply u = acyclic_supply(g, v, x, ko);
      x.direct[v] = node_direct(g, v, x.direct.data());
      x.availability[v] = u.availability;
      x.effective[v] = u.effective;
      continue;
    }
    // d, a and e are three independent systems (none reads another), each iterated to its own
    // tolerance: the knockout engine solves a cycle again for a, or for e, alone and lands on
    // the same bits.
    auto sweep_until_settled = [&](std::vector<double>& values, auto&& compute) {
      for (bool moving = true; moving;) {
        moving = false;
        for (std::uint32_t i = c.begin; i < c.end; ++i) {
          const NodeId v = order[i];
          const double now = compute(v);
          if (std::abs(now - values[v]) > fixed_point_tolerance) moving = true;
          values[v] = now;
        }
      }
    };
    sweep_until_settled(x.direct, [&](NodeId v) { return node_direct(g, v, x.direct.data()); });
    sweep_until_settled(x.availability, [&](NodeId v) { return availability_from_requirements<true>(g, v, x, ko); });
    sweep_until_settled(x.effective, [&](NodeId v) { return effective_from_requirements<true>(g, v, x, ko); });
  }
  return x;
}

std::optional<double> node_localization(const SupplyGraph& g, NodeId v, const NodeValues& x) {
  if (!g.is_domestic(v) || g.requirement_count(v) == 0) return std::nullopt;
  double sum = 0;
  for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r)
    for (const auto& s : g.suppliers(r)) sum += s.share * x.direct[s.supplier];
  return sum / static_cast<double>(g.requirement_count(v));
}

Figures summarize(const SupplyGraph& g, const NodeValues& x, const std::vector<char>& include) {
  Figures f;
  double wd = 0, we = 0, wa = 0, loc_num = 0, loc_den = 0;
  for (NodeId v = 0; v < g.node_count(); ++v) {
    if (!include.empty() && !include[v]) continue;
    double w = g.weight(v);
    ++f.nodes;
    f.weight += w;
    wd += w * x.direct[v];
    we += w * x.effective[v];
    wa += w * x.availability[v];
    if (auto loc = node_localization(g, v, x)) {
      loc_num += w * *loc;
      loc_den += w;
    }
  }
  if (f.weight > 0) {
    f.nominal = wd / f.weight;
    f.effective = we / f.weight;
    f.availability = wa / f.weight;
  }
  if (loc_den > 0) f.localization = loc_num / loc_den;
  return f;
}

std::optional<GroupBy> parse_group_by(std::string_view text) {
  if (text == "kind") return GroupBy::kind;
  if (text == "stage") return GroupBy::stage;
  if (text == "country") return GroupBy::country;
  return std::nullopt;
}

std::vector<GroupFigures> summarize_by(const SupplyGraph& g, const NodeValues& x, GroupBy by) {
  std::map<std::string, std::vector<char>> members;
  for (NodeId v = 0; v < g.node_count(); ++v) {
    std::string key;
    switch (by) {
      case GroupBy::kind: key = std::string(to_string(g.kind(v))); break;
      case GroupBy::stage: key = std::string(g.stage(v)); break;
      case GroupBy::country: key = std::string(g.country(v)); break;
    }
    auto& mask = members[key];
    if (mask.empty()) mask.assign(g.node_count(), 0);
    mask[v] = 1;
  }
  std::vector<GroupFigures> out;
  for (const auto& [key, mask] : members) out.push_back({key, summarize(g, x, mask)});
  return out;
}

}  // namespace scgraph
