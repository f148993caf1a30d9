#include "structure.hpp"

#include <algorithm>
#include <atomic>
#include <boost/graph/betweenness_centrality.hpp>
#include <cmath>
#include <fmt/format.h>

#include "igraph_bridge.hpp"
#include "parallel.hpp"

namespace scgraph {

namespace {

// Dependencies are added in units of 2^-20: a node's total stays below 2^63 units for any graph
// this program loads (at most n * samples < 2^43), and integer sums do not depend on their order.
constexpr double fixed_point_unit = 1048576.0;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The first k of a seeded Fisher-Yates shuffle of 0..n-1, sorted.
std::vector<NodeId> sample_sources(std::size_t n, std::size_t k) {
  std::vector<NodeId> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = static_cast<NodeId>(i);
  std::uint64_t state = 0x5C9A7B3E11D2F00DULL;
  for (std::size_t i = 0; i < k; ++i) std::swap(all[i], all[i + splitmix64(state) % (n - i)]);
  all.resize(k);
  std::sort(all.begin(), all.end());
  return all;
}

// One thread's share of the sampled sources: breadth-first search from each source along supply
// relations, then dependencies accumulated in reverse order of distance (Brandes).
class BrandesWorker {
 public:
  explicit BrandesWorker(const SupplyGraph& g)
      : g_(g), distance_(g.node_count(), -1), paths_(g.node_count(), 0), dependency_(g.node_count(), 0),
        total_(g.node_count(), 0) {
    order_.reserve(g.node_count());
  }

  void add_source(NodeId s) {
    order_.clear();
    distance_[s] = 0;
    paths_[s] = 1;
    order_.push_back(s);
    for (std::size_t head = 0; head < order_.size(); ++head) {
      NodeId v = order_[head];
      for (NodeId w : g_.consumers_of(v)) {
        if (distance_[w] < 0) {
          distance_[w] = distance_[v] + 1;
          order_.push_back(w);
        }
        if (distance_[w] == distance_[v] + 1) paths_[w] += paths_[v];
      }
    }
    for (std::size_t i = order_.size(); i-- > 0;) {
      NodeId w = order_[i];
      for (NodeId v : g_.suppliers_of(w))
        if (distance_[v] == distance_[w] - 1) dependency_[v] += paths_[v] / paths_[w] * (1.0 + dependency_[w]);
      if (w != s) total_[w] += static_cast<std::uint64_t>(std::llround(dependency_[w] * fixed_point_unit));
    }
    for (NodeId v : order_) {
      distance_[v] = -1;
      paths_[v] = 0;
      dependency_[v] = 0;
    }
  }

  [[nodiscard]] const std::vector<std::uint64_t>& totals() const { return total_; }

 private:
  const SupplyGraph& g_;
  std::vector<std::int32_t> distance_;
  std::vector<double> paths_, dependency_;
  std::vector<std::uint64_t> total_;
  std::vector<NodeId> order_;
};

Betweenness sampled_betweenness(const SupplyGraph& g, std::size_t samples, unsigned threads) {
  const std::size_t n = g.node_count();
  const std::size_t k = std::min(samples, n);
  std::vector<NodeId> sources = sample_sources(n, k);
  threads = worker_count(threads, k);
  std::vector<BrandesWorker> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) workers.emplace_back(g);
  std::atomic<std::size_t> next{0};
  run_workers(threads, [&](unsigned t) {
    for (std::size_t i; (i = next.fetch_add(1)) < k;) workers[t].add_source(sources[i]);
  });
  Betweenness out;
  out.values.assign(n, 0.0);
  const double scale = static_cast<double>(n) / static_cast<double>(k) / fixed_point_unit /
                       (static_cast<double>(n - 1) * static_cast<double>(n - 2));
  for (std::size_t v = 0; v < n; ++v) {
    std::uint64_t sum = 0;
    for (const auto& w : workers) sum += w.totals()[v];
    out.values[v] = static_cast<double>(sum) * scale;
  }
  out.note = fmt::format(
      "betweenness: estimated from {} of {} sources (Brandes-Pich sampling, fixed seed) on the supplier-to-consumer "
      "graph, scaled by n/{} and divided by (n-1)(n-2)",
      k, n, k);
  return out;
}

}  // namespace

Betweenness betweenness_centrality(const SupplyGraph& g, std::size_t node_limit, std::size_t samples,
                                   unsigned threads) {
  Betweenness out;
  const std::size_t n = g.node_count();
  if (n > node_limit) {
    if (samples > 0 && n > 2) return sampled_betweenness(g, samples, threads);
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
