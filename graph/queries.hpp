#pragma once
// Questions about one node's place in the supply graph: who it depends on (upstream), who
// depends on it (downstream), and by which supply paths one node reaches another. All
// iterative (no recursion), so data-sized depth never reaches the call stack.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace scgraph {

// A node by id, or the closest id as a suggestion when there is none.
struct NodeLookup {
  std::optional<NodeId> node;
  std::string suggestion;  // empty when nothing is close
};
NodeLookup lookup_node(const SupplyGraph& graph, std::string_view id);
// "unknown node 'X' (did you mean 'Y'?)"
std::string describe_unknown_node(std::string_view id, const NodeLookup& lookup);

enum class Direction { upstream, downstream };

struct Reached {
  NodeId node;
  std::uint32_t depth;  // 1 = a direct supplier (upstream) or consumer (downstream)
};

// Breadth-first over graph.structure(): every node reachable from start against (upstream) or
// along (downstream) the supply relation, at its smallest depth, up to max_depth when given.
// The start itself is not listed, even when a cycle leads back to it. Sorted by depth, then id.
std::vector<Reached> reachable(const SupplyGraph& graph, NodeId start, Direction direction,
                               std::optional<std::uint32_t> max_depth = std::nullopt);

struct PathHop {
  NodeId supplier, consumer;
  std::string input;  // the consumer's requirement where the supplier's share is largest
  double share = 0;   // that share
};

struct SupplyPath {
  std::vector<NodeId> nodes;  // from ... to
  std::vector<PathHop> hops;  // nodes.size() - 1
  double share_product = 1;   // product of the hops' shares
};

struct PathSearch {
  enum class Stop { exhausted, max_paths, step_limit };
  std::vector<SupplyPath> paths;
  Stop stop = Stop::exhausted;  // exhausted: every simple path is listed
  std::size_t steps = 0;
};

inline constexpr std::size_t default_path_step_limit = 20'000'000;

// Simple supply paths from -> ... -> to (each node supplies the next), shortest first, then in
// lexicographic order of their node ids; at most max_paths, and at most step_limit extensions
// tried (the number of simple paths can grow exponentially with the graph).
PathSearch supply_paths(const SupplyGraph& graph, NodeId from, NodeId to, std::size_t max_paths,
                        std::size_t step_limit = default_path_step_limit);

}  // namespace scgraph
