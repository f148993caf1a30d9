// Self-reliance figures against hand computation (the arithmetic is in the comments) and invariants.
#include <doctest/doctest.h>

#include "graph/reliance.hpp"
#include "test_support.hpp"

using namespace scgraph;
using scgraph::test::load_text;

namespace {

// W, L2 domestic leaves; P, L foreign leaves; F a domestic fab needing wafers (W 0.6, P 0.4) and
// lithography (L 0.75, L2 0.25); C a domestic chip made by F; X an imported chip; A an aggregate
// of chips with 20 % unmapped supply.
const char* kNodes =
    "id,name,kind,stage,country,value_musd\n"
    "W,Wafers CN,material,Materials,CHN,10\n"
    "P,Wafers JP,material,Materials,JPN,10\n"
    "F,Fab,fab,Fabrication,CHN,100\n"
    "L,Litho NL,equipment,Equipment,NLD,50\n"
    "L2,Litho CN,equipment,Equipment,CHN,5\n"
    "C,Chip CN,chip,Chips,CHN,200\n"
    "X,Chip US,chip,Chips,USA,100\n"
    "A,All chips,category,Chips,,300\n";
const char* kEdges =
    "supplier,consumer,input,share\n"
    "W,F,wafer,0.6\n"
    "P,F,wafer,0.4\n"
    "L,F,litho,75%\n"
    "L2,F,litho,0.25\n"
    "F,C,,\n"
    "C,A,chips,0.5\n"
    "X,A,chips,0.3\n";

NodeId id(const SupplyGraph& g, const char* name) { return *g.find(name); }

}  // namespace

TEST_CASE("reliance: per-node values of a small chain equal hand computation") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto x = evaluate(g);
  // F: d = 1 (domestic); a = min(min(1, .6+.4), min(1, .75+.25)) = 1; e = min(.6*1 + .4*0, .75*0 + .25*1) = .25
  CHECK(x.direct[id(g, "F")] == 1.0);
  CHECK(x.availability[id(g, "F")] == doctest::Approx(1.0));
  CHECK(x.effective[id(g, "F")] == doctest::Approx(0.25));
  // C: e = 1 * e(F) = .25
  CHECK(x.effective[id(g, "C")] == doctest::Approx(0.25));
  // A (aggregate): d = .5*1 + .3*0 = .5; a = min(1, .2 + .5 + .3) = 1; e = .5*.25 = .125
  CHECK(x.direct[id(g, "A")] == doctest::Approx(0.5));
  CHECK(x.availability[id(g, "A")] == doctest::Approx(1.0));
  CHECK(x.effective[id(g, "A")] == doctest::Approx(0.125));
  // foreign leaves: d = e = 0, a = 1
  CHECK(x.direct[id(g, "X")] == 0.0);
  CHECK(x.effective[id(g, "X")] == 0.0);
  CHECK(x.availability[id(g, "X")] == 1.0);
}

TEST_CASE("reliance: snapshot figures equal hand computation") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto x = evaluate(g);
  Figures f = summarize(g, x);
  // total weight 10+10+100+50+5+200+100+300 = 775
  CHECK(f.weight == doctest::Approx(775));
  // nominal = (10 + 100 + 5 + 200 + 300*.5) / 775 = 465/775 = .6
  CHECK(*f.nominal == doctest::Approx(0.6));
  // effective = (10*1 + 100*.25 + 5*1 + 200*.25 + 300*.125) / 775 = 127.5/775
  CHECK(*f.effective == doctest::Approx(127.5 / 775));
  // localization over domestic producers with requirements: F (w 100, mean(.6, .25) = .425), C (w 200, 1)
  // = (42.5 + 200) / 300
  CHECK(*f.localization == doctest::Approx(242.5 / 300));
  CHECK(*f.availability == doctest::Approx(1.0));
}

TEST_CASE("reliance: groups by kind partition the total") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto x = evaluate(g);
  auto groups = summarize_by(g, x, GroupBy::kind);
  double weight = 0, weighted_nominal = 0;
  for (const auto& grp : groups) {
    weight += grp.figures.weight;
    weighted_nominal += grp.figures.weight * grp.figures.nominal.value_or(0);
  }
  CHECK(weight == doctest::Approx(775));
  CHECK(weighted_nominal / weight == doctest::Approx(0.6));
  // chips: C (d 1, w 200) and X (d 0, w 100): 200/300
  for (const auto& grp : groups)
    if (grp.group == "chip") CHECK(*grp.figures.nominal == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("reliance: efficiency scales availability and effective reliance, not the direct share") {
  auto loaded = load_text(
      "id,kind,country,value_musd\nN,chip,USA,10\nD,chip,CHN,10\nAI,category,,10\n",
      "supplier,consumer,input,share,efficiency\nN,AI,accel,0.7,\nD,AI,accel,0.3,0.6\n");
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  Knockout ban;
  ban.node_out.assign(g.node_count(), 0);
  ban.node_out[id(g, "N")] = 1;
  auto before = evaluate(g);
  auto after = evaluate(g, ban);
  NodeId ai = id(g, "AI");
  CHECK(before.direct[ai] == doctest::Approx(0.3));          // .3 * d(D)
  CHECK(before.effective[ai] == doctest::Approx(0.18));      // .3 * .6 * 1
  CHECK(before.availability[ai] == doctest::Approx(0.88));   // .7*1 + .3*.6*1
  CHECK(after.availability[ai] == doctest::Approx(0.18));    // .7*0 + .3*.6
  CHECK(after.availability[id(g, "N")] == 0.0);
}

TEST_CASE("reliance: a cycle is solved to its greatest fixed point") {
  // D1 needs x: D2 .5, W (domestic leaf) .3, P (foreign leaf) .2; D2 needs D1 alone.
  // e(D1) = .5 e(D2) + .3 and e(D2) = e(D1), so e = .6; a = min(1, .5 a + .3 + .2) = 1 at the greatest fixed point.
  auto loaded = load_text("id,kind,country\nD1,fab,CHN\nD2,equipment,CHN\nW,material,CHN\nP,material,JPN\n",
                          "supplier,consumer,input,share\nD2,D1,x,0.5\nW,D1,x,0.3\nP,D1,x,0.2\nD1,D2,,1\n");
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto x = evaluate(g);
  CHECK(x.effective[id(g, "D1")] == doctest::Approx(0.6).epsilon(1e-9));
  CHECK(x.effective[id(g, "D2")] == doctest::Approx(0.6).epsilon(1e-9));
  CHECK(x.availability[id(g, "D1")] == doctest::Approx(1.0));
  // unweighted: nominal = 3/4 domestic nodes; effective = (.6 + .6 + 1 + 0) / 4
  Figures f = summarize(g, x);
  CHECK(*f.nominal == doctest::Approx(0.75));
  CHECK(*f.effective == doctest::Approx(2.2 / 4).epsilon(1e-9));
}

TEST_CASE("reliance: a foreign producer with domestic suppliers relies on nothing domestic") {
  auto loaded = load_text("id,kind,country\nW,material,CHN\nK,fab,KOR\nC,chip,CHN\n",
                          "supplier,consumer\nW,K\nK,C\n");
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto x = evaluate(g);
  CHECK(x.effective[id(g, "K")] == 0.0);
  CHECK(x.direct[id(g, "K")] == 0.0);
  CHECK(x.effective[id(g, "C")] == 0.0);  // its only input is foreign
  Figures f = summarize(g, x);
  // localization: only C is a domestic producer with requirements; its input K has d = 0
  CHECK(*f.localization == doctest::Approx(0.0));
}

TEST_CASE("reliance: an aggregate with no suppliers has d = e = 0 and a = 1, with a warning") {
  auto loaded = load_text("id,kind,country\nAG,category,\nC,chip,CHN\nX,chip,USA\n", "supplier,consumer\nX,C\n");
  REQUIRE(loaded.graph);
  CHECK(loaded.has("empty-aggregate"));
  const auto& g = *loaded.graph;
  auto x = evaluate(g);
  NodeId ag = id(g, "AG");
  CHECK(x.direct[ag] == 0.0);
  CHECK(x.effective[ag] == 0.0);
  CHECK(x.availability[ag] == 1.0);
}

TEST_CASE("reliance: without a value column every node weighs 1") {
  auto loaded = load_text("id,kind,country\nA,chip,CHN\nB,chip,USA\nC,chip,USA\nD,chip,CHN\n",
                          "supplier,consumer\nB,A\nD,C\n");
  REQUIRE(loaded.graph);
  Figures f = summarize(*loaded.graph, evaluate(*loaded.graph));
  CHECK(*f.nominal == doctest::Approx(0.5));
  CHECK(f.weight == doctest::Approx(4));
}

TEST_CASE("reliance invariants: 0 <= e <= a <= 1 and 0 <= d <= 1 on random graphs with cycles") {
  std::mt19937 rng(7);
  for (int round = 0; round < 30; ++round) {
    int n = 12 + round;
    std::string nodes = "id,kind,country,value_musd\n", edges = "supplier,consumer,input,share,efficiency\n";
    for (int v = 0; v < n; ++v)
      nodes += "N" + std::to_string(v) + (v % 7 == 6 ? ",category,," : (rng() % 2 ? ",fab,CHN," : ",fab,USA,")) +
               std::to_string(1 + rng() % 100) + "\n";
    for (int v = 1; v < n; ++v) {
      int reqs = 1 + rng() % 2;
      for (int r = 0; r < reqs; ++r) {
        int suppliers = 1 + rng() % 3;
        double left = 1.0;
        std::vector<int> used;
        for (int s = 0; s < suppliers; ++s) {
          // mostly lower ids (layers), sometimes higher (cycles)
          int u = (rng() % 10 == 0) ? int(rng() % n) : int(rng() % v);
          if (u == v || std::find(used.begin(), used.end(), u) != used.end()) continue;
          used.push_back(u);
          if (left < 0.05) break;
          double share = std::min(left, 0.1 + (rng() % 60) / 100.0);
          left -= share;
          edges += "N" + std::to_string(u) + ",N" + std::to_string(v) + ",in" + std::to_string(r) + "," +
                   std::to_string(share).substr(0, 6) + "," + (rng() % 4 == 0 ? "0.5" : "1") + "\n";
        }
      }
    }
    auto loaded = load_text(nodes, edges);
    for (const auto& d : loaded.diagnostics.entries())
      if (d.severity == Severity::error) FAIL_CHECK(format_diagnostic(d));
    REQUIRE_MESSAGE(loaded.graph, "round ", round);
    const auto& g = *loaded.graph;
    auto x = evaluate(g);
    for (NodeId v = 0; v < g.node_count(); ++v) {
      CHECK(x.effective[v] >= 0.0);
      CHECK(x.effective[v] <= x.availability[v] + 1e-12);
      CHECK(x.availability[v] <= 1.0);
      CHECK(x.direct[v] >= 0.0);
      CHECK(x.direct[v] <= 1.0 + 1e-12);
    }
  }
}
