#include "whatif.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace scgraph {

namespace {

// An editable copy of the requirement arrays; a scenario edits a few entries and rebuilds.
struct EditableRequirements {
  struct Requirement {
    std::uint32_t input;
    std::vector<SupplyEntry> entries;
  };
  std::vector<std::vector<Requirement>> by_node;

  explicit EditableRequirements(const SupplyGraph& g) : by_node(g.node_count()) {
    const GraphParts& p = g.parts();
    for (NodeId v = 0; v < g.node_count(); ++v)
      for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
        auto s = g.suppliers(r);
        by_node[v].push_back({p.req_input[r], {s.begin(), s.end()}});
      }
  }

  void write_to(GraphParts& p) const {
    p.req_begin.assign(1, 0);
    p.req_input.clear();
    p.entry_begin.assign(1, 0);
    p.entries.clear();
    for (const auto& reqs : by_node) {
      for (const auto& r : reqs) {
        p.req_input.push_back(r.input);
        p.entries.insert(p.entries.end(), r.entries.begin(), r.entries.end());
        p.entry_begin.push_back(static_cast<std::uint32_t>(p.entries.size()));
      }
      p.req_begin.push_back(static_cast<std::uint32_t>(p.req_input.size()));
    }
  }
};

GraphParts copy_parts(const GraphParts& p) { return p; }

// Interned index of an input name, appending it to the table when new.
std::uint32_t input_index(GraphParts& p, const std::string& name) {
  for (std::uint32_t i = 0; i < p.inputs.size(); ++i)
    if (p.inputs[i] == name) return i;
  return p.inputs.push_back(name);
}

bool same_text_order(const SupplyGraph& g, NodeId a, NodeId b) { return g.id(a) < g.id(b); }

}  // namespace

std::vector<char> banned_nodes(const SupplyGraph& g, const std::vector<std::string>& countries,
                               const std::vector<Kind>& kinds) {
  std::vector<char> out(g.node_count(), 0);
  for (NodeId v = 0; v < g.node_count(); ++v) {
    if (g.is_aggregate(v)) continue;
    bool country = std::find(countries.begin(), countries.end(), g.country(v)) != countries.end();
    bool kind = kinds.empty() || std::find(kinds.begin(), kinds.end(), g.kind(v)) != kinds.end();
    out[v] = country && kind;
  }
  return out;
}

SupplyGraph apply_structural_changes(const SupplyGraph& g, const Scenario& s, std::vector<std::string>& notes) {
  GraphParts p = copy_parts(g.parts());
  for (const auto& id : s.domesticize)
    if (auto v = g.find(id)) p.origin[*v] = Origin::domestic;
  if (!s.add_edges.empty()) {
    EditableRequirements edit(g);
    for (const auto& e : s.add_edges) {
      auto supplier = g.find(e.supplier), consumer = g.find(e.consumer);
      if (!supplier || !consumer) continue;
      std::uint32_t input = input_index(p, e.input);
      auto& reqs = edit.by_node[*consumer];
      auto req = std::find_if(reqs.begin(), reqs.end(), [&](const auto& r) { return r.input == input; });
      if (req == reqs.end()) {
        // Keep the loader's order of a consumer's requirements (by interned input).
        req = reqs.insert(std::find_if(reqs.begin(), reqs.end(), [&](const auto& r) { return r.input > input; }),
                          {input, {}});
        notes.push_back(fmt::format("{} gets a new requirement '{}'", e.consumer, e.input));
      }
      auto& entries = req->entries;
      std::erase_if(entries, [&](const SupplyEntry& x) { return x.supplier == *supplier; });
      double others = 0;
      for (const auto& x : entries) others += x.share;
      if (others + e.share > 1 + 1e-12) {
        // The newcomer takes its share from the incumbents, in proportion to theirs.
        double scale = (1 - e.share) / others;
        for (auto& x : entries) x.share *= scale;
        notes.push_back(fmt::format("{} -> {} ({}) at {:.4g}: the other suppliers' shares were scaled by {:.4g}",
                                    e.supplier, e.consumer, e.input, e.share, scale));
      }
      entries.push_back({*supplier, e.share, e.efficiency});
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.supplier < b.supplier; });
    }
    edit.write_to(p);
  }
  return SupplyGraph(std::move(p));
}

namespace {

// Survivors of every requirement that lost a supplier fill the lost share in proportion:
// the lost entries leave and the rest are scaled by (sum of all shares) / (sum of the shares left).
SupplyGraph substitute_proportionally(const SupplyGraph& g, const Knockout& ko, std::vector<std::string>& notes) {
  GraphParts p = copy_parts(g.parts());
  EditableRequirements edit(g);
  std::size_t rescaled = 0;
  for (NodeId v = 0; v < g.node_count(); ++v) {
    std::size_t k = 0;
    for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r, ++k) {
      double total = 0, left = 0;
      bool lost_any = false;
      EntryId e = g.entry_begin(r);
      std::vector<SupplyEntry> kept;
      for (const auto& s : g.suppliers(r)) {
        total += s.share;
        bool lost = ko.out(s.supplier) || ko.cut(e);
        lost_any |= lost;
        if (!lost) {
          left += s.share;
          kept.push_back(s);
        }
        ++e;
      }
      if (!lost_any || kept.empty()) continue;
      for (auto& s : kept) s.share *= total / left;
      edit.by_node[v][k].entries = std::move(kept);
      ++rescaled;
    }
  }
  edit.write_to(p);
  notes.push_back(fmt::format("proportional substitution rescaled {} requirement{}", rescaled, rescaled == 1 ? "" : "s"));
  return SupplyGraph(std::move(p));
}

Knockout make_knockout(const SupplyGraph& g, const Scenario& s, const std::vector<char>& banned,
                       const std::vector<char>& removed, std::size_t& cut_edges) {
  Knockout ko;
  ko.node_out = removed;
  if (!s.direct_only) {
    for (NodeId v = 0; v < g.node_count(); ++v) ko.node_out[v] |= banned[v];
    return ko;
  }
  ko.entry_cut.assign(g.entry_count(), 0);
  for (NodeId v = 0; v < g.node_count(); ++v) {
    if (!g.is_domestic(v)) continue;
    for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
      EntryId e = g.entry_begin(r);
      for (const auto& sup : g.suppliers(r)) {
        if (banned[sup.supplier]) {
          ko.entry_cut[e] = 1;
          ++cut_edges;
        }
        ++e;
      }
    }
  }
  return ko;
}

}  // namespace

std::vector<std::string> skip_absent_ids(const SupplyGraph& g, Scenario& s) {
  std::vector<std::string> notes;
  auto absent = [&](const std::string& id, const char* role) {
    if (g.find(id)) return false;
    notes.push_back(fmt::format("{} '{}' is not a node of this snapshot; skipped", role, id));
    return true;
  };
  std::erase_if(s.remove, [&](const std::string& id) { return absent(id, "remove"); });
  std::erase_if(s.domesticize, [&](const std::string& id) { return absent(id, "domesticize"); });
  std::erase_if(s.add_edges, [&](const AddedEdge& e) {
    bool a = absent(e.supplier, "add_edge supplier");
    bool b = absent(e.consumer, "add_edge consumer");
    return a || b;
  });
  return notes;
}

std::optional<WhatIfResult> run_whatif(const SupplyGraph& g, const Scenario& s, Diagnostics& diag,
                                       std::size_t moved_limit) {
  std::size_t errors = diag.error_count();
  std::vector<std::string_view> all_ids;
  auto check_id = [&](const std::string& id, const char* role) {
    if (g.find(id)) return;
    if (all_ids.empty())
      for (NodeId v = 0; v < g.node_count() && v < 50'000; ++v) all_ids.push_back(g.id(v));
    std::string guess = did_you_mean(id, all_ids);
    diag.error(s.file, 0, 0, "unknown-id", fmt::format("{} names unknown node '{}'", role, id),
               guess.empty() ? "use an id from the snapshot's nodes.csv" : "did you mean '" + guess + "'?");
  };
  for (const auto& id : s.remove) check_id(id, "remove");
  for (const auto& id : s.domesticize) check_id(id, "domesticize");
  for (const auto& e : s.add_edges) {
    check_id(e.supplier, "add_edge supplier");
    check_id(e.consumer, "add_edge consumer");
    if (e.supplier == e.consumer) diag.error(s.file, 0, 0, "self-loop", fmt::format("add_edge makes {} supply itself", e.supplier));
  }
  if (diag.error_count() > errors) return std::nullopt;

  WhatIfResult result;
  NodeValues before = evaluate(g);
  result.before = summarize(g, before);

  SupplyGraph changed = apply_structural_changes(g, s, result.notes);
  std::vector<char> banned = banned_nodes(changed, s.ban, s.ban_kinds);
  for (const auto& c : s.ban) {
    bool any = false;
    for (NodeId v = 0; v < changed.node_count() && !any; ++v) any = banned[v] && changed.country(v) == c;
    if (!any) diag.warning(s.file, 0, 0, "ban-no-nodes", fmt::format("the ban on {} knocks out no node of this snapshot", c));
  }
  std::vector<char> removed(changed.node_count(), 0);
  for (const auto& id : s.remove) removed[*changed.find(id)] = 1;
  Knockout ko = make_knockout(changed, s, banned, removed, result.cut_edges);

  std::optional<SupplyGraph> substituted;
  const SupplyGraph* final_graph = &changed;
  if (s.substitution == Substitution::proportional) {
    substituted.emplace(substitute_proportionally(changed, ko, result.notes));
    final_graph = &*substituted;
    // Entries changed: find the cuts again (only requirements that lost every supplier keep any).
    std::size_t cut_after = 0;
    ko = make_knockout(*final_graph, s, banned, removed, cut_after);
  }
  NodeValues after = evaluate(*final_graph, ko);
  result.after = summarize(*final_graph, after);

  for (NodeId v = 0; v < g.node_count(); ++v) {
    if (ko.out(v)) result.knocked_out.push_back(v);
    if (before.availability[v] > zero_availability && after.availability[v] <= zero_availability) result.failed.push_back(v);
    double da = std::abs(after.availability[v] - before.availability[v]);
    double de = std::abs(after.effective[v] - before.effective[v]);
    if (da > 1e-12 || de > 1e-12)
      result.moved.push_back({v, before.availability[v], after.availability[v], before.effective[v], after.effective[v]});
  }
  auto by_id = [&](NodeId a, NodeId b) { return same_text_order(g, a, b); };
  std::sort(result.knocked_out.begin(), result.knocked_out.end(), by_id);
  std::sort(result.failed.begin(), result.failed.end(), by_id);
  auto size_of = [](const MovedNode& m) {
    return std::max(std::abs(m.availability_after - m.availability_before), std::abs(m.effective_after - m.effective_before));
  };
  std::sort(result.moved.begin(), result.moved.end(), [&](const MovedNode& a, const MovedNode& b) {
    double sa = size_of(a), sb = size_of(b);
    if (sa != sb) return sa > sb;
    return g.id(a.node) < g.id(b.node);
  });
  if (result.moved.size() > moved_limit) result.moved.resize(moved_limit);
  return result;
}

}  // namespace scgraph
