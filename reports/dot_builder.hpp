#pragma once
// DOT text from the model, deterministic (same graph, same text). Node identifiers in the DOT are
// generated ("n12", "g3"), never data, so no name can change the graph's structure; every label
// goes through reports/escape.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "graph/model.hpp"
#include "graph/reliance.hpp"

namespace scgraph::out {

// The colour scale of domestic share shared by every map and the page's legend.
struct ShareBand {
  double from, to;  // [from, to) of the domestic share; the last band includes 1
  const char* fill;
  const char* text;  // a text colour readable on the fill
};
std::span<const ShareBand> share_bands();
const ShareBand& share_band(double domestic_share);

inline constexpr const char* chokepoint_colour = "#b2182b";
inline constexpr const char* reduced_colour = "#e08214";

struct DotGraph {
  std::string dot;
  bool aggregated = false;
  std::size_t nodes = 0, edges = 0;  // as drawn
  std::string note;                  // what the reader should know about what is (not) drawn
};

struct MapOptions {
  std::string graph_id = "map";
  std::size_t max_nodes = 150;      // above this many nodes ...
  std::size_t max_relations = 450;  // ... or relations, the map is aggregated
};

// The whole supply chain: stages as clusters, nodes filled by domestic share, chokepoints (ranked,
// first is #1) outlined and labelled, edges as wide as the share they carry. Above the size limits
// nodes are grouped by stage and kind, and the groups holding chokepoints are outlined instead.
DotGraph map_dot(const SupplyGraph& graph, const NodeValues& values, std::span<const NodeId> chokepoints,
                 const MapOptions& options = {});

struct FocusOptions {
  std::string graph_id = "focus";
  std::size_t max_nodes = 18;
  std::size_t max_suppliers = 6;
};

// One chokepoint x: its direct suppliers and everything downstream that depends on it, with
// what knocking x out does to each (availability_after: a' for every node).
DotGraph focus_dot(const SupplyGraph& graph, const NodeValues& values, NodeId x, std::size_t rank,
                   std::span<const double> availability_after, const FocusOptions& options = {});

// Formatting shared with the page.
std::string percent(double fraction, int decimals = 1);  // 0.4317 -> "43.2 %"
std::string money_musd(double musd);                     // 9812 -> "USD 9.8 bn", 640 -> "USD 640 m"

}  // namespace scgraph::out
