// One-pass loss bounds are upper bounds, and the certified top K equals the exact ranking's top K.
#include <doctest/doctest.h>

#include "graph/loss_bounds.hpp"
#include "random_graphs.hpp"
#include "test_support.hpp"

using namespace scgraph;

namespace {

// A hand-computed graph: its base values, its bounds, and any node's exact knockout.
struct HandGraph {
  test::LoadedText loaded;
  NodeValues base;
  LossBounds bounds;
  HandGraph(const std::string& nodes, const std::string& edges) : loaded(test::load_text(nodes, edges)) {
    REQUIRE(loaded.graph);
    base = evaluate(graph());
    bounds = loss_upper_bounds(graph(), base);
  }
  [[nodiscard]] const SupplyGraph& graph() const { return *loaded.graph; }
  [[nodiscard]] NodeId node(std::string_view id) const { return *graph().find(id); }
  [[nodiscard]] KnockoutImpact exact(std::string_view id) const {
    NodeId one[] = {node(id)};
    return naive_knockout(graph(), base, one);
  }
  [[nodiscard]] double loss_bound(std::string_view id) const { return bounds.loss[node(id)]; }
  [[nodiscard]] double domestic_bound(std::string_view id) const { return bounds.domestic_loss[node(id)]; }
};

}  // namespace

TEST_CASE("loss bounds: a chain with dilution is bounded by its path products") {
  // S supplies half of A's only requirement (the rest unmapped); A supplies all of B's.
  // Knocking out S: a(S) 1 -> 0, a(A) = min(1, .5 + .5*0) = .5, a(B) = .5. Loss = (1 + .5 + .5)/3.
  // Bound: linear reach of S = 1 + .5 * (1 + 1 * 1) = 2, times a(S) = 1, over W = 3: the same.
  HandGraph h("id,kind,country\nS,material,USA\nA,fab,CHN\nB,chip,CHN\n",
                                "supplier,consumer,input,share\nS,A,x,0.5\nA,B,,\n");
  auto exact = h.exact("S");
  CHECK(exact.loss == doctest::Approx(2.0 / 3));
  CHECK(h.loss_bound("S") == doctest::Approx(2.0 / 3));
  // domestic: A and B are domestic, (.5 + .5)/3
  CHECK(exact.domestic_loss == doctest::Approx(1.0 / 3));
  CHECK(h.domestic_bound("S") == doctest::Approx(1.0 / 3));
}

TEST_CASE("loss bounds: a supplier in several requirements of one consumer counts once") {
  // S supplies half of each of C's two requirements (the rest unmapped): a(C) = min(.5 + .5, .5 + .5) = 1.
  // Knocking out S: a(C) = min(.5, .5) = .5, so loss = (1 + .5)/2 = .75 and domestic (C) = .5/2 = .25.
  // Summed over the requirements the bound would be (1 + (.5 + .5) * 1)/2 = 1; the largest share
  // over the requirements gives (1 + .5)/2 = .75, the exact figure.
  HandGraph h("id,kind,country\nS,material,USA\nC,fab,CHN\n",
                                "supplier,consumer,input,share\nS,C,x,0.5\nS,C,y,0.5\n");
  auto exact = h.exact("S");
  CHECK(exact.loss == doctest::Approx(0.75));
  CHECK(exact.domestic_loss == doctest::Approx(0.25));
  CHECK(h.loss_bound("S") >= exact.loss);
  CHECK(h.loss_bound("S") == doctest::Approx(0.75).epsilon(1e-8));
  CHECK(h.domestic_bound("S") >= exact.domestic_loss);
  CHECK(h.domestic_bound("S") == doctest::Approx(0.25).epsilon(1e-8));
}

TEST_CASE("loss bounds: supply above a consumer's binding requirement absorbs the first loss") {
  // V supplies T's only requirement at efficiency 0.2: a(T) = 0.2. C needs x (S 30 %, 70 % unmapped:
  // 1.0) and y (T 50 %, 50 % unmapped: .5 + .5 * .2 = .6), so a(C) = .6 and x has .4 of slack.
  // Knocking out S leaves x at .7 > .6: C keeps its availability and the loss is S's own, 1/4.
  // A bound without the slack would charge C .3: (1 + .3)/4 = .325.
  HandGraph h("id,kind,country\nS,material,USA\nV,material,USA\nT,equipment,CHN\nC,fab,CHN\n",
                                "supplier,consumer,input,share,efficiency\nV,T,z,1,0.2\nS,C,x,0.3,1\nT,C,y,0.5,1\n");
  REQUIRE(h.base.availability[h.node("C")] == doctest::Approx(0.6));
  auto exact = h.exact("S");
  CHECK(exact.loss == doctest::Approx(0.25));
  CHECK(exact.domestic_loss == 0.0);
  CHECK(h.loss_bound("S") >= exact.loss);
  CHECK(h.loss_bound("S") == doctest::Approx(0.25).epsilon(1e-8));
  CHECK(h.domestic_bound("S") == 0.0);  // S is foreign and nothing domestic loses anything
}

TEST_CASE("loss bounds: a cycle whose linear series diverges is bounded lap by lap") {
  // A, B and C buy from each other in two requirements each (60 % per link), so the sum over a
  // member's suppliers is 1.2 and the series for the cycle diverges. S supplies 10 % of A's x
  // (B 60 %, 30 % unmapped). Every weight 1, a = 1 everywhere, W = 4.
  // Exact: with S out, B = C by symmetry, A = .3 + .6 B and B = .4 + .6 A, so A = .54 / .64 =
  // .84375 and B = C = .90625; loss = (1 + .15625 + 2 * .09375) / 4 = .3359375.
  // Laps (members in node order; D: A -> B, A -> C, B -> C; F: B -> A, C -> A, C -> B; the ends,
  // where F links enter, are A and B):
  //  * a unit entering both ends at once, laps included (the max over requirements kept):
  //    A = B = 1 + .6 A = 2.5, C = .6 A = 1.5, costing 6.5;
  //  * A's spread through D: A 1, B .6, C .6 (cost 2.2); back into A .6 * .6 + .6 * .6 = .72,
  //    into B .36, so A's bound is 2.2 + .72 * 6.5 = 6.88; B's: B 1, C .6 (1.6), back into A
  //    .6 + .36 = .96, so 1.6 + .96 * 6.5 = 7.84 (a lap of the ends' system lowers neither);
  //  * S: 1 + (10 % of A) * 6.88 = 1.688 over 4 = .422 (domestic: .688 / 4 = .172). The block
  //    bound would give (1 + .25 * 3) / 4 = .4375.
  HandGraph h("id,kind,country\nS,material,USA\nA,fab,CHN\nB,fab,CHN\nC,fab,CHN\n",
                                "supplier,consumer,input,share\n"
                                "S,A,x,0.1\nB,A,x,0.6\nC,A,y,0.6\n"
                                "A,B,x,0.6\nC,B,y,0.6\nA,C,x,0.6\nB,C,y,0.6\n");
  auto exact = h.exact("S");
  CHECK(exact.loss == doctest::Approx(0.3359375).epsilon(1e-9));
  CHECK(h.loss_bound("S") >= exact.loss);
  CHECK(h.loss_bound("S") == doctest::Approx(0.422).epsilon(1e-6));
  CHECK(h.domestic_bound("S") >= exact.domestic_loss);
  CHECK(h.domestic_bound("S") == doctest::Approx(0.172).epsilon(1e-6));
  // A member knocked out costs at most its availability on every member: (1 + 1 + 1) / 4.
  for (const char* id : {"A", "B", "C"}) {
    CHECK(h.loss_bound(id) >= h.exact(id).loss);
    CHECK(h.loss_bound(id) == doctest::Approx(0.75).epsilon(1e-8));
  }
}

TEST_CASE("loss bounds: members that supply each other entirely are bounded as one block") {
  // U's x comes all from V and V's all from U: a drop could go round forever, so there is no
  // lap bound, and the block bound holds. S supplies half of U's y (the rest unmapped).
  // Exact: with S out, U = min(V, .5) and V = U, so both fall to .5: loss (1 + .5 + .5) / 3,
  // domestic (U, V) 1 / 3. Block: no member loses more than the supply from outside drops, .5
  // (U's y has no supplier inside), so S costs 1 + .5 * 2.
  HandGraph h("id,kind,country\nS,material,USA\nU,fab,CHN\nV,fab,CHN\n",
              "supplier,consumer,input,share\nV,U,x,1\nS,U,y,0.5\nU,V,x,1\n");
  auto exact = h.exact("S");
  CHECK(exact.loss == doctest::Approx(2.0 / 3));
  CHECK(exact.domestic_loss == doctest::Approx(1.0 / 3));
  CHECK(h.loss_bound("S") >= exact.loss);
  CHECK(h.loss_bound("S") == doctest::Approx(2.0 / 3).epsilon(1e-8));
  CHECK(h.domestic_bound("S") >= exact.domestic_loss);
  CHECK(h.domestic_bound("S") == doctest::Approx(1.0 / 3).epsilon(1e-8));
}

TEST_CASE("loss bounds: equal bounds are ordered by the domestic linear reach without the links closing cycles") {
  // The cycle above: A, B and C all have the bound .75. The order among them comes from the
  // domestic linear reach with only the links to a later member kept (members in node order:
  // A -> B, A -> C, B -> C; every domestic weight 1, a = 1 everywhere):
  // C = 1, B = 1 + .6 * C = 1.6, A = 1 + .6 * B + .6 * C = 2.56, and S (foreign) = .1 * A.
  HandGraph h("id,kind,country\nS,material,USA\nA,fab,CHN\nB,fab,CHN\nC,fab,CHN\n",
                                "supplier,consumer,input,share\n"
                                "S,A,x,0.1\nB,A,x,0.6\nC,A,y,0.6\n"
                                "A,B,x,0.6\nC,B,y,0.6\nA,C,x,0.6\nB,C,y,0.6\n");
  const auto& priority = h.bounds.priority;
  CHECK(priority[h.node("C")] == doctest::Approx(1.0));
  CHECK(priority[h.node("B")] == doctest::Approx(1.6));
  CHECK(priority[h.node("A")] == doctest::Approx(2.56));
  CHECK(priority[h.node("S")] == doctest::Approx(0.256));
}

namespace {

// Every node's bounds are at least its exact figures (knocked out one by one).
void check_bounds_hold(unsigned seed, const test::RandomGraphText& text) {
  auto loaded = test::load_text(text.nodes, text.edges);
  REQUIRE_MESSAGE(loaded.graph, "seed ", seed);
  const auto& g = *loaded.graph;
  auto base = evaluate(g);
  auto bounds = loss_upper_bounds(g, base);
  auto exact = knock_out_each_node(g, base, 1);
  for (NodeId v = 0; v < g.node_count(); ++v) {
    CHECK_MESSAGE(exact[v].loss <= bounds.loss[v] + 1e-12, "seed ", seed, " node ", g.id(v));
    CHECK_MESSAGE(exact[v].domestic_loss <= bounds.domestic_loss[v] + 1e-12, "seed ", seed, " node ", g.id(v));
  }
}

}  // namespace

TEST_CASE("loss bounds: never below the exact loss on random graphs with large cycles") {
  // 40 to 80 % of the links point anywhere: one large cycle with members in several requirements
  // of each other, where the series diverges and only the block bound holds.
  for (unsigned seed = 1; seed <= 20; ++seed)
    check_bounds_hold(seed, test::random_graph(500 + seed, 60 + int(seed) * 4, 40 + int(seed % 3) * 20));
}

TEST_CASE("loss bounds: never below the exact loss, on random graphs with cycles") {
  for (unsigned seed = 1; seed <= 25; ++seed) check_bounds_hold(seed, test::random_graph(seed, 40 + int(seed) * 3, seed % 2 ? 8 : 0));
}

TEST_CASE("certified top K equals the top K of the exhaustive ranking, whatever the thread count") {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    auto text = test::random_graph(100 + seed, 60 + int(seed) * 5, seed % 3 ? 6 : 0);
    auto loaded = test::load_text(text.nodes, text.edges);
    REQUIRE(loaded.graph);
    const auto& g = *loaded.graph;
    auto base = evaluate(g);
    auto exhaustive = knock_out_each_node(g, base, 1);
    std::vector<RankedImpact> all;
    for (NodeId v = 0; v < g.node_count(); ++v) all.push_back({v, exhaustive[v]});
    std::sort(all.begin(), all.end(), [&](const auto& a, const auto& b) { return ranks_before(g, a, b); });
    auto bounds = loss_upper_bounds(g, base);
    for (std::size_t k : {std::size_t(1), std::size_t(5), std::size_t(12)}) {
      for (unsigned threads : {1u, 2u}) {
        auto top = certified_top_k(g, base, bounds, k, threads);
        REQUIRE(top.top.size() == k);
        for (std::size_t i = 0; i < k; ++i) {
          CHECK_MESSAGE(top.top[i].node == all[i].node, "seed ", seed, " k ", k, " rank ", i);
          CHECK(top.top[i].impact.domestic_loss == doctest::Approx(all[i].impact.domestic_loss).epsilon(1e-12));
          // The ranking runs on a alone; the ranked nodes' e figures come from waves of their own.
          const auto& exact = exhaustive[top.top[i].node];
          CHECK(top.top[i].impact.loss == exact.loss);
          CHECK(top.top[i].impact.effective_loss == exact.effective_loss);
          CHECK(top.top[i].impact.hard_dependents == exact.hard_dependents);
        }
        CHECK(top.exact_evaluations <= g.node_count());
        // The work done, not only the result, is the same whatever the thread count.
        if (threads == 2) {
          auto one_thread = certified_top_k(g, base, bounds, k, 1);
          CHECK(top.exact_evaluations == one_thread.exact_evaluations);
          CHECK(top.set_evaluations == one_thread.set_evaluations);
          CHECK(top.remaining_domestic_bound == one_thread.remaining_domestic_bound);
        }
        // Every node outside the top is within the bounds stated for the rest.
        for (std::size_t i = k; i < all.size(); ++i) {
          CHECK(all[i].impact.domestic_loss <= top.remaining_domestic_bound + 1e-12);
          CHECK(all[i].impact.loss <= top.remaining_loss_bound + 1e-12);
        }
      }
    }
  }
}

TEST_CASE("loss bounds: never below the exact loss on random graphs with loops of every density") {
  // From a few links closing loops (the lap bound, its spreads and its ends) to most of them.
  const int percent[] = {1, 3, 5, 10, 20, 40, 70};
  for (unsigned seed = 1; seed <= 70; ++seed)
    check_bounds_hold(seed, test::random_graph(1000 + seed, 40 + int(seed % 7) * 25, percent[seed % 7]));
}
