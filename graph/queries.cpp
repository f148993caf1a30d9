#include "queries.hpp"

#include <algorithm>
#include <limits>

#include "diagnostics.hpp"

namespace scgraph {

namespace {
constexpr std::uint32_t unreached = std::numeric_limits<std::uint32_t>::max();
// Edit distances against every id cost time on huge graphs; beyond this many ids the guess is
// made from the first ones only.
constexpr std::size_t suggestion_candidates = 200'000;

// Depth of every node from start (unreached when not reachable), start at 0.
std::vector<std::uint32_t> bfs_depths(const SupplyGraph& g, NodeId start, Direction direction,
                                      std::uint32_t max_depth) {
  std::vector<std::uint32_t> depth(g.node_count(), unreached);
  std::vector<NodeId> queue{start};
  depth[start] = 0;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    NodeId v = queue[head];
    if (depth[v] >= max_depth) continue;
    auto next = direction == Direction::upstream ? g.suppliers_of(v) : g.consumers_of(v);
    for (NodeId u : next)
      if (depth[u] == unreached) {
        depth[u] = depth[v] + 1;
        queue.push_back(u);
      }
  }
  return depth;
}

PathHop hop(const SupplyGraph& g, NodeId supplier, NodeId consumer) {
  PathHop h{supplier, consumer, {}, 0};
  for (ReqId r = g.req_begin(consumer); r < g.req_end(consumer); ++r)
    for (const auto& s : g.suppliers(r))
      if (s.supplier == supplier && s.share > h.share) {
        h.share = s.share;
        h.input = std::string(g.input(r));
      }
  return h;
}

}  // namespace

NodeLookup lookup_node(const SupplyGraph& g, std::string_view id) {
  NodeLookup out;
  out.node = g.find(id);
  if (out.node) return out;
  std::vector<std::string_view> ids;
  const std::size_t n = std::min(g.node_count(), suggestion_candidates);
  ids.reserve(n);
  for (NodeId v = 0; v < n; ++v) ids.push_back(g.id(v));
  out.suggestion = did_you_mean(id, ids);
  return out;
}

std::string describe_unknown_node(std::string_view id, const NodeLookup& lookup) {
  std::string text = "unknown node '" + std::string(id) + "'";
  if (!lookup.suggestion.empty()) text += " (did you mean '" + lookup.suggestion + "'?)";
  return text;
}

std::vector<Reached> reachable(const SupplyGraph& g, NodeId start, Direction direction,
                               std::optional<std::uint32_t> max_depth) {
  auto depth = bfs_depths(g, start, direction, max_depth.value_or(unreached - 1));
  std::vector<Reached> out;
  for (NodeId v = 0; v < g.node_count(); ++v)
    if (v != start && depth[v] != unreached) out.push_back({v, depth[v]});
  std::sort(out.begin(), out.end(), [&](const Reached& a, const Reached& b) {
    if (a.depth != b.depth) return a.depth < b.depth;
    return g.id(a.node) < g.id(b.node);
  });
  return out;
}

PathSearch supply_paths(const SupplyGraph& g, NodeId from, NodeId to, std::size_t max_paths, std::size_t step_limit) {
  PathSearch out;
  if (max_paths == 0 || from == to) return out;
  // Only nodes reachable from `from` that can still reach `to` lie on a path; distance_to[v] is
  // the fewest hops from v to `to`, a lower bound for the rest of any path through v.
  auto distance_to = bfs_depths(g, to, Direction::upstream, unreached - 1);
  auto reach = bfs_depths(g, from, Direction::downstream, unreached - 1);
  if (distance_to[from] == unreached) return out;
  const std::size_t n = g.node_count();
  std::vector<std::vector<NodeId>> next(n);  // useful consumers, by id, for lexicographic order
  std::size_t useful = 0;
  for (NodeId v = 0; v < n; ++v) {
    if (reach[v] == unreached || distance_to[v] == unreached) continue;
    ++useful;
    if (v == to) continue;  // a path ends at `to`
    for (NodeId c : g.consumers_of(v))
      if (distance_to[c] != unreached && c != from) next[v].push_back(c);
    std::sort(next[v].begin(), next[v].end(), [&](NodeId a, NodeId b) { return g.id(a) < g.id(b); });
  }

  // Iterative deepening: all paths of exactly `length` hops by depth-first search in id order
  // (which lists them in lexicographic order), then one hop longer. A search that never had to
  // cut a branch for being too long has seen every simple path.
  std::vector<char> on_path(n, 0);
  struct Frame {
    NodeId node;
    std::size_t next_index;
  };
  std::vector<Frame> stack;
  for (std::size_t length = distance_to[from]; length < useful; ++length) {
    bool cut_for_length = false;
    stack.assign(1, {from, 0});
    on_path[from] = 1;
    while (!stack.empty()) {
      Frame& top = stack.back();
      const auto& options = next[top.node];
      if (top.next_index == options.size()) {
        on_path[top.node] = 0;
        stack.pop_back();
        continue;
      }
      NodeId c = options[top.next_index++];
      if (++out.steps > step_limit) {
        out.stop = PathSearch::Stop::step_limit;
        break;
      }
      const std::size_t hops = stack.size();  // hops of the path once c is appended
      if (on_path[c]) continue;
      if (hops + distance_to[c] > length) {
        cut_for_length = true;
        continue;
      }
      if (c == to) {
        if (hops != length) continue;
        SupplyPath p;
        for (const auto& f : stack) p.nodes.push_back(f.node);
        p.nodes.push_back(to);
        for (std::size_t i = 0; i + 1 < p.nodes.size(); ++i) {
          p.hops.push_back(hop(g, p.nodes[i], p.nodes[i + 1]));
          p.share_product *= p.hops.back().share;
        }
        out.paths.push_back(std::move(p));
        if (out.paths.size() == max_paths) {
          out.stop = PathSearch::Stop::max_paths;
          break;
        }
        continue;
      }
      on_path[c] = 1;
      stack.push_back({c, 0});
    }
    for (const auto& f : stack) on_path[f.node] = 0;
    if (out.stop != PathSearch::Stop::exhausted || !cut_for_length) break;
  }
  return out;
}

}  // namespace scgraph
