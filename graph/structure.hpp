#pragma once
// Structural context for chokepoints, from the shape of the supply relation alone (no shares):
// betweenness centrality of every node, and for a node the number of nodes that must be removed
// to cut it off from every leaf (a node without suppliers).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model.hpp"

namespace scgraph {

// Brandes' algorithm costs nodes x relations; above this many nodes betweenness is estimated
// from a sample of sources instead (Brandes and Pich 2007).
inline constexpr std::size_t default_structure_node_limit = 20'000;
inline constexpr std::size_t default_betweenness_samples = 64;

struct Betweenness {
  // Per node, normalised to [0,1]: the sum over ordered pairs (s,t) of the fraction of shortest
  // s -> t paths through the node, divided by (n-1)(n-2), the most any node can have in a
  // directed graph. Empty when not computed.
  std::vector<double> values;
  std::string note;  // how it was computed, or why not
};

// Boost's brandes_betweenness_centrality on graph.structure() when the graph has at most
// node_limit nodes; above it, the estimate from `samples` sources drawn without replacement by a
// fixed-seed generator, scaled by n / samples (0 samples: omitted). The estimate runs on `threads`
// threads (0: all cores) and is identical whatever their number: dependencies are summed in
// fixed point, so the order of addition does not matter.
Betweenness betweenness_centrality(const SupplyGraph& graph, std::size_t node_limit = default_structure_node_limit,
                                   std::size_t samples = default_betweenness_samples, unsigned threads = 0);

struct LeafConnectivity {
  // Per target: the minimum number of nodes whose removal leaves no supply path from any leaf to
  // it (leaves themselves may be removed); nullopt for a target that is itself a leaf.
  std::vector<std::optional<std::uint32_t>> values;
  std::string error;  // non-empty when the computation failed; values is then empty
};

// igraph's s-t vertex connectivity on a copy of the structure graph with a super-source joined
// to every leaf.
LeafConnectivity leaf_connectivity(const SupplyGraph& graph, std::span<const NodeId> targets);

}  // namespace scgraph
