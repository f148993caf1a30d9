// Upstream/downstream breadth-first search with depths, and supply path enumeration order.
#include <doctest/doctest.h>

#include "graph/queries.hpp"
#include "test_support.hpp"

using namespace scgraph;
using scgraph::test::load_text;

namespace {

// S1 -> M -> F -> C, S2 -> F, S1 -> F, F -> X -> C, and a cycle F -> T -> F.
// Node ids are given out of alphabetical order so that file order is not id order.
const char* kNodes =
    "id,kind,country\nF,fab,CHN\nS2,material,USA\nS1,material,JPN\nM,material,CHN\nC,chip,CHN\nX,packaging,CHN\n"
    "T,equipment,CHN\n";
const char* kEdges =
    "supplier,consumer,input,share\n"
    "S1,M,raw,1\n"
    "M,F,wafer,0.5\n"
    "S2,F,wafer,0.5\n"
    "S1,F,gas,0.25\n"
    "F,C,die,1\n"
    "F,X,die,1\n"
    "X,C,package,0.5\n"
    "F,T,test,0.5\n"
    "T,F,tool,1\n";

std::vector<std::pair<std::string, std::uint32_t>> rows(const SupplyGraph& g, const std::vector<Reached>& r) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (const auto& x : r) out.emplace_back(std::string(g.id(x.node)), x.depth);
  return out;
}

std::vector<std::string> path_ids(const SupplyGraph& g, const SupplyPath& p) {
  std::vector<std::string> out;
  for (NodeId v : p.nodes) out.emplace_back(g.id(v));
  return out;
}

}  // namespace

TEST_CASE("queries: upstream and downstream by depth, then id") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  NodeId c = *g.find("C");
  // C <- F, X (1); F <- M, S1, S2, T (2; X's supplier F is already at 1); M <- S1 (already 2).
  using R = std::vector<std::pair<std::string, std::uint32_t>>;
  CHECK(rows(g, reachable(g, c, Direction::upstream)) ==
        R{{"F", 1}, {"X", 1}, {"M", 2}, {"S1", 2}, {"S2", 2}, {"T", 2}});
  CHECK(rows(g, reachable(g, c, Direction::upstream, 1)) == R{{"F", 1}, {"X", 1}});
  // Downstream of S1: M and F at 1 (S1 supplies F directly), then C, T, X at 2. The cycle F <-> T
  // does not list anything twice, and the start is never listed.
  NodeId s1 = *g.find("S1");
  CHECK(rows(g, reachable(g, s1, Direction::downstream)) == R{{"F", 1}, {"M", 1}, {"C", 2}, {"T", 2}, {"X", 2}});
  NodeId f = *g.find("F");
  auto down = rows(g, reachable(g, f, Direction::downstream));
  CHECK(down == R{{"C", 1}, {"T", 1}, {"X", 1}});  // T -> F leads back to the start: not listed
  CHECK(reachable(g, c, Direction::downstream).empty());
}

TEST_CASE("queries: supply paths shortest first, then lexicographic, with share products") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  NodeId s1 = *g.find("S1"), c = *g.find("C");
  auto search = supply_paths(g, s1, c, 20);
  CHECK(search.stop == PathSearch::Stop::exhausted);
  // Simple paths S1 -> ... -> C:
  //   S1 F C            (2 hops)     share .25 * 1 = .25
  //   S1 F X C          (3)          .25 * 1 * .5 = .125
  //   S1 M F C          (3)          1 * .5 * 1 = .5
  //   S1 M F X C        (4)          1 * .5 * 1 * .5 = .25
  // Paths through T return to F, which is already on the path: not simple.
  REQUIRE(search.paths.size() == 4);
  CHECK(path_ids(g, search.paths[0]) == std::vector<std::string>{"S1", "F", "C"});
  CHECK(path_ids(g, search.paths[1]) == std::vector<std::string>{"S1", "F", "X", "C"});
  CHECK(path_ids(g, search.paths[2]) == std::vector<std::string>{"S1", "M", "F", "C"});
  CHECK(path_ids(g, search.paths[3]) == std::vector<std::string>{"S1", "M", "F", "X", "C"});
  CHECK(search.paths[0].share_product == doctest::Approx(0.25));
  CHECK(search.paths[1].share_product == doctest::Approx(0.125));
  CHECK(search.paths[2].share_product == doctest::Approx(0.5));
  CHECK(search.paths[3].share_product == doctest::Approx(0.25));
  CHECK(search.paths[2].hops[1].input == "wafer");

  auto two = supply_paths(g, s1, c, 2);
  CHECK(two.stop == PathSearch::Stop::max_paths);
  REQUIRE(two.paths.size() == 2);
  CHECK(path_ids(g, two.paths[1]) == std::vector<std::string>{"S1", "F", "X", "C"});

  // No path against the supply direction; a tiny step limit stops the search and says so.
  CHECK(supply_paths(g, c, s1, 20).paths.empty());
  CHECK(supply_paths(g, s1, c, 20, 3).stop == PathSearch::Stop::step_limit);
}

TEST_CASE("queries: a path search through a long cycle ends") {
  // A ring R0 -> R1 -> ... -> R49 -> R0 with an exit R25 -> Z: exactly one simple path R0 -> Z.
  std::string nodes = "id,kind,country\nZ,chip,CHN\n", edges = "supplier,consumer\n";
  for (int i = 0; i < 50; ++i) {
    nodes += "R" + std::to_string(i) + ",fab,CHN\n";
    edges += "R" + std::to_string(i) + ",R" + std::to_string((i + 1) % 50) + "\n";
  }
  edges += "R25,Z\n";
  auto loaded = load_text(nodes, edges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto search = supply_paths(g, *g.find("R0"), *g.find("Z"), 20);
  CHECK(search.stop == PathSearch::Stop::exhausted);
  REQUIRE(search.paths.size() == 1);
  CHECK(search.paths[0].hops.size() == 26);
}

TEST_CASE("queries: unknown ids get a suggestion") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto found = lookup_node(g, "S3");
  CHECK_FALSE(found.node);
  CHECK(found.suggestion == "S1");  // S1 and S2 are one edit away; the smaller id wins
  CHECK(describe_unknown_node("S3", found) == "unknown node 'S3' (did you mean 'S1'?)");
  CHECK(lookup_node(g, "F").node == g.find("F"));
  CHECK(lookup_node(g, "completely-different").suggestion.empty());
}
