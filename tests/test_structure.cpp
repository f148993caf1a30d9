// Betweenness above the exact-computation limit: the sampled estimate.
#include <doctest/doctest.h>

#include <cmath>

#include "graph/structure.hpp"
#include "random_graphs.hpp"
#include "test_support.hpp"

using namespace scgraph;

TEST_CASE("structure: sampling every source gives exact Brandes betweenness, whatever the thread count") {
  auto text = test::random_graph(11, 400, 8);
  auto loaded = test::load_text(text.nodes, text.edges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto exact = betweenness_centrality(g, g.node_count());
  // node_limit 10 forces the sampled path; n samples means every node is a source, scale 1.
  auto all_sources = betweenness_centrality(g, 10, g.node_count(), 1);
  REQUIRE(exact.values.size() == g.node_count());
  REQUIRE(all_sources.values.size() == g.node_count());
  double largest = 0;
  for (std::size_t v = 0; v < g.node_count(); ++v) {
    // Fixed-point units of 2^-20 per source and node: at most 400 * 2^-21 off before normalising.
    CHECK(std::abs(all_sources.values[v] - exact.values[v]) <= 400.0 / 2097152.0 / (399.0 * 398.0) + 1e-15);
    largest = std::max(largest, exact.values[v]);
  }
  CHECK(largest > 0);  // the graph has paths through nodes, so the comparison means something
  CHECK(all_sources.note.find("estimated from 400 of 400") != std::string::npos);

  auto one_thread = betweenness_centrality(g, 10, 50, 1);
  auto two_threads = betweenness_centrality(g, 10, 50, 2);
  auto five_threads = betweenness_centrality(g, 10, 50, 5);
  CHECK(one_thread.values == two_threads.values);  // bit for bit
  CHECK(one_thread.values == five_threads.values);
}

TEST_CASE("structure: a sampled estimate is unbiased enough to find the hub of a star of chains") {
  // Eight chains Li -> H -> Ti through one hub H: every leaf-to-tail path crosses H, nothing else
  // is between anything but its own chain. Any sample with a leaf in it puts H first.
  std::string nodes = "id,kind,country\nH,fab,CHN\n", edges = "supplier,consumer\n";
  for (int i = 0; i < 8; ++i) {
    auto l = "L" + std::to_string(i), t = "T" + std::to_string(i);
    nodes += l + ",material,CHN\n" + t + ",chip,CHN\n";
    edges += l + ",H\nH," + t + "\n";
  }
  auto loaded = test::load_text(nodes, edges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto exact = betweenness_centrality(g, 100);
  NodeId hub = 0;
  while (g.id(hub) != "H") ++hub;
  // H lies on all 8 * 8 leaf-to-tail pairs: 64 / (16 * 15).
  CHECK(exact.values[hub] == doctest::Approx(64.0 / 240.0));
  auto sampled = betweenness_centrality(g, 5, 17, 2);
  for (std::size_t v = 0; v < g.node_count(); ++v)
    if (v != hub) CHECK(sampled.values[v] == 0.0);
  CHECK(sampled.values[hub] == doctest::Approx(64.0 / 240.0).epsilon(1e-6));  // all 17 sources sampled
}
