#pragma once
// The one place that speaks igraph's C API. igraph's default error handler aborts the process, so
// every call here runs under igraph_error_handler_printignore (the message goes to standard error
// and the call returns an error code), every return code is checked, and problems come back as
// text instead of ending the program.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace scgraph::igraph_bridge {

// A directed graph given as vertex count and (from, to) pairs.
struct DirectedEdges {
  std::uint32_t vertices = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
};

struct Connectivities {
  // Per target: the minimum number of vertices (other than source and target) whose removal
  // leaves no path source -> target; nullopt when source and target are adjacent (no vertex can
  // separate them).
  std::vector<std::optional<std::int64_t>> values;
  std::string error;  // non-empty when igraph failed; values is then empty
};

// igraph_st_vertex_connectivity from `source` to every target, on one copy of the graph.
Connectivities st_vertex_connectivities(const DirectedEdges& graph, std::uint32_t source,
                                        std::span<const std::uint32_t> targets);

}  // namespace scgraph::igraph_bridge
