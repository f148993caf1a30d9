#include "diff.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <map>

#include "reliance.hpp"

namespace scgraph {

std::string_view to_string(ChangeKind k) {
  switch (k) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
  }
  return "changed";
}

std::string_view to_string(ChangeGroup g) {
  switch (g) {
    case ChangeGroup::nodes_removed: return "nodes removed";
    case ChangeGroup::nodes_added: return "nodes added";
    case ChangeGroup::nodes_reclassified: return "nodes reclassified";
    case ChangeGroup::values: return "values";
    case ChangeGroup::supply: return "supply";
  }
  return "supply";
}

namespace {

// A snapshot by id, so that two snapshots (whose NodeIds differ) can be compared and mixed.
struct FlatNode {
  std::string name, stage, country, owner;
  Kind kind = Kind::category;
  Origin origin = Origin::aggregate;
  double value = 0;
};
struct FlatEntry {
  std::string supplier;
  double share = 1, efficiency = 1;
  bool operator==(const FlatEntry&) const = default;
};
using ReqKey = std::pair<std::string, std::string>;  // consumer, input

struct Flat {
  std::map<std::string, FlatNode> nodes;
  std::map<ReqKey, std::vector<FlatEntry>> requirements;  // entries by supplier id
};

Flat flatten(const SupplyGraph& g) {
  Flat f;
  for (NodeId v = 0; v < g.node_count(); ++v) {
    FlatNode n{std::string(g.name(v)), std::string(g.stage(v)), std::string(g.country(v)), std::string(g.owner(v)),
               g.kind(v), g.origin(v), g.weight(v)};
    f.nodes.emplace(std::string(g.id(v)), std::move(n));
    for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
      auto& entries = f.requirements[{std::string(g.id(v)), std::string(g.input(r))}];
      for (const auto& s : g.suppliers(r)) entries.push_back({std::string(g.id(s.supplier)), s.share, s.efficiency});
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.supplier < b.supplier; });
    }
  }
  return f;
}

std::string number(double x) { return fmt::format("{:.6g}", x); }

std::vector<FieldChange> attribute_changes(const FlatNode& a, const FlatNode& b) {
  std::vector<FieldChange> out;
  auto field = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) out.push_back({name, x, y});
  };
  field("name", a.name, b.name);
  field("kind", std::string(to_string(a.kind)), std::string(to_string(b.kind)));
  field("stage", a.stage, b.stage);
  field("country", a.country, b.country);
  field("origin", std::string(to_string(a.origin)), std::string(to_string(b.origin)));
  field("owner", a.owner, b.owner);
  return out;
}

std::string node_summary(const std::string& id, const FlatNode& n) {
  std::string s = fmt::format("{} ({}", id, to_string(n.kind));
  if (!n.country.empty()) s += ", " + n.country;
  s += fmt::format(", {}, value {})", to_string(n.origin), number(n.value));
  return s;
}

// The union of both snapshots and which version each part currently takes.
class MixedState {
 public:
  MixedState(const Flat& from, const Flat& to, const std::string& home, bool has_value_column)
      : home_(home), has_value_column_(has_value_column) {
    for (const auto& [id, n] : from.nodes) ids_.push_back(id);
    for (const auto& [id, n] : to.nodes)
      if (!from.nodes.count(id)) ids_.push_back(id);
    std::sort(ids_.begin(), ids_.end());
    for (const auto& id : ids_) {
      auto a = from.nodes.find(id), b = to.nodes.find(id);
      from_node_.push_back(a == from.nodes.end() ? nullptr : &a->second);
      to_node_.push_back(b == to.nodes.end() ? nullptr : &b->second);
      present_.push_back(a != from.nodes.end());
    }
    attrs_to_.assign(ids_.size(), 0);
    value_to_.assign(ids_.size(), 0);
    // Requirement keys in (consumer, input) order, which is also node order.
    std::map<ReqKey, std::pair<const std::vector<FlatEntry>*, const std::vector<FlatEntry>*>> keys;
    for (const auto& [k, e] : from.requirements) keys[k].first = &e;
    for (const auto& [k, e] : to.requirements) keys[k].second = &e;
    req_begin_.assign(ids_.size() + 1, 0);
    for (const auto& [k, versions] : keys) {
      std::size_t u = index_of(k.first);
      req_keys_.push_back(k);
      req_from_.push_back(versions.first);
      req_to_.push_back(versions.second);
      // The requirements of a node that exists in one snapshot only come and go with the node.
      req_use_to_.push_back(from_node_[u] == nullptr);
      ++req_begin_[u + 1];
    }
    for (std::size_t u = 0; u < ids_.size(); ++u) req_begin_[u + 1] += req_begin_[u];
  }

  [[nodiscard]] std::size_t index_of(const std::string& id) const {
    return static_cast<std::size_t>(std::lower_bound(ids_.begin(), ids_.end(), id) - ids_.begin());
  }
  [[nodiscard]] const std::vector<ReqKey>& requirement_keys() const { return req_keys_; }
  [[nodiscard]] const std::vector<FlatEntry>* requirement_from(std::size_t k) const { return req_from_[k]; }
  [[nodiscard]] const std::vector<FlatEntry>* requirement_to(std::size_t k) const { return req_to_[k]; }

  void set_present(std::size_t u, bool on) { present_[u] = on; }
  void use_later_attributes(std::size_t u) { attrs_to_[u] = 1; }
  void use_later_value(std::size_t u) { value_to_[u] = 1; }
  void use_later_requirement(std::size_t k) { req_use_to_[k] = 1; }

  [[nodiscard]] SupplyGraph build() const {
    GraphParts p;
    p.home = home_;
    p.has_value_column = has_value_column_;
    Interner stages, countries, owners, inputs;
    std::vector<std::int64_t> node_of(ids_.size(), -1);
    NodeId next = 0;
    for (std::size_t u = 0; u < ids_.size(); ++u)
      if (present_[u]) node_of[u] = next++;
    p.req_begin.push_back(0);
    p.entry_begin.push_back(0);
    for (std::size_t u = 0; u < ids_.size(); ++u) {
      if (!present_[u]) continue;
      const FlatNode* attrs = attrs_to_[u] || !from_node_[u] ? to_node_[u] : from_node_[u];
      const FlatNode* value = value_to_[u] || !from_node_[u] ? to_node_[u] : from_node_[u];
      p.ids.push_back(ids_[u]);
      p.names.push_back(attrs->name == ids_[u] ? std::string_view{} : std::string_view(attrs->name));
      p.kind.push_back(attrs->kind);
      p.origin.push_back(attrs->origin);
      p.stage.push_back(stages.intern(attrs->stage));
      p.country.push_back(countries.intern(attrs->country));
      p.owner.push_back(owners.intern(attrs->owner));
      p.value.push_back(value->value);
      for (std::size_t k = req_begin_[u]; k < req_begin_[u + 1]; ++k) {
        const std::vector<FlatEntry>* entries = req_use_to_[k] ? req_to_[k] : req_from_[k];
        if (!entries) continue;
        for (const auto& e : *entries) {
          std::int64_t s = node_of[index_of(e.supplier)];
          if (s >= 0) p.entries.push_back({static_cast<NodeId>(s), e.share, e.efficiency});
        }
        p.req_input.push_back(inputs.intern(req_keys_[k].second));
        p.entry_begin.push_back(static_cast<std::uint32_t>(p.entries.size()));
      }
      p.req_begin.push_back(static_cast<std::uint32_t>(p.req_input.size()));
    }
    p.stages = stages.take();
    p.countries = countries.take();
    p.owners = owners.take();
    p.inputs = inputs.take();
    return SupplyGraph(std::move(p));
  }

  [[nodiscard]] std::size_t size_hint() const { return ids_.size() + req_keys_.size(); }

 private:
  std::string home_;
  bool has_value_column_;
  std::vector<std::string> ids_;
  std::vector<const FlatNode*> from_node_, to_node_;
  std::vector<char> present_, attrs_to_, value_to_;
  std::vector<ReqKey> req_keys_;
  std::vector<const std::vector<FlatEntry>*> req_from_, req_to_;
  std::vector<char> req_use_to_;
  std::vector<std::size_t> req_begin_;  // requirement keys of node u: [req_begin_[u], req_begin_[u+1])
};

struct Step {
  AttributedChange change;
  std::function<void(MixedState&)> apply;
};

MetricMove figures_of(const SupplyGraph& g) {
  Figures f = summarize(g, evaluate(g));
  return {f.nominal.value_or(0), f.effective.value_or(0), f.localization.value_or(0)};
}

MetricMove difference(const MetricMove& after, const MetricMove& before) {
  return {after.nominal - before.nominal, after.effective - before.effective, after.localization - before.localization};
}

std::string share_text(double share) { return fmt::format("{:.1f}%", share * 100); }

// "suppliers of C (input): 3 changed: A 25.0% -> 20.0%, B new at 5.0%, ...": the largest moves
// first, at most four named.
std::string supply_description(const ReqKey& key, const std::vector<FlatEntry>* before, const std::vector<FlatEntry>* after) {
  struct Move {
    double size;
    std::string text;
  };
  std::vector<Move> moves;
  static const std::vector<FlatEntry> none;
  const auto& a = before ? *before : none;
  const auto& b = after ? *after : none;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].supplier < b[j].supplier)) {
      moves.push_back({a[i].share, fmt::format("{} gone (was {})", a[i].supplier, share_text(a[i].share))});
      ++i;
    } else if (i == a.size() || b[j].supplier < a[i].supplier) {
      moves.push_back({b[j].share, fmt::format("{} new at {}", b[j].supplier, share_text(b[j].share))});
      ++j;
    } else {
      if (a[i].share != b[j].share)
        moves.push_back({std::abs(b[j].share - a[i].share),
                         fmt::format("{} {} -> {}", a[i].supplier, share_text(a[i].share), share_text(b[j].share))});
      else if (a[i].efficiency != b[j].efficiency)
        moves.push_back({std::abs(b[j].efficiency - a[i].efficiency) * a[i].share,
                         fmt::format("{} efficiency {} -> {}", a[i].supplier, number(a[i].efficiency), number(b[j].efficiency))});
      ++i;
      ++j;
    }
  }
  std::stable_sort(moves.begin(), moves.end(), [](const Move& x, const Move& y) { return x.size > y.size; });
  std::string text;
  for (std::size_t k = 0; k < moves.size() && k < 4; ++k) text += (k ? ", " : "") + moves[k].text;
  if (moves.size() > 4) text += fmt::format(" and {} more", moves.size() - 4);
  return fmt::format("suppliers of {} ({}), {} changed: {}", key.first, key.second, moves.size(), text);
}

}  // namespace

DiffResult diff_snapshots(const SupplyGraph& from_graph, const SupplyGraph& to_graph, const DiffOptions& options) {
  Flat from = flatten(from_graph), to = flatten(to_graph);
  DiffResult result;

  // What changed, for people and scripts.
  for (const auto& [id, n] : from.nodes)
    if (!to.nodes.count(id)) result.nodes.push_back({id, ChangeKind::removed, {}});
  for (const auto& [id, n] : to.nodes) {
    auto old = from.nodes.find(id);
    if (old == from.nodes.end()) {
      result.nodes.push_back({id, ChangeKind::added, {}});
      continue;
    }
    auto fields = attribute_changes(old->second, n);
    if (old->second.value != n.value) fields.push_back({"value", number(old->second.value), number(n.value)});
    if (!fields.empty()) result.nodes.push_back({id, ChangeKind::changed, std::move(fields)});
  }
  std::sort(result.nodes.begin(), result.nodes.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

  MixedState state(from, to, to_graph.home(), from_graph.has_value_column() || to_graph.has_value_column());
  const auto& keys = state.requirement_keys();
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const auto* a = state.requirement_from(k);
    const auto* b = state.requirement_to(k);
    static const std::vector<FlatEntry> none;
    const auto& x = a ? *a : none;
    const auto& y = b ? *b : none;
    std::size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
      EdgeDiff d{"", keys[k].first, keys[k].second, ChangeKind::changed, {}, {}, {}, {}};
      if (j == y.size() || (i < x.size() && x[i].supplier < y[j].supplier)) {
        d.supplier = x[i].supplier;
        d.change = ChangeKind::removed;
        d.share_before = x[i].share;
        d.efficiency_before = x[i].efficiency;
        ++i;
      } else if (i == x.size() || y[j].supplier < x[i].supplier) {
        d.supplier = y[j].supplier;
        d.change = ChangeKind::added;
        d.share_after = y[j].share;
        d.efficiency_after = y[j].efficiency;
        ++j;
      } else {
        bool same = x[i] == y[j];
        d.supplier = x[i].supplier;
        d.share_before = x[i].share;
        d.share_after = y[j].share;
        d.efficiency_before = x[i].efficiency;
        d.efficiency_after = y[j].efficiency;
        ++i;
        ++j;
        if (same) continue;
      }
      result.edges.push_back(std::move(d));
    }
  }

  // The steps, in the documented order.
  std::vector<Step> steps;
  for (const auto& [id, n] : from.nodes)
    if (!to.nodes.count(id)) {
      std::size_t u = state.index_of(id);
      steps.push_back({{ChangeGroup::nodes_removed, id, "removed: " + node_summary(id, n), {}},
                       [u](MixedState& s) { s.set_present(u, false); }});
    }
  for (const auto& [id, n] : to.nodes)
    if (!from.nodes.count(id)) {
      std::size_t u = state.index_of(id);
      steps.push_back({{ChangeGroup::nodes_added, id, "added: " + node_summary(id, n), {}},
                       [u](MixedState& s) { s.set_present(u, true); }});
    }
  for (const auto& [id, n] : to.nodes) {
    auto old = from.nodes.find(id);
    if (old == from.nodes.end()) continue;
    auto fields = attribute_changes(old->second, n);
    if (fields.empty()) continue;
    std::string text;
    for (const auto& f : fields) text += fmt::format("{}{} {} -> {}", text.empty() ? "" : ", ", f.field, f.before, f.after);
    std::size_t u = state.index_of(id);
    steps.push_back({{ChangeGroup::nodes_reclassified, id, id + ": " + text, {}},
                     [u](MixedState& s) { s.use_later_attributes(u); }});
  }
  for (const auto& [id, n] : to.nodes) {
    auto old = from.nodes.find(id);
    if (old == from.nodes.end() || old->second.value == n.value) continue;
    std::size_t u = state.index_of(id);
    steps.push_back({{ChangeGroup::values, id,
                      fmt::format("{}: value {} -> {}", id, number(old->second.value), number(n.value)), {}},
                     [u](MixedState& s) { s.use_later_value(u); }});
  }
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const auto* a = state.requirement_from(k);
    const auto* b = state.requirement_to(k);
    bool consumer_in_both = from.nodes.count(keys[k].first) && to.nodes.count(keys[k].first);
    if (!consumer_in_both) continue;  // comes and goes with its node
    if (a && b && *a == *b) continue;
    steps.push_back({{ChangeGroup::supply, keys[k].first + " / " + keys[k].second, supply_description(keys[k], a, b), {}},
                     [k](MixedState& s) { s.use_later_requirement(k); }});
  }

  for (const auto& s : steps) ++result.group_sizes[static_cast<std::size_t>(s.change.group)];
  result.per_change = static_cast<double>(steps.size()) * static_cast<double>(state.size_hint()) <= options.per_change_budget;

  const MetricMove start = figures_of(state.build());
  MetricMove current = start;
  for (std::size_t i = 0; i < steps.size();) {
    std::size_t end = i + 1;
    if (!result.per_change)
      while (end < steps.size() && steps[end].change.group == steps[i].change.group) ++end;
    for (std::size_t j = i; j < end; ++j) steps[j].apply(state);
    MetricMove next = figures_of(state.build());
    MetricMove move = difference(next, current);
    if (result.per_change) steps[i].change.contribution = move;
    result.by_group[static_cast<std::size_t>(steps[i].change.group)] += move;
    current = next;
    i = end;
  }
  result.total = difference(current, start);
  for (auto& s : steps) result.changes.push_back(std::move(s.change));
  return result;
}

}  // namespace scgraph
