// Chokepoints: knockouts against hand computation (the arithmetic is in the comments), the fast
// all-nodes knockout against full recomputation, and the facts each ranked row carries.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <map>

#include "graph/chokepoints.hpp"
#include "graph/knockout.hpp"
#include "graph/structure.hpp"
#include "random_graphs.hpp"
#include "test_support.hpp"

using namespace scgraph;
using scgraph::test::load_text;

namespace {

// A random graph (tests/random_graphs.hpp), loaded, and its values.
struct RandomCase {
  test::LoadedText loaded;
  NodeValues base;
  [[nodiscard]] const SupplyGraph& graph() const { return *loaded.graph; }
};

RandomCase random_case(unsigned seed, int nodes, int back_edge_percent) {
  const auto text = test::random_graph(seed, nodes, back_edge_percent);
  RandomCase out{load_text(text.nodes, text.edges), {}};
  REQUIRE_MESSAGE(out.loaded.graph, "seed ", seed);
  out.base = evaluate(*out.loaded.graph);
  return out;
}

// The worked example of docs/METRICS.md section 9 (W = 1000). TOOL-CN and FAB-CN form a cycle;
// lithography has 10 % unmapped supply; CHIP-CN delivers at efficiency 0.6 in CAT-AI.
const char* kNodes =
    "id,name,kind,stage,country,origin,owner,value_musd\n"
    "TOOL-NL,Dutch scanner,equipment,Equipment,NLD,,Dutch Litho,40\n"
    "TOOL-CN,Chinese scanner,equipment,Equipment,CHN,,Sino Litho,10\n"
    "WAFER-CN,Chinese wafers,material,Materials,CHN,,Sino Wafer,10\n"
    "FAB-CN,Chinese fab,fab,Fabrication,CHN,,Sino Semi,100\n"
    "CHIP-CN,Chinese accelerator,chip,Chips,CHN,,Sino Semi,140\n"
    "CHIP-US,US accelerator,chip,Chips,USA,,US Chips,200\n"
    "CAT-AI,AI accelerators used in China,category,Chips,,,,500\n";
const char* kEdges =
    "supplier,consumer,input,share,efficiency\n"
    "TOOL-NL,FAB-CN,lithography,0.8,\n"
    "TOOL-CN,FAB-CN,lithography,0.1,\n"
    "WAFER-CN,FAB-CN,,,\n"
    "WAFER-CN,TOOL-CN,test-wafers,0.5,\n"
    "FAB-CN,TOOL-CN,test-wafers,0.5,\n"
    "FAB-CN,CHIP-CN,wafers,1,\n"
    "CHIP-US,CAT-AI,accelerators,60%,\n"
    "CHIP-CN,CAT-AI,accelerators,40%,0.6\n";

NodeId node(const SupplyGraph& g, const char* id) { return *g.find(id); }

const ChokepointRow* row_of(const ChokepointRanking& r, const std::string& id) {
  for (const auto& row : r.rows)
    if (row.id == id) return &row;
  return nullptr;
}

std::vector<std::string> ids_of(const ChokepointRanking& r) {
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(row.id);
  return out;
}

}  // namespace

TEST_CASE("chokepoints: single-node knockouts of the worked example equal hand computation") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto base = evaluate(g);
  ChokepointOptions options;
  options.threads = 1;
  auto ranking = rank_chokepoints(g, base, options);
  // Ranking: domestic_loss, then loss, then id.
  CHECK(ids_of(ranking) ==
        std::vector<std::string>{"WAFER-CN", "FAB-CN", "TOOL-NL", "CHIP-CN", "TOOL-CN", "CHIP-US", "CAT-AI"});

  // WAFER-CN: FAB-CN's WAFER-CN requirement gives 0 -> FAB-CN 0, TOOL-CN .5*0 + .5*0 = 0, CHIP-CN 0,
  // CAT-AI .6 (from .84). Terms 10 + 10 + 100 + 140 + 500*.24 = 380; domestic 260. Hard: 3.
  const auto* wafer = row_of(ranking, "WAFER-CN");
  REQUIRE(wafer);
  CHECK(wafer->rank == 1);
  CHECK(wafer->impact.loss == doctest::Approx(0.38));
  CHECK(wafer->impact.domestic_loss == doctest::Approx(0.26));
  CHECK(wafer->impact.hard_dependents == 3);
  CHECK(wafer->sole_source);
  CHECK(wafer->sole_source_inputs == std::vector<std::string>{"WAFER-CN"});
  // Every e falls to 0: effective_loss = the whole effective figure, (10 + 460/19) / 1000.
  CHECK(wafer->impact.effective_loss == doctest::Approx((10 + 460.0 / 19) / 1000));

  // FAB-CN: TOOL-CN .5, CHIP-CN 0, CAT-AI .6: 100 + 5 + 140 + 120 = 365; domestic 245. Hard: CHIP-CN.
  const auto* fab = row_of(ranking, "FAB-CN");
  CHECK(fab->impact.loss == doctest::Approx(0.365));
  CHECK(fab->impact.domestic_loss == doctest::Approx(0.245));
  CHECK(fab->impact.hard_dependents == 1);
  CHECK(fab->sole_source);

  // TOOL-NL (through the cycle): x = .1 + .1y, y = .5 + .5x -> x = 3/19, y = 11/19; CHIP-CN 3/19;
  // CAT-AI .6 + .24*3/19. Terms 40 + 10*8/19 + 100*16/19 + 140*16/19 + 500*(.24 - .24*3/19).
  const auto* nl = row_of(ranking, "TOOL-NL");
  double nl_loss = (40 + 80.0 / 19 + 1600.0 / 19 + 2240.0 / 19 + 500 * 0.24 * 16 / 19) / 1000;
  CHECK(nl->impact.loss == doctest::Approx(nl_loss).epsilon(1e-10));
  CHECK(nl->impact.loss == doctest::Approx(0.3473684211));
  CHECK(nl->impact.domestic_loss == doctest::Approx((80.0 + 1600 + 2240) / 19 / 1000));
  CHECK(nl->impact.hard_dependents == 0);
  CHECK_FALSE(nl->sole_source);  // TOOL-CN 0.1 and unmapped 0.1 remain
  CHECK(nl->impact.effective_loss == 0.0);  // a foreign node's e is 0 already

  // CHIP-CN (efficiency .6 in CAT-AI): CAT-AI .6 + .24 -> .6: 140 + 120 = 260; domestic 140.
  CHECK(row_of(ranking, "CHIP-CN")->impact.loss == doctest::Approx(0.26));
  CHECK(row_of(ranking, "CHIP-CN")->impact.domestic_loss == doctest::Approx(0.14));
  // TOOL-CN: FAB-CN min(1, .1 + .8) = .9, CHIP-CN .9, CAT-AI .816: 10 + 10 + 14 + 12 = 46; domestic 34.
  CHECK(row_of(ranking, "TOOL-CN")->impact.loss == doctest::Approx(0.046));
  CHECK(row_of(ranking, "TOOL-CN")->impact.domestic_loss == doctest::Approx(0.034));
  // CHIP-US: CAT-AI .24: 200 + 300 = 500; nothing domestic. CAT-AI: itself, 500 * .84 = 420.
  CHECK(row_of(ranking, "CHIP-US")->impact.loss == doctest::Approx(0.5));
  CHECK(row_of(ranking, "CHIP-US")->impact.domestic_loss == 0.0);
  CHECK(row_of(ranking, "CAT-AI")->impact.loss == doctest::Approx(0.42));
}

TEST_CASE("chokepoints: country and owner groups are knocked out at once") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto base = evaluate(g);
  ChokepointOptions options;
  options.group = ChokepointGroup::owner;
  auto owners = rank_chokepoints(g, base, options);
  // Sino Semi = FAB-CN + CHIP-CN: TOOL-CN keeps .5, CAT-AI .6: 100 + 140 + 5 + 120 = 365; domestic
  // 245; hard dependents 0 (CHIP-CN, the only node that fails, is a member).
  const auto* semi = row_of(owners, "Sino Semi");
  REQUIRE(semi);
  CHECK(semi->impact.loss == doctest::Approx(0.365));
  CHECK(semi->impact.domestic_loss == doctest::Approx(0.245));
  CHECK(semi->impact.hard_dependents == 0);
  CHECK(semi->members.size() == 2);
  CHECK(semi->country == "CHN");
  CHECK_FALSE(semi->kind.has_value());
  // Members supply TOOL-CN (.5 of test-wafers, WAFER-CN has the rest) and CAT-AI (.4): not sole.
  CHECK_FALSE(semi->sole_source);
  REQUIRE(semi->largest_share);
  CHECK(semi->largest_share->share == doctest::Approx(0.5));
  CHECK(g.id(semi->largest_share->consumer) == "TOOL-CN");

  options.group = ChokepointGroup::country;
  auto countries = rank_chokepoints(g, base, options);
  CHECK(ids_of(countries) == std::vector<std::string>{"CHN", "NLD", "USA"});
  // CHN: every domestic node out: 10 + 10 + 100 + 140 + CAT-AI 120 = 380; domestic 260; hard 0
  // (every node that fails is a member).
  CHECK(countries.rows[0].impact.loss == doctest::Approx(0.38));
  CHECK(countries.rows[0].impact.domestic_loss == doctest::Approx(0.26));
  CHECK(countries.rows[0].impact.hard_dependents == 0);
  // NLD and USA are the single nodes TOOL-NL and CHIP-US.
  CHECK(countries.rows[1].impact.loss == doctest::Approx(0.3473684211));
  CHECK(countries.rows[2].impact.loss == doctest::Approx(0.5));
}

TEST_CASE("chokepoints: concentration of a requirement by hand") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto conc = [&](const char* consumer, std::string_view input) {
    NodeId c = node(g, consumer);
    for (ReqId r = g.req_begin(c); r < g.req_end(c); ++r)
      if (g.input(r) == input) return requirement_concentration(g, r);
    FAIL("no such requirement");
    return RequirementConcentration{};
  };
  // FAB-CN/lithography: 10000 * (.8^2 + .1^2) = 6500; top .8; foreign .8 (TOOL-NL); NLD .8 >= .75: 1.
  auto litho = conc("FAB-CN", "lithography");
  CHECK(litho.hhi == doctest::Approx(6500));
  CHECK(litho.top_share == doctest::Approx(0.8));
  CHECK(litho.foreign_share == doctest::Approx(0.8));
  CHECK(litho.unmapped == doctest::Approx(0.1));
  CHECK(litho.countries_to_75 == 1u);
  // CAT-AI/accelerators: 10000 * (.36 + .16) = 5200; USA .6, then CHN .4: 2 countries.
  auto accel = conc("CAT-AI", "accelerators");
  CHECK(accel.hhi == doctest::Approx(5200));
  CHECK(accel.countries_to_75 == 2u);
  // TOOL-CN/test-wafers: 10000 * (.25 + .25) = 5000; both CHN: 1 country; nothing foreign.
  auto wafers = conc("TOOL-CN", "test-wafers");
  CHECK(wafers.hhi == doctest::Approx(5000));
  CHECK(wafers.foreign_share == 0.0);
  CHECK(wafers.countries_to_75 == 1u);
}

TEST_CASE("chokepoints: unmapped supply keeps countries-to-75 % empty and decides sole source") {
  // F needs x: A (USA) .5 + B (JPN) .2, 30 % unmapped: .5 + .2 = .7 never reaches .75 -> empty.
  // F needs y: S alone at .9999999999 (1e-10 unmapped, below 1e-9): sole source.
  // F needs z: T at .999 (.001 unmapped): not sole.
  auto loaded = load_text("id,kind,country\nA,material,USA\nB,material,JPN\nS,material,DEU\nT,material,FRA\nF,fab,CHN\n",
                          "supplier,consumer,input,share\nA,F,x,0.5\nB,F,x,0.2\nS,F,y,0.9999999999\nT,F,z,0.999\n");
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto base = evaluate(g);
  auto ranking = rank_chokepoints(g, base, {});
  const auto* a = row_of(ranking, "A");
  REQUIRE(a->largest_share);
  CHECK_FALSE(a->largest_share->concentration.countries_to_75.has_value());
  // HHI 10000 * (.25 + .04) = 2900
  CHECK(a->largest_share->concentration.hhi == doctest::Approx(2900));
  CHECK(a->largest_share->concentration.foreign_share == doctest::Approx(0.7));
  CHECK(row_of(ranking, "S")->sole_source);
  CHECK(row_of(ranking, "S")->sole_source_requirements == 1);
  CHECK_FALSE(row_of(ranking, "T")->sole_source);
  // Knocking out S: y gives 1e-10 -> F ~ 0 (a' <= 1e-9 counts as failed): hard dependent.
  CHECK(row_of(ranking, "S")->impact.hard_dependents == 1);
  CHECK(row_of(ranking, "T")->impact.hard_dependents == 0);
}

TEST_CASE("chokepoints: reasons name the sole-source inputs and the consequences") {
  // L supplies litho alone to two fabs; F1 and F2 make chips C1 and C2.
  auto loaded = load_text(
      "id,kind,country,value_musd\nL,equipment,NLD,10\nF1,fab,CHN,40\nF2,fab,CHN,30\nC1,chip,CHN,10\nC2,chip,CHN,10\n",
      "supplier,consumer,input,share\nL,F1,litho,1\nL,F2,litho,1\nF1,C1,wafers,1\nF2,C2,wafers,1\n");
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto ranking = rank_chokepoints(g, evaluate(g), {});
  const auto* l = row_of(ranking, "L");
  REQUIRE(l);
  // Everything fails: loss 100/100; domestic 90/100; hard dependents F1, F2, C1, C2.
  CHECK(l->impact.loss == doctest::Approx(1.0));
  CHECK(l->impact.domestic_loss == doctest::Approx(0.9));
  CHECK(l->reason ==
        "sole supplier of litho to 2 fabs; without it the chain loses 100.0 % of its value-weighted availability "
        "(90.0 % at domestic producers); 4 other nodes cannot produce at all");
  CHECK(row_of(ranking, "F1")->reason.starts_with("sole supplier of wafers to C1;"));
  CHECK(row_of(ranking, "C1")->reason.starts_with("supplies no other node in the data;"));
}

TEST_CASE("chokepoints: filters restrict the rows shown, not the computation or the ranks") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto base = evaluate(g);
  ChokepointOptions options;
  options.filter.kinds = {Kind::chip};
  auto chips = rank_chokepoints(g, base, options);
  CHECK(ids_of(chips) == std::vector<std::string>{"CHIP-CN", "CHIP-US"});
  CHECK(chips.rows[0].rank == 4);
  CHECK(chips.rows[1].rank == 6);
  CHECK(chips.candidates == 7);

  options = {};
  options.filter.min_loss = 0.4;  // CHIP-US .5 and CAT-AI .42
  CHECK(ids_of(rank_chokepoints(g, base, options)) == std::vector<std::string>{"CHIP-US", "CAT-AI"});

  options = {};
  options.filter.origin = Origin::foreign;
  options.top = 1;
  CHECK(ids_of(rank_chokepoints(g, base, options)) == std::vector<std::string>{"TOOL-NL"});

  options = {};
  options.filter.countries = {"CHN"};
  options.filter.stages = {"Chips"};
  CHECK(ids_of(rank_chokepoints(g, base, options)) == std::vector<std::string>{"CHIP-CN"});
}

TEST_CASE("chokepoints: structural context by hand") {
  // L1 -> A -> C and L2 -> B -> C: two node-disjoint paths from leaves into chip C: connectivity 2.
  // L1 -> F -> D and L2 -> F: every path into chip D passes F: connectivity 1.
  // Chip E has no suppliers: a leaf itself, no connectivity.
  auto loaded = load_text(
      "id,kind,country\nL1,material,CHN\nL2,material,CHN\nA,fab,CHN\nB,fab,CHN\nC,chip,CHN\nF,fab,CHN\nD,chip,CHN\n"
      "E,chip,CHN\n",
      "supplier,consumer\nL1,A\nL2,B\nA,C\nB,C\nL1,F\nL2,F\nF,D\n");
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  NodeId targets[] = {node(g, "C"), node(g, "D"), node(g, "E")};
  auto conn = leaf_connectivity(g, targets);
  REQUIRE(conn.error.empty());
  CHECK(conn.values[0] == 2u);
  CHECK(conn.values[1] == 1u);
  CHECK_FALSE(conn.values[2].has_value());

  // Betweenness: A lies on the only path L1 -> C (1 pair), B on L2 -> C, F on L1 -> D and L2 -> D
  // (2 pairs); normalised by (n-1)(n-2) = 7 * 6 = 42.
  auto b = betweenness_centrality(g);
  REQUIRE(b.values.size() == g.node_count());
  CHECK(b.values[node(g, "A")] == doctest::Approx(1.0 / 42));
  CHECK(b.values[node(g, "F")] == doctest::Approx(2.0 / 42));
  CHECK(b.values[node(g, "L1")] == 0.0);
  CHECK(b.values[node(g, "C")] == 0.0);
  CHECK(betweenness_centrality(g, 3, 0).values.empty());  // above the node limit, no samples: omitted with a note
  CHECK_FALSE(betweenness_centrality(g, 3, 0).note.empty());

  // The ranking carries them: connectivity on chips only, betweenness on every node row.
  auto ranking = rank_chokepoints(g, evaluate(g), {});
  CHECK(row_of(ranking, "C")->connectivity == 2u);
  CHECK_FALSE(row_of(ranking, "A")->connectivity.has_value());
  CHECK(row_of(ranking, "F")->betweenness == doctest::Approx(2.0 / 42));
}

TEST_CASE("chokepoints: the incremental engine equals full recomputation bit for bit, cycles included") {
  std::size_t compared = 0;
  for (unsigned seed = 1; seed <= 40; ++seed) {
    const auto sample = random_case(seed, 30 + int(seed) * 4, seed % 4 == 0 ? 0 : 4 + int(seed % 25));
    const auto& g = sample.graph();
    const auto& base = sample.base;
    bool cyclic = std::any_of(g.components().begin(), g.components().end(), [](const auto& c) { return c.cyclic; });
    if (seed % 4 != 0) CHECK_MESSAGE(cyclic, "seed ", seed, " should have a cycle");
    auto one_thread = knock_out_each_node(g, base, 1);
    auto two_threads = knock_out_each_node(g, base, 2);
    KnockoutEngine engine(g, base);
    for (NodeId v = 0; v < g.node_count(); ++v) {
      NodeId one[] = {v};
      auto naive = naive_knockout(g, base, one);
      const auto& fast = one_thread[v];
      CHECK_MESSAGE(fast.loss == naive.loss, "seed ", seed, " node ", g.id(v));
      CHECK_MESSAGE(fast.domestic_loss == naive.domestic_loss, "seed ", seed, " node ", g.id(v));
      CHECK_MESSAGE(fast.effective_loss == naive.effective_loss, "seed ", seed, " node ", g.id(v));
      CHECK_MESSAGE(fast.hard_dependents == naive.hard_dependents, "seed ", seed, " node ", g.id(v));
      CHECK(two_threads[v].loss == fast.loss);
      CHECK(two_threads[v].domestic_loss == fast.domestic_loss);
      CHECK(two_threads[v].hard_dependents == fast.hard_dependents);
      // Every node's values, not only the sums.
      engine.knock_out(one);
      Knockout ko;
      ko.node_out.assign(g.node_count(), 0);
      ko.node_out[v] = 1;
      auto after = evaluate(g, ko);
      for (NodeId u = 0; u < g.node_count(); ++u) {
        if (engine.availability_after(u) != after.availability[u] || engine.effective_after(u) != after.effective[u]) {
          FAIL("seed ", seed, " knockout ", g.id(v), ": node ", g.id(u), " differs");
        }
        // Monotone: a knockout never raises anybody's availability.
        CHECK(after.availability[u] <= base.availability[u] + 1e-12);
      }
      CHECK(fast.loss >= 0.0);
      CHECK(fast.domestic_loss <= fast.loss + 1e-12);  // separate sums: rounding may differ
      ++compared;
    }
  }
  CHECK(compared > 1000);
}

TEST_CASE("chokepoints: small waves pushed and large waves pulled give the bits of full recomputation") {
  // The engine schedules consumers while a wave is small and walks every later component once
  // more than a sixteenth of the graph has changed: on 3,000 nodes both happen, one engine reused.
  const auto sample = random_case(7, 3000, 3);
  const auto& g = sample.graph();
  const auto& base = sample.base;
  REQUIRE(std::any_of(g.components().begin(), g.components().end(), [](const auto& c) { return c.cyclic; }));
  KnockoutEngine engine(g, base);
  std::size_t pushed_only = 0, pulled = 0;
  for (NodeId v = 0; v < g.node_count(); v += 37) {
    NodeId one[] = {v};
    const auto impact = engine.knock_out(one);
    (impact.touched > g.node_count() / 16 ? pulled : pushed_only) += 1;
    Knockout ko;
    ko.node_out.assign(g.node_count(), 0);
    ko.node_out[v] = 1;
    const auto after = evaluate(g, ko);
    for (NodeId u = 0; u < g.node_count(); ++u)
      if (engine.availability_after(u) != after.availability[u] || engine.effective_after(u) != after.effective[u])
        FAIL("knockout ", g.id(v), ": node ", g.id(u), " differs");
    const auto naive = naive_knockout(g, base, one);
    CHECK(impact.loss == naive.loss);
    CHECK(impact.domestic_loss == naive.domestic_loss);
    CHECK(impact.effective_loss == naive.effective_loss);
  }
  CHECK(pushed_only > 5);
  CHECK(pulled > 5);
}

TEST_CASE("chokepoints: knockouts run together, a lane each, give each the bits it gets alone, whatever figures") {
  // Lanes of one wave differ in what they knock out, in how far their waves go and in how many
  // sweeps their cycles need; one engine is reused, calls of fewer sets than lanes and of more
  // (several waves) occur, and so do calls for a's figures alone, e's alone, and both (each
  // quantity's values must be restored from whatever the last call of that quantity left).
  std::size_t compared = 0, cyclic_graphs = 0;
  for (unsigned seed = 1; seed <= 24; ++seed) {
    const auto sample = random_case(100 + seed, 60 + int(seed) * 20, 2 + int(seed % 9));
    const auto& g = sample.graph();
    const auto& base = sample.base;
    cyclic_graphs += std::any_of(g.components().begin(), g.components().end(), [](const auto& c) { return c.cyclic; });
    KnockoutEngine together(g, base), alone(g, base);
    std::mt19937 random(seed);
    for (int batch = 0; batch < 12; ++batch) {
      const std::size_t lanes = 1 + random() % (2 * knockout_lanes);
      std::vector<std::vector<NodeId>> sets(lanes);
      for (auto& set : sets) {
        // Single nodes, groups (members may repeat across lanes) and now and then nothing at all.
        const std::size_t size = random() % 7 == 0 ? 0 : 1 + random() % 4;
        for (std::size_t i = 0; i < size; ++i) {
          const NodeId v = static_cast<NodeId>(random() % g.node_count());
          if (std::find(set.begin(), set.end(), v) == set.end()) set.push_back(v);
        }
      }
      std::vector<std::span<const NodeId>> spans(sets.begin(), sets.end());
      const KnockoutFigures figures[] = {KnockoutFigures::all, KnockoutFigures::availability_only,
                                         KnockoutFigures::effective_only};
      const KnockoutFigures asked = figures[random() % 3];
      const bool with_a = asked != KnockoutFigures::effective_only, with_e = asked != KnockoutFigures::availability_only;
      const auto impacts = together.knock_out_together(spans, asked);
      REQUIRE(impacts.size() == lanes);
      for (std::size_t l = 0; l < lanes; ++l) {
        const auto naive = naive_knockout(g, base, sets[l]);
        const auto single = alone.knock_out(sets[l]);
        const auto& got = impacts[l];
        if (with_a) {
          CHECK_MESSAGE(got.loss == naive.loss, "seed ", seed, " batch ", batch, " lane ", l);
          CHECK_MESSAGE(got.domestic_loss == naive.domestic_loss, "seed ", seed, " batch ", batch, " lane ", l);
          CHECK(got.hard_dependents == naive.hard_dependents);
          CHECK(got.touched == naive.touched);
          CHECK(got.touched == single.touched);
        } else {
          CHECK((got.loss == 0.0 && got.domestic_loss == 0.0 && got.hard_dependents == 0 && got.touched == 0));
        }
        CHECK_MESSAGE(got.effective_loss == (with_e ? naive.effective_loss : 0.0), "seed ", seed, " batch ", batch, " lane ", l);
        if (sets[l].empty()) CHECK((got.loss == 0.0 && got.effective_loss == 0.0));
        ++compared;
      }
      // Every lane of the last wave, node by node, against a full evaluation: the values computed.
      const std::size_t last_wave = (lanes - 1) / knockout_lanes * knockout_lanes;
      for (std::size_t l = last_wave; l < lanes; ++l) {
        Knockout ko;
        ko.node_out.assign(g.node_count(), 0);
        for (NodeId m : sets[l]) ko.node_out[m] = 1;
        const auto after = evaluate(g, ko);
        const std::size_t lane = l - last_wave;
        for (NodeId u = 0; u < g.node_count(); ++u)
          if ((with_a && together.availability_after(u, lane) != after.availability[u]) ||
              (with_e && together.effective_after(u, lane) != after.effective[u]))
            FAIL("seed ", seed, " batch ", batch, ": node ", g.id(u), " differs in lane ", lane);
      }
    }
  }
  CHECK(compared > 500);
  CHECK(cyclic_graphs > 12);
}

TEST_CASE("chokepoints: a pool of engines kept across calls gives every set the bits it gets alone") {
  // The certified ranking calls one pool batch after batch; threads take waves (or turns of
  // several waves) in whatever order they come, and engines are made on first use.
  for (unsigned seed = 1; seed <= 8; ++seed) {
    const auto sample = random_case(300 + seed, 80 + int(seed) * 10, 4 + int(seed % 5));
    const auto& g = sample.graph();
    const auto& base = sample.base;
    KnockoutEngine alone(g, base);
    for (unsigned threads : {1u, 2u})
      for (std::size_t waves_per_turn : {std::size_t(1), std::size_t(3)}) {
        KnockoutPool pool(g, base, threads);
        std::mt19937 random(seed);
        for (int call = 0; call < 4; ++call) {
          std::vector<std::vector<NodeId>> sets(1 + random() % 23);
          for (auto& set : sets) set.push_back(static_cast<NodeId>(random() % g.node_count()));
          std::atomic<std::size_t> reported{0};
          const std::vector<std::span<const NodeId>> spans(sets.begin(), sets.end());
          const auto impacts = pool.knock_out(spans, [&](std::size_t count) { reported += count; }, waves_per_turn);
          REQUIRE(impacts.size() == sets.size());
          CHECK(reported == sets.size());
          for (std::size_t i = 0; i < sets.size(); ++i) {
            const auto single = alone.knock_out(sets[i]);
            CHECK_MESSAGE(impacts[i].loss == single.loss, "seed ", seed, " call ", call, " set ", i);
            CHECK(impacts[i].domestic_loss == single.domestic_loss);
            CHECK(impacts[i].effective_loss == single.effective_loss);
            CHECK(impacts[i].hard_dependents == single.hard_dependents);
          }
        }
      }
  }
}

TEST_CASE("chokepoints: group knockouts equal full recomputation, engine reused between groups") {
  for (unsigned seed = 50; seed <= 60; ++seed) {
    const auto sample = random_case(seed, 80, 10);
    const auto& g = sample.graph();
    const auto& base = sample.base;
    ChokepointOptions options;
    options.group = seed % 2 ? ChokepointGroup::country : ChokepointGroup::owner;
    options.threads = 2;
    auto ranking = rank_chokepoints(g, base, options);
    REQUIRE(!ranking.rows.empty());
    for (const auto& row : ranking.rows) {
      auto naive = naive_knockout(g, base, row.members);
      CHECK(row.impact.loss == naive.loss);
      CHECK(row.impact.domestic_loss == naive.domestic_loss);
      CHECK(row.impact.hard_dependents == naive.hard_dependents);
      for (NodeId m : row.members)
        CHECK((options.group == ChokepointGroup::country ? std::string(g.country(m)) : std::string(g.owner(m))) == row.id);
    }
    for (std::size_t i = 1; i < ranking.rows.size(); ++i) {
      const auto &a = ranking.rows[i - 1].impact, &b = ranking.rows[i].impact;
      CHECK((a.domestic_loss > b.domestic_loss ||
             (a.domestic_loss == b.domestic_loss && (a.loss > b.loss || (a.loss == b.loss && ranking.rows[i - 1].id < ranking.rows[i].id)))));
    }
  }
}

TEST_CASE("chokepoints: the top rows from loss bounds equal the top of the full ranking") {
  for (unsigned seed = 70; seed <= 80; ++seed) {
    const auto sample = random_case(seed, 150, seed % 2 ? 6 : 0);
    const auto& g = sample.graph();
    const auto& base = sample.base;
    ChokepointOptions all;
    all.structure = false;
    auto full = rank_chokepoints(g, base, all);
    CHECK_FALSE(full.certified_top);
    ChokepointOptions top = all;
    top.top = 7;
    auto certified = rank_chokepoints(g, base, top);
    CHECK(certified.certified_top);
    REQUIRE(certified.rows.size() == 7);
    for (std::size_t i = 0; i < 7; ++i) {
      CHECK(certified.rows[i].id == full.rows[i].id);
      CHECK(certified.rows[i].rank == i + 1);
      CHECK(certified.rows[i].impact.loss == full.rows[i].impact.loss);
      CHECK(certified.rows[i].reason == full.rows[i].reason);
    }
  }
}

TEST_CASE("chokepoints: the requirements a group supplies, few members or many, equal a direct count") {
  // A sorted copy answers for few members, a bit per node for many: both against the definition.
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const auto sample = random_case(700 + seed, 400, 5);
    const auto& g = sample.graph();
    std::mt19937 random(seed);
    for (std::size_t size : {std::size_t(1), std::size_t(3), std::size_t(6), std::size_t(7), std::size_t(150)}) {
      std::vector<NodeId> members;
      std::vector<char> is_member(g.node_count(), 0);
      while (members.size() < size) {
        const NodeId v = static_cast<NodeId>(random() % g.node_count());
        if (!is_member[v]) {
          is_member[v] = 1;
          members.push_back(v);
        }
      }
      std::vector<SuppliedRequirement> expected;
      for (NodeId c = 0; c < g.node_count(); ++c) {
        if (is_member[c]) continue;
        for (ReqId r = g.req_begin(c); r < g.req_end(c); ++r) {
          double mine = 0, others = g.unmapped(r);
          for (const auto& s : g.suppliers(r)) (is_member[s.supplier] ? mine : others) += s.share;
          if (mine > 0) expected.push_back({c, r, mine, others < sole_source_tolerance});
        }
      }
      const auto got = supplied_requirements(g, members);
      REQUIRE_MESSAGE(got.size() == expected.size(), "seed ", seed, " size ", size);
      for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].consumer == expected[i].consumer);
        CHECK(got[i].requirement == expected[i].requirement);
        CHECK(got[i].share == expected[i].share);
        CHECK(got[i].sole_source == expected[i].sole_source);
      }
    }
  }
}
