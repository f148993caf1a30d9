#include "structure.hpp"

#include <boost/graph/betweenness_centrality.hpp>
#include <fmt/format.h>

#include "igraph_bridge.hpp"

namespace scgraph {

Betweenness betweenness_centrality(const SupplyGraph& g, std::size_t node_limit) {
  Betweenness out;
  const std::size_t n = g.node_count();
  if (n > node_limit) {
    out.note = fmt::format("betweenness omitted: {} nodes, above the limit of {} for the exact computation", n,
                           node_limit);
    return out;
  }
  out.values.assign(n, 0.0);
  if (n > 0) {
    const StructureGraph& s = g.structure();
    boost::brandes_betweenness_centrality(
        s, boost::centrality_map(boost::make_iterator_property_map(out.values.begin(), get(boost::vertex_index, s))));
  }
  if (n > 2) {
    const double pairs = static_cast<double>(n - 1) * static_cast<double>(n - 2);
    for (double& b : out.values) b /= pairs;
  }
  out.note = "betweenness: exact (Brandes) on the supplier-to-consumer graph, divided by (n-1)(n-2)";
  return out;
}

LeafConnectivity leaf_connectivity(const SupplyGraph& g, std::span<const NodeId> targets) {
  LeafConnectivity out;
  const auto n = static_cast<std::uint32_t>(g.node_count());
  igraph_bridge::DirectedEdges copy;
  copy.vertices = n + 1;
  const std::uint32_t source = n;  // the super-source
  copy.edges.reserve(g.relation_count() + n);
  for (NodeId v = 0; v < n; ++v) {
    if (g.suppliers_of(v).empty()) copy.edges.emplace_back(source, v);
    for (NodeId c : g.consumers_of(v)) copy.edges.emplace_back(v, c);
  }
  std::vector<std::uint32_t> asked(targets.begin(), targets.end());
  auto result = igraph_bridge::st_vertex_connectivities(copy, source, asked);
  if (!result.error.empty()) {
    out.error = std::move(result.error);
    return out;
  }
  out.values.reserve(targets.size());
  for (const auto& v : result.values)
    out.values.push_back(v ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*v)) : std::nullopt);
  return out;
}

}  // namespace scgraph
