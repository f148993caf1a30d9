#include "dot_builder.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "escape.hpp"

namespace scgraph::out {

namespace {

constexpr ShareBand bands[] = {
    {0.0, 0.2, "#ffffcc", "#000000"}, {0.2, 0.4, "#c7e9b4", "#000000"}, {0.4, 0.6, "#7fcdbb", "#000000"},
    {0.6, 0.8, "#41b6c4", "#000000"}, {0.8, 1.0, "#225ea8", "#ffffff"},
};

constexpr const char* nbsp = "\xC2\xA0";

std::string graph_header(const std::string& id, const std::string& caption, const char* rankdir = "LR") {
  // Fonts: Graphviz's built-in metrics know Helvetica, and the page's browser has a sans-serif.
  return fmt::format(
      "digraph {} {{\n"
      "  graph [id={}, rankdir={}, newrank=true, outputorder=edgesfirst, nodesep=0.12, ranksep=0.5,\n"
      "         fontname=\"Helvetica\", fontsize=11, labelloc=b, labeljust=l, label={}];\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, margin=\"0.08,0.03\",\n"
      "        color=\"#666666\", penwidth=0.8];\n"
      "  edge [color=\"#00000066\", arrowsize=0.5, fontname=\"Helvetica\", fontsize=8, fontcolor=\"#333333\"];\n",
      dot_quoted(id), dot_quoted(id), rankdir, dot_quoted(caption));
}

std::string fill_attributes(double share) {
  const ShareBand& b = share_band(share);
  return fmt::format("fillcolor=\"{}\", fontcolor=\"{}\"", b.fill, b.text);
}

double edge_width(double share) { return 0.5 + 3.5 * std::clamp(share, 0.0, 1.0); }

std::string kind_plural(Kind k) {
  switch (k) {
    case Kind::material: return "materials";
    case Kind::equipment: return "equipment";
    case Kind::eda: return "EDA tools";
    case Kind::ip: return "IP cores";
    case Kind::design: return "design houses";
    case Kind::fab: return "fabs";
    case Kind::packaging: return "packaging and test";
    case Kind::chip: return "chips";
    case Kind::category: return "market aggregates";
  }
  return "nodes";
}

std::string stage_label(std::string_view stage) { return stage.empty() ? std::string("(no stage)") : std::string(stage); }

// Stages in supply order: by the mean topological position of their nodes, then by name.
std::vector<std::uint32_t> stage_order(const SupplyGraph& g) {
  std::size_t stages = g.stage_table().size();
  std::vector<double> position(stages, 0), count(stages, 0);
  auto order = g.topological_order();
  for (std::size_t i = 0; i < order.size(); ++i) {
    position[g.stage_index(order[i])] += static_cast<double>(i);
    count[g.stage_index(order[i])] += 1;
  }
  std::vector<std::uint32_t> out;
  for (std::uint32_t s = 0; s < stages; ++s)
    if (count[s] > 0) {
      position[s] /= count[s];
      out.push_back(s);
    }
  std::sort(out.begin(), out.end(), [&](auto a, auto b) {
    if (position[a] != position[b]) return position[a] < position[b];
    return g.stage_table()[a] < g.stage_table()[b];
  });
  return out;
}

std::string node_caption(const SupplyGraph& g, const NodeValues& x, NodeId v) {
  std::string where = g.is_aggregate(v) ? "market aggregate" : std::string(g.country(v));
  if (where.empty()) where = std::string(to_string(g.origin(v)));
  std::string text = shorten(g.name(v), 34) + "\n" + where;
  if (g.is_aggregate(v)) text += " · " + percent(x.direct[v], 0) + " domestic";
  return text;
}

// The largest share v supplies to consumer c over c's requirements.
double relation_share(const SupplyGraph& g, NodeId supplier, NodeId consumer) {
  double best = 0;
  for (ReqId r = g.req_begin(consumer); r < g.req_end(consumer); ++r)
    for (const auto& s : g.suppliers(r))
      if (s.supplier == supplier) best = std::max(best, s.share);
  return best;
}

std::string legend_caption(const std::string& extra) {
  return "Fill: domestic share (pale = foreign, dark blue = domestic). Edge width: share of the consumer's need.\n" + extra;
}

DotGraph full_map(const SupplyGraph& g, const NodeValues& x, std::span<const NodeId> chokepoints, const MapOptions& o) {
  DotGraph out;
  std::vector<std::size_t> rank(g.node_count(), 0);
  for (std::size_t i = 0; i < chokepoints.size(); ++i) rank[chokepoints[i]] = i + 1;
  out.dot = graph_header(o.graph_id, legend_caption("Red outline: top chokepoints (#rank)."));
  std::size_t cluster = 0;
  for (std::uint32_t s : stage_order(g)) {
    out.dot += fmt::format("  subgraph cluster_{} {{\n    label={}; style=\"rounded\"; color=\"#bbbbbb\"; fontsize=12;\n",
                           cluster++, dot_quoted(stage_label(g.stage_table()[s])));
    for (NodeId v = 0; v < g.node_count(); ++v) {
      if (g.stage_index(v) != s) continue;
      std::string label = node_caption(g, x, v);
      std::string extra;
      if (rank[v]) {
        label = fmt::format("#{} chokepoint\n", rank[v]) + label;
        extra = fmt::format(", color=\"{}\", penwidth=3", chokepoint_colour);
      }
      out.dot += fmt::format("    n{} [label={}, {}{}];\n", v, dot_quoted(label), fill_attributes(x.direct[v]), extra);
      ++out.nodes;
    }
    out.dot += "  }\n";
  }
  for (NodeId c = 0; c < g.node_count(); ++c)
    for (NodeId s : g.suppliers_of(c)) {
      out.dot += fmt::format("  n{} -> n{} [penwidth={:.2f}];\n", s, c, edge_width(relation_share(g, s, c)));
      ++out.edges;
    }
  out.dot += "}\n";
  return out;
}

// A box of the aggregated map: the nodes of one (stage, kind), or one market aggregate together
// with the producers that supply nothing but it.
struct MapUnit {
  std::uint32_t stage = 0;
  Kind kind = Kind::category;
  std::optional<NodeId> aggregate;
  std::size_t members = 0;
  double weight = 0, weighted_direct = 0, direct_sum = 0;
  NodeId first = 0;                  // the first member seen (nodes are visited in id order)
  std::vector<std::size_t> ranks{};  // of the top chokepoints it holds
};

struct MapGrouping {
  std::vector<MapUnit> units;
  std::vector<std::uint32_t> unit_of;  // per node
  std::size_t folded = 0;              // producers placed in their aggregate's box
};

// by_input: every producer whose consumers are all one aggregate joins that aggregate's box (an
// imported market-share dataset is drawn one box per input); other nodes are grouped by stage
// and kind. Units are numbered in (stage order, kind, aggregate id) order, so the text does not
// depend on the order of the rows in the files.
MapGrouping group_nodes(const SupplyGraph& g, const NodeValues& x, std::span<const std::uint32_t> stages,
                        bool by_input) {
  const std::size_t n = g.node_count();
  std::vector<std::uint32_t> stage_position(g.stage_table().size(), 0);
  for (std::size_t i = 0; i < stages.size(); ++i) stage_position[stages[i]] = static_cast<std::uint32_t>(i);
  std::vector<std::optional<NodeId>> home(n);  // the aggregate whose box a node joins
  for (NodeId v = 0; v < n; ++v) {
    if (!by_input) continue;
    if (g.is_aggregate(v)) {
      home[v] = v;
      continue;
    }
    auto consumers = g.consumers_of(v);
    if (!consumers.empty() && g.is_aggregate(consumers.front()) &&
        std::all_of(consumers.begin(), consumers.end(), [&](NodeId c) { return c == consumers.front(); }))
      home[v] = consumers.front();
  }
  using Key = std::tuple<std::uint32_t, Kind, std::string>;
  auto key_of = [&](NodeId v) -> Key {
    if (home[v]) return {stage_position[g.stage_index(*home[v])], Kind::category, std::string(g.id(*home[v]))};
    return {stage_position[g.stage_index(v)], g.kind(v), std::string()};
  };
  std::map<Key, std::uint32_t> index;
  for (NodeId v = 0; v < n; ++v) index.emplace(key_of(v), 0);
  MapGrouping out;
  for (auto& [key, u] : index) {
    u = static_cast<std::uint32_t>(out.units.size());
    MapUnit unit;
    unit.stage = stages[std::get<0>(key)];
    unit.kind = std::get<1>(key);
    out.units.push_back(std::move(unit));
  }
  out.unit_of.resize(n);
  for (NodeId v = 0; v < n; ++v) {
    std::uint32_t u = index[key_of(v)];
    out.unit_of[v] = u;
    MapUnit& unit = out.units[u];
    if (unit.members == 0) unit.first = v;
    ++unit.members;
    if (home[v]) {
      unit.aggregate = home[v];
      if (*home[v] != v) ++out.folded;
      continue;  // the box shows its aggregate's value and share, not the sum with its suppliers
    }
    unit.weight += g.weight(v);
    unit.weighted_direct += g.weight(v) * x.direct[v];
    unit.direct_sum += x.direct[v];
  }
  return out;
}

// Above the size limits: one box per input (when the data is built from market aggregates and
// that is small enough to draw) or per (stage, kind). A box that holds top chokepoints is outlined
// and names their ranks; each chokepoint has its own focus graph.
DotGraph aggregated_map(const SupplyGraph& g, const NodeValues& x, std::span<const NodeId> chokepoints,
                        const MapOptions& o) {
  DotGraph out;
  out.aggregated = true;
  const std::size_t n = g.node_count();
  std::vector<std::uint32_t> stages = stage_order(g);

  // flow[a][b]: the fraction of unit b's needs (its consumers' requirements, weighted by value,
  // each requirement 1/|R|) that unit a supplies.
  struct Flows {
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> flow;
    std::vector<double> need;
    std::size_t inside = 0;
  };
  auto flows_of = [&](const MapGrouping& grouping) {
    Flows f;
    f.need.assign(grouping.units.size(), 0);
    for (NodeId c = 0; c < n; ++c) {
      std::size_t reqs = g.requirement_count(c);
      if (reqs == 0) continue;
      double w = g.has_value_column() ? g.weight(c) : 1.0;
      f.need[grouping.unit_of[c]] += w;
      for (ReqId r = g.req_begin(c); r < g.req_end(c); ++r)
        for (const auto& s : g.suppliers(r)) {
          if (grouping.unit_of[s.supplier] == grouping.unit_of[c]) {
            ++f.inside;
            continue;
          }
          f.flow[{grouping.unit_of[s.supplier], grouping.unit_of[c]}] += s.share * w / static_cast<double>(reqs);
        }
    }
    return f;
  };

  MapGrouping grouping = group_nodes(g, x, stages, /*by_input=*/true);
  Flows flows = flows_of(grouping);
  bool by_input = grouping.folded > 0 && grouping.units.size() <= o.max_nodes && flows.flow.size() <= o.max_relations;
  if (!by_input) {
    grouping = group_nodes(g, x, stages, /*by_input=*/false);
    flows = flows_of(grouping);
  }
  for (std::size_t i = 0; i < chokepoints.size(); ++i) grouping.units[grouping.unit_of[chokepoints[i]]].ranks.push_back(i + 1);

  std::string boxes =
      by_input ? "Each box is one market (an aggregate node) together with the producers that supply only it, "
                 "showing the market's value and domestic share; nodes that supply several markets are grouped by stage "
                 "and kind"
               : "Each box groups the nodes of one stage and kind, with their count, value and domestic share";
  out.note = fmt::format(
      "The supply chain has {} nodes and {} supplier relations, too many to draw one by one (this map draws every node "
      "up to {} nodes and {} relations). {}; boxes holding top chokepoints are outlined in red and name their ranks. An "
      "arrow's width and label give the share of the receiving box's needs that the sending box supplies; {} relations "
      "inside a box are not drawn. Each chokepoint's own neighbourhood is drawn below its table.",
      n, g.relation_count(), o.max_nodes, o.max_relations, boxes, flows.inside);
  // Top to bottom: with a few boxes per stage this is the narrower drawing, and a page is tall.
  out.dot = graph_header(o.graph_id,
                         legend_caption(by_input ? "Red outline: holds top chokepoints (#rank). Boxes are markets with their "
                                                   "suppliers."
                                                 : "Red outline: holds top chokepoints (#rank). Boxes group nodes by stage "
                                                   "and kind."),
                         by_input ? "LR" : "TB");
  std::size_t cluster = 0;
  for (std::uint32_t s : stages) {
    out.dot += fmt::format("  subgraph cluster_{} {{\n    label={}; style=\"rounded\"; color=\"#bbbbbb\"; fontsize=13;\n",
                           cluster++, dot_quoted(stage_label(g.stage_table()[s])));
    for (std::size_t k = 0; k < grouping.units.size(); ++k) {
      const MapUnit& unit = grouping.units[k];
      if (unit.stage != s) continue;
      std::string label;
      double share = 0;
      if (unit.aggregate) {
        NodeId a = *unit.aggregate;
        share = x.direct[a];
        label = shorten(g.name(a), 28);
        if (unit.members > 1) label += fmt::format("\n{} supplier{}", unit.members - 1, unit.members == 2 ? "" : "s");
        if (g.has_value_column()) label += "\n" + (g.weight(a) > 0 ? money_musd(g.weight(a)) : std::string("no value"));
      } else {
        share = unit.weight > 0 ? unit.weighted_direct / unit.weight : unit.direct_sum / static_cast<double>(unit.members);
        // A group of one is shown as that node; a larger one by what it holds.
        label = unit.members == 1 ? shorten(g.name(unit.first), 28) : fmt::format("{} ({})", kind_plural(unit.kind), unit.members);
        if (g.has_value_column()) label += "\n" + (unit.weight > 0 ? money_musd(unit.weight) : std::string("no value"));
      }
      label += "\n" + percent(share, 0) + " domestic";
      std::string extra;
      if (!unit.ranks.empty()) {
        std::string ranks;
        for (std::size_t i = 0; i < unit.ranks.size(); ++i)
          ranks += fmt::format("{}#{}", i == 0 ? "" : i % 5 == 0 ? "\n" : " ", unit.ranks[i]);
        label += "\nchokepoints " + ranks;
        extra = fmt::format(", color=\"{}\", penwidth=3", chokepoint_colour);
      }
      out.dot += fmt::format("    u{} [label={}, {}, fontsize=12{}];\n", k, dot_quoted(label), fill_attributes(share), extra);
      ++out.nodes;
    }
    out.dot += "  }\n";
  }
  for (const auto& [key, amount] : flows.flow) {
    double share = flows.need[key.second] > 0 ? amount / flows.need[key.second] : 0;
    std::string label = share >= 0.01 ? percent(share, 0) : "<1" + std::string(nbsp) + "%";
    out.dot += fmt::format("  u{} -> u{} [penwidth={:.2f}, label={}];\n", key.first, key.second, edge_width(share),
                           dot_quoted(label));
    ++out.edges;
  }
  out.dot += "}\n";
  return out;
}

}  // namespace

std::span<const ShareBand> share_bands() { return bands; }

const ShareBand& share_band(double share) {
  for (const auto& b : bands)
    if (share < b.to) return b;
  return bands[std::size(bands) - 1];
}

std::string percent(double fraction, int decimals) {
  return fmt::format("{:.{}f}{}%", fraction * 100, decimals, nbsp);
}

std::string money_musd(double musd) {
  if (musd >= 1000) return fmt::format("USD{}{:.1f}{}bn", nbsp, musd / 1000, nbsp);
  return fmt::format("USD{}{:.0f}{}m", nbsp, musd, nbsp);
}

DotGraph map_dot(const SupplyGraph& g, const NodeValues& x, std::span<const NodeId> chokepoints, const MapOptions& o) {
  if (g.node_count() > o.max_nodes || g.relation_count() > o.max_relations) return aggregated_map(g, x, chokepoints, o);
  return full_map(g, x, chokepoints, o);
}

DotGraph focus_dot(const SupplyGraph& g, const NodeValues& x, NodeId focus, std::size_t rank,
                   std::span<const double> after, const FocusOptions& o) {
  DotGraph out;
  const std::size_t n = g.node_count();
  auto loss = [&](NodeId v) { return x.availability[v] - after[v]; };
  auto fails = [&](NodeId v) { return x.availability[v] > 1e-9 && after[v] <= 1e-9; };

  // Direct suppliers, largest share first.
  std::vector<std::pair<double, NodeId>> suppliers;
  for (NodeId s : g.suppliers_of(focus)) suppliers.push_back({relation_share(g, s, focus), s});
  std::sort(suppliers.begin(), suppliers.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return g.id(a.second) < g.id(b.second);
  });
  std::size_t hidden_suppliers = suppliers.size() > o.max_suppliers ? suppliers.size() - o.max_suppliers : 0;
  suppliers.resize(std::min(suppliers.size(), o.max_suppliers));

  // Everything downstream; those that lose availability (most first) and the direct consumers.
  std::vector<char> seen(n, 0), direct(n, 0);
  std::vector<NodeId> queue{focus}, downstream;
  seen[focus] = 1;
  for (std::size_t i = 0; i < queue.size(); ++i)
    for (NodeId c : g.consumers_of(queue[i]))
      if (!seen[c]) {
        seen[c] = 1;
        queue.push_back(c);
        downstream.push_back(c);
      }
  for (NodeId c : g.consumers_of(focus)) direct[c] = 1;
  // What to draw first: the direct consumers (they show how the chokepoint is used), then the
  // nodes that fail, then those losing the most value-weighted availability.
  // A supplier that is also downstream (a cycle through the chokepoint) is drawn once, as a
  // supplier that shows its own loss.
  std::vector<char> is_supplier(n, 0);
  for (const auto& [share, s] : suppliers) is_supplier[s] = 1;
  std::vector<NodeId> shown;
  std::size_t affected = 0, failing = 0;
  for (NodeId v : downstream) {
    if (loss(v) > 1e-12) ++affected;
    if (fails(v)) ++failing;
    if ((direct[v] || loss(v) > 1e-12) && !is_supplier[v]) shown.push_back(v);
  }
  std::size_t room = o.max_nodes > suppliers.size() + 1 ? o.max_nodes - suppliers.size() - 1 : 0;
  std::size_t hidden_downstream = shown.size() > room ? shown.size() - room : 0;
  // Only the first `room` are drawn: a partial sort (the order is total, ties end at the id, so
  // the first `room` are those a full sort puts first), where a cone can hold most of the graph.
  const auto drawn_end = shown.begin() + static_cast<std::ptrdiff_t>(std::min(shown.size(), room));
  std::partial_sort(shown.begin(), drawn_end, shown.end(), [&](NodeId a, NodeId b) {
    if (direct[a] != direct[b]) return direct[a] > direct[b];
    if (fails(a) != fails(b)) return fails(a);
    double la = loss(a) * g.weight(a), lb = loss(b) * g.weight(b);
    if (la != lb) return la > lb;
    return g.id(a) < g.id(b);
  });
  shown.erase(drawn_end, shown.end());

  std::vector<char> drawn(n, 0);
  drawn[focus] = 1;
  for (const auto& [share, s] : suppliers) drawn[s] = 1;
  for (NodeId v : shown) drawn[v] = 1;

  std::string caption = legend_caption(fmt::format(
      "Red outline: cannot produce without {}; orange: loses availability (before -> after).", shorten(g.id(focus), 40)));
  out.dot = graph_header(o.graph_id, caption);
  auto count = [](std::size_t k, const char* one, const char* many) { return fmt::format("{} {}", k, k == 1 ? one : many); };
  out.note = fmt::format("Direct suppliers: {}. Downstream: {}, of which {} cannot produce without it and {} lose{} some "
                         "availability",
                         suppliers.size() + hidden_suppliers, count(downstream.size(), "node", "nodes"), failing,
                         affected - failing, affected - failing == 1 ? "s" : "");
  std::vector<std::string> hidden;
  if (hidden_suppliers) hidden.push_back(count(hidden_suppliers, "smaller supplier", "smaller suppliers"));
  if (hidden_downstream) hidden.push_back(count(hidden_downstream, "affected node", "affected nodes"));
  if (!hidden.empty()) {
    out.note += "; not drawn: " + hidden[0];
    if (hidden.size() > 1) out.note += " and " + hidden[1];
  }

  auto availability_text = [&](NodeId v) {
    return "availability " + percent(x.availability[v], 0) + " \xE2\x86\x92 " + percent(after[v], 0);
  };
  auto emit = [&](NodeId v, const std::string& label, const std::string& extra) {
    out.dot += fmt::format("  n{} [label={}, {}{}];\n", v, dot_quoted(label), fill_attributes(x.direct[v]), extra);
    ++out.nodes;
  };
  emit(focus, fmt::format("#{} chokepoint\n", rank) + node_caption(g, x, focus),
       fmt::format(", color=\"{}\", penwidth=3, peripheries=2", chokepoint_colour));
  auto emit_downstream = [&](NodeId v) {
    std::string extra = fails(v)          ? fmt::format(", color=\"{}\", penwidth=2.5", chokepoint_colour)
                        : loss(v) > 1e-12 ? fmt::format(", color=\"{}\", penwidth=2", reduced_colour)
                                          : std::string();
    emit(v, node_caption(g, x, v) + "\n" + availability_text(v), extra);
  };
  for (const auto& [share, s] : suppliers) {
    if (seen[s] && loss(s) > 1e-12) emit_downstream(s);
    else emit(s, node_caption(g, x, s), "");
  }
  for (NodeId v : shown) emit_downstream(v);
  if (hidden_suppliers) {
    out.dot += fmt::format("  more_suppliers [label={}, style=\"rounded,dashed\", fillcolor=\"#ffffff\"];\n",
                           dot_quoted(fmt::format("+{} smaller supplier{}", hidden_suppliers, hidden_suppliers == 1 ? "" : "s")));
    out.dot += fmt::format("  more_suppliers -> n{} [style=dashed];\n", focus);
  }
  if (hidden_downstream) {
    out.dot += fmt::format("  more_downstream [label={}, style=\"rounded,dashed\", fillcolor=\"#ffffff\"];\n",
                           dot_quoted(fmt::format("+{} more node{} losing availability", hidden_downstream,
                                                  hidden_downstream == 1 ? "" : "s")));
    out.dot += fmt::format("  n{} -> more_downstream [style=dashed];\n", focus);
  }
  // Edges among the drawn nodes; the chokepoint's own deliveries carry their input and share.
  std::vector<char> reached(n, 0);
  for (NodeId c = 0; c < n; ++c) {
    if (!drawn[c]) continue;
    for (NodeId s : g.suppliers_of(c)) {
      if (!drawn[s]) continue;
      double share = relation_share(g, s, c);
      std::string label;
      if (s == focus)
        for (ReqId r = g.req_begin(c); r < g.req_end(c); ++r)
          for (const auto& e : g.suppliers(r))
            if (e.supplier == focus)
              label += (label.empty() ? "" : "\n") + shorten(g.input(r), 24) + " " + percent(e.share, 0);
      out.dot += fmt::format("  n{} -> n{} [penwidth={:.2f}{}];\n", s, c, edge_width(share),
                             label.empty() ? "" : ", label=" + dot_quoted(label));
      ++out.edges;
      reached[c] = 1;
    }
  }
  // An affected node whose path from the chokepoint runs through nodes not drawn would float
  // among the suppliers; a dashed edge puts it downstream where it belongs.
  for (NodeId v : shown)
    if (!reached[v]) {
      out.dot += fmt::format("  n{} -> n{} [style=dashed, label=\"via nodes not drawn\"];\n", focus, v);
      ++out.edges;
    }
  out.dot += "}\n";
  return out;
}

}  // namespace scgraph::out
