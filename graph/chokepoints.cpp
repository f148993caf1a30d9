#include "chokepoints.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <fmt/format.h>
#include <map>
#include <thread>

#include "loss_bounds.hpp"

namespace scgraph {

std::optional<ChokepointGroup> parse_chokepoint_group(std::string_view text) {
  if (text == "node") return ChokepointGroup::node;
  if (text == "country") return ChokepointGroup::country;
  if (text == "owner") return ChokepointGroup::owner;
  return std::nullopt;
}

std::string_view to_string(ChokepointGroup group) {
  switch (group) {
    case ChokepointGroup::node: return "node";
    case ChokepointGroup::country: return "country";
    case ChokepointGroup::owner: return "owner";
  }
  return "node";
}

RequirementConcentration requirement_concentration(const SupplyGraph& g, ReqId r) {
  RequirementConcentration c;
  c.requirement = r;
  c.unmapped = g.unmapped(r);
  std::map<std::uint32_t, double> by_country;  // interned country -> summed share
  double sum_squares = 0;
  for (const auto& s : g.suppliers(r)) {
    sum_squares += s.share * s.share;
    c.top_share = std::max(c.top_share, s.share);
    if (g.origin(s.supplier) == Origin::foreign) c.foreign_share += s.share;
    if (!g.country(s.supplier).empty()) by_country[g.country_index(s.supplier)] += s.share;
  }
  c.hhi = 10000 * sum_squares;
  std::vector<double> totals;
  for (const auto& [country, share] : by_country) totals.push_back(share);
  std::sort(totals.begin(), totals.end(), std::greater<>());
  double running = 0;
  for (std::size_t i = 0; i < totals.size(); ++i) {
    running += totals[i];
    // Shares are often written as decimals that do not add up exactly (0.25 + 0.5).
    if (running >= 0.75 - 1e-12) {
      c.countries_to_75 = static_cast<std::uint32_t>(i + 1);
      break;
    }
  }
  return c;
}

std::vector<SuppliedRequirement> supplied_requirements(const SupplyGraph& g, std::span<const NodeId> members) {
  // Each consumer outside the members, ascending, once; then its requirements that the members
  // supply. "Is it a member" is asked for every entry of every consumer.
  std::vector<NodeId> consumers;
  std::vector<SuppliedRequirement> out;
  auto requirements = [&](auto&& member) {
    for (NodeId c : consumers)
      for (ReqId r = g.req_begin(c); r < g.req_end(c); ++r) {
        double mine = 0, others = g.unmapped(r);
        for (const auto& s : g.suppliers(r)) (member(s.supplier) ? mine : others) += s.share;
        if (mine > 0) out.push_back({c, r, mine, others < sole_source_tolerance});
      }
  };
  if (members.size() * 64 < g.node_count()) {
    // A few members (one node, an owner): a sorted copy answers.
    std::vector<NodeId> sorted(members.begin(), members.end());
    std::sort(sorted.begin(), sorted.end());
    auto member = [&](NodeId v) { return std::binary_search(sorted.begin(), sorted.end(), v); };
    for (NodeId m : sorted)
      for (NodeId c : g.consumers_of(m))
        if (!member(c)) consumers.push_back(c);
    std::sort(consumers.begin(), consumers.end());
    consumers.erase(std::unique(consumers.begin(), consumers.end()), consumers.end());
    requirements(member);
    return out;
  }
  // Many (a country can hold a good part of a large graph, where binary searches and sorting
  // every consumer entry cost seconds): a bit per node, read off in ascending order.
  const std::size_t words = (g.node_count() + 63) / 64;
  std::vector<std::uint64_t> member_bits(words, 0), consumer_bits(words, 0);
  for (NodeId m : members) member_bits[m >> 6] |= std::uint64_t{1} << (m & 63);
  for (NodeId m : members)
    for (NodeId c : g.consumers_of(m)) consumer_bits[c >> 6] |= std::uint64_t{1} << (c & 63);
  for (std::size_t w = 0; w < words; ++w)
    for (std::uint64_t bits = consumer_bits[w] & ~member_bits[w]; bits != 0; bits &= bits - 1)
      consumers.push_back(static_cast<NodeId>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
  requirements([&](NodeId v) { return ((member_bits[v >> 6] >> (v & 63)) & 1) != 0; });
  return out;
}

namespace {

struct Candidate {
  std::string id;
  std::vector<NodeId> members;
  KnockoutImpact impact;
};

bool candidate_before(const Candidate& a, const Candidate& b) {
  if (a.impact.domestic_loss != b.impact.domestic_loss) return a.impact.domestic_loss > b.impact.domestic_loss;
  if (a.impact.loss != b.impact.loss) return a.impact.loss > b.impact.loss;
  return a.id < b.id;
}

// Groups of one country or one owner; members ascending by id.
std::vector<Candidate> group_candidates(const SupplyGraph& g, ChokepointGroup group) {
  std::map<std::string, std::vector<NodeId>, std::less<>> members;
  for (NodeId v = 0; v < g.node_count(); ++v) {
    std::string_view key = group == ChokepointGroup::country ? g.country(v) : g.owner(v);
    if (key.empty() || (group == ChokepointGroup::country && g.is_aggregate(v))) continue;
    members[std::string(key)].push_back(v);
  }
  std::vector<Candidate> out;
  for (auto& [key, nodes] : members) {
    std::sort(nodes.begin(), nodes.end(), [&](NodeId a, NodeId b) { return g.id(a) < g.id(b); });
    out.push_back({key, std::move(nodes), {}});
  }
  return out;
}

void knock_out_groups(const SupplyGraph& g, const NodeValues& base, std::vector<Candidate>& groups, unsigned threads,
                      WorkProgress* progress) {
  std::vector<std::vector<NodeId>> sets;
  sets.reserve(groups.size());
  for (const auto& group : groups) sets.push_back(group.members);
  auto impacts = knock_out_each_set(g, base, sets, threads, progress);
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i].impact = impacts[i];
}

bool any_member(const std::vector<NodeId>& members, auto&& condition) {
  return std::any_of(members.begin(), members.end(), condition);
}

bool shown(const SupplyGraph& g, const Candidate& c, const ChokepointFilter& f) {
  if (c.impact.loss < f.min_loss) return false;
  auto contains = [](const auto& list, auto value) { return std::find(list.begin(), list.end(), value) != list.end(); };
  if (!f.kinds.empty() && !any_member(c.members, [&](NodeId v) { return contains(f.kinds, g.kind(v)); })) return false;
  if (!f.stages.empty() && !any_member(c.members, [&](NodeId v) { return contains(f.stages, g.stage(v)); }))
    return false;
  if (f.origin && !any_member(c.members, [&](NodeId v) { return g.origin(v) == *f.origin; })) return false;
  if (!f.countries.empty() && !any_member(c.members, [&](NodeId v) { return contains(f.countries, g.country(v)); }))
    return false;
  return true;
}

std::string_view kind_plural(Kind k) {
  switch (k) {
    case Kind::material: return "material makers";
    case Kind::equipment: return "equipment makers";
    case Kind::eda: return "EDA tools";
    case Kind::ip: return "IP cores";
    case Kind::design: return "design houses";
    case Kind::fab: return "fabs";
    case Kind::packaging: return "packaging houses";
    case Kind::chip: return "chips";
    case Kind::category: return "markets";
  }
  return "consumers";
}

std::string percent(double fraction) {
  if (fraction > 0 && fraction < 0.0005) return "<0.1 %";
  return fmt::format("{:.1f} %", 100 * fraction);
}

// What the chokepoint supplies to nodes outside itself: sole-source requirements and the
// requirement where its share is largest.
struct SupplyFacts {
  std::map<std::string, std::vector<NodeId>> sole_by_input;  // input -> consumers
  std::uint32_t sole_requirements = 0;
  std::optional<LargestShare> largest;
};

SupplyFacts supply_facts(const SupplyGraph& g, const std::vector<NodeId>& members) {
  SupplyFacts facts;
  for (const auto& s : supplied_requirements(g, members)) {
    const NodeId c = s.consumer;
    const std::string_view input = g.input(s.requirement);
    if (s.sole_source) {
      ++facts.sole_requirements;
      facts.sole_by_input[std::string(input)].push_back(c);
    }
    const LargestShare* best = facts.largest ? &*facts.largest : nullptr;
    bool better = !best || s.share > best->share ||
                  (s.share == best->share &&
                   (g.weight(c) > g.weight(best->consumer) ||
                    (g.weight(c) == g.weight(best->consumer) &&
                     std::pair(g.id(c), input) < std::pair(g.id(best->consumer), std::string_view(best->input)))));
    if (better) facts.largest = LargestShare{c, std::string(input), s.share, requirement_concentration(g, s.requirement)};
  }
  return facts;
}

std::string consumers_text(const SupplyGraph& g, const std::vector<NodeId>& consumers) {
  if (consumers.size() == 1) return std::string(g.id(consumers[0]));
  bool one_kind = std::all_of(consumers.begin(), consumers.end(), [&](NodeId c) { return g.kind(c) == g.kind(consumers[0]); });
  return fmt::format("{} {}", consumers.size(), one_kind ? kind_plural(g.kind(consumers[0])) : "consumers");
}

std::string explain(const SupplyGraph& g, const ChokepointRow& row, const SupplyFacts& facts) {
  std::string text;
  if (!facts.sole_by_input.empty()) {
    std::vector<std::pair<std::string, const std::vector<NodeId>*>> inputs;
    for (const auto& [input, consumers] : facts.sole_by_input) inputs.emplace_back(input, &consumers);
    std::stable_sort(inputs.begin(), inputs.end(),
                     [](const auto& a, const auto& b) { return a.second->size() > b.second->size(); });
    text = "sole supplier";
    const std::size_t listed = std::min<std::size_t>(2, inputs.size());
    for (std::size_t i = 0; i < listed; ++i)
      text += fmt::format("{} of {} to {}", i ? "," : "", inputs[i].first, consumers_text(g, *inputs[i].second));
    if (inputs.size() > listed)
      text += fmt::format(" and of {} more input{}", inputs.size() - listed, inputs.size() - listed == 1 ? "" : "s");
  } else if (facts.largest) {
    text = fmt::format("supplies {} of {}'s {}", percent(facts.largest->share), g.id(facts.largest->consumer),
                       facts.largest->input);
  } else {
    text = "supplies no other node in the data";
  }
  const bool group = !row.kind;
  const KnockoutImpact& k = row.impact;
  if (k.loss > 0)
    text += fmt::format("; without {} the chain loses {} of its value-weighted availability ({} at domestic producers)",
                        group ? "them" : "it", percent(k.loss), percent(k.domestic_loss));
  else
    text += fmt::format("; losing {} costs no availability", group ? "them" : "it");
  if (k.hard_dependents > 0)
    text += fmt::format("; {} other node{} cannot produce at all", k.hard_dependents, k.hard_dependents == 1 ? "" : "s");
  return text;
}

ChokepointRow make_row(const SupplyGraph& g, const Candidate& c, std::size_t rank, ChokepointGroup group) {
  ChokepointRow row;
  row.rank = rank;
  row.id = c.id;
  row.members = c.members;
  row.impact = c.impact;
  if (group == ChokepointGroup::node) {
    NodeId v = c.members.front();
    row.name = std::string(g.name(v));
    row.kind = g.kind(v);
    row.origin = g.origin(v);
    row.stage = std::string(g.stage(v));
    row.country = std::string(g.country(v));
    row.owner = std::string(g.owner(v));
  } else {
    row.name = c.id;
    auto same = [&](auto field) {
      std::string_view first = field(c.members.front());
      for (NodeId m : c.members)
        if (field(m) != first) return std::string();
      return std::string(first);
    };
    row.country = same([&](NodeId m) { return g.country(m); });
    row.owner = same([&](NodeId m) { return g.owner(m); });
    row.stage = same([&](NodeId m) { return g.stage(m); });
  }
  SupplyFacts facts = supply_facts(g, c.members);
  row.sole_source = facts.sole_requirements > 0;
  row.sole_source_requirements = facts.sole_requirements;
  for (const auto& [input, consumers] : facts.sole_by_input) row.sole_source_inputs.push_back(input);
  row.largest_share = facts.largest;
  row.reason = explain(g, row, facts);
  return row;
}

// Exact impacts of every single node, or (when only the top rows of an unfiltered ranking are
// wanted) of just enough nodes to certify them from the one-pass loss bounds.
std::vector<Candidate> node_candidates(const SupplyGraph& g, const NodeValues& base, const ChokepointOptions& o,
                                       ChokepointRanking& out) {
  const std::size_t n = g.node_count();
  std::vector<Candidate> all;
  if (o.top > 0 && o.top < n && o.filter.empty() && !o.exact_all) {
    LossBounds bounds;
    {
      // Seconds at a million nodes: the line says what the wait is for.
      ProgressPhase phase(o.progress, "bounding every node's loss", n, "nodes");
      bounds = loss_upper_bounds(g, base, o.threads);
      phase.advance(n);
    }
    CertifiedTopK top = certified_top_k(g, base, bounds, o.top, o.threads, o.progress);
    out.certified_top = true;
    out.knockouts = top.exact_evaluations + top.set_evaluations;
    out.set_knockouts = top.set_evaluations;
    out.remaining_domestic_bound = top.remaining_domestic_bound;
    out.remaining_loss_bound = top.remaining_loss_bound;
    for (const auto& r : top.top) all.push_back({std::string(g.id(r.node)), {r.node}, r.impact});
    return all;
  }
  auto impacts = knock_out_each_node(g, base, o.threads, o.progress);
  out.knockouts = n;
  all.reserve(n);
  for (NodeId v = 0; v < n; ++v) all.push_back({std::string(g.id(v)), {v}, impacts[v]});
  return all;
}

void add_structure(const SupplyGraph& g, const ChokepointOptions& o, ChokepointRanking& out) {
  if (!o.structure) {
    out.betweenness_note = out.connectivity_note = "structural metrics not requested";
    return;
  }
  if (o.group != ChokepointGroup::node) {
    out.betweenness_note = out.connectivity_note = "structural metrics are per node: not given for groups";
    return;
  }
  Betweenness b = betweenness_centrality(g, o.structure_node_limit);
  out.betweenness_note = b.note;
  if (!b.values.empty())
    for (auto& row : out.rows) row.betweenness = b.values[row.members.front()];

  if (g.node_count() > o.structure_node_limit) {
    out.connectivity_note = fmt::format("connectivity omitted: {} nodes, above the limit of {}", g.node_count(),
                                        o.structure_node_limit);
    return;
  }
  std::vector<NodeId> chips;
  std::vector<ChokepointRow*> chip_rows;
  for (auto& row : out.rows)
    if (row.kind == Kind::chip) {
      chips.push_back(row.members.front());
      chip_rows.push_back(&row);
    }
  LeafConnectivity conn = leaf_connectivity(g, chips);
  if (!conn.error.empty()) {
    out.connectivity_note = "connectivity not computed: " + conn.error;
    return;
  }
  for (std::size_t i = 0; i < chips.size(); ++i) chip_rows[i]->connectivity = conn.values[i];
  out.connectivity_note =
      "connectivity: for chips, the fewest nodes whose removal cuts the chip off from every leaf (node without "
      "suppliers); empty for a chip that is itself a leaf";
}

}  // namespace

ChokepointRanking rank_chokepoints(const SupplyGraph& g, const NodeValues& base, const ChokepointOptions& o) {
  ChokepointRanking out;
  out.group = o.group;
  std::vector<Candidate> candidates;
  if (o.group == ChokepointGroup::node) {
    candidates = node_candidates(g, base, o, out);
    out.candidates = out.certified_top ? g.node_count() : candidates.size();
  } else {
    candidates = group_candidates(g, o.group);
    knock_out_groups(g, base, candidates, o.threads, o.progress);
    out.knockouts = candidates.size();
    out.candidates = candidates.size();
  }
  std::sort(candidates.begin(), candidates.end(), candidate_before);

  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (o.top > 0 && out.rows.size() >= o.top) break;
    if (!shown(g, candidates[i], o.filter)) continue;
    out.rows.push_back(make_row(g, candidates[i], i + 1, o.group));
  }
  add_structure(g, o, out);
  return out;
}

}  // namespace scgraph
