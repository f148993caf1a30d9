// What-if scenarios against hand computation (docs/METRICS.md sections 7 and 9.5; the arithmetic
// is in the comments) and invariants on random graphs with cycles.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "graph/whatif.hpp"
#include "random_graphs.hpp"
#include "run_program.hpp"
#include "test_support.hpp"

using namespace scgraph;
using scgraph::test::load_text;

namespace {

// The worked example (W = 1000); before every scenario: nominal .46, effective (10 + 460/19)/1000,
// availability .92.
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

const double kEffectiveBefore = (10 + 460.0 / 19) / 1000;

std::vector<std::string> ids(const SupplyGraph& g, const std::vector<NodeId>& nodes) {
  std::vector<std::string> out;
  for (NodeId v : nodes) out.emplace_back(g.id(v));
  return out;
}

WhatIfResult run(const SupplyGraph& g, const Scenario& s) {
  Diagnostics diag;
  auto r = run_whatif(g, s, diag);
  REQUIRE_MESSAGE(r, "the scenario was refused");
  return *r;
}

}  // namespace

TEST_CASE("whatif: bans of the worked example equal hand computation") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;

  Scenario ban;
  ban.ban = {"NLD"};
  auto r = run(g, ban);
  CHECK(*r.before.nominal == doctest::Approx(0.46));
  CHECK(*r.before.effective == doctest::Approx(kEffectiveBefore));
  CHECK(*r.before.availability == doctest::Approx(0.92));
  // K = {TOOL-NL}: availability .92 - .3473684211 (its knockout loss); d and e unchanged.
  CHECK(*r.after.availability == doctest::Approx(0.92 - 0.3473684211));
  CHECK(*r.after.nominal == doctest::Approx(0.46));
  CHECK(*r.after.effective == doctest::Approx(kEffectiveBefore));
  CHECK(ids(g, r.failed) == std::vector<std::string>{"TOOL-NL"});
  CHECK(ids(g, r.knocked_out) == std::vector<std::string>{"TOOL-NL"});

  SUBCASE("proportional substitution") {
    // FAB-CN/lithography lost TOOL-NL (.8), kept TOOL-CN (.1): total .9, left .1 -> TOOL-CN .9.
    // a: x = min(1, .1 + .9y), y = min(1, .5 + .5x): both stay 1; only TOOL-NL loses 40 -> .88.
    // e: x = .9y, y = .5 + .5x -> x = 9/11, y = 10/11; CHIP-CN 9/11; CAT-AI .24 * 9/11.
    // effective = (10*10/11 + 10 + 100*9/11 + 140*9/11 + 500*.24*9/11)/1000 = (10 + 3340/11)/1000.
    ban.substitution = Substitution::proportional;
    auto p = run(g, ban);
    CHECK(*p.after.availability == doctest::Approx(0.88));
    CHECK(*p.after.effective == doctest::Approx((10 + 3340.0 / 11) / 1000));
    CHECK(*p.after.nominal == doctest::Approx(0.46));
    CHECK(ids(g, p.failed) == std::vector<std::string>{"TOOL-NL"});
  }
  SUBCASE("direct only") {
    // Only the edge TOOL-NL -> FAB-CN (a domestic producer) is cut; TOOL-NL keeps a = 1:
    // availability .5726315789 + 40/1000. Nothing fails, nothing is knocked out.
    ban.direct_only = true;
    auto d = run(g, ban);
    CHECK(*d.after.availability == doctest::Approx(0.92 - 0.3473684211 + 0.04));
    CHECK(d.cut_edges == 1);
    CHECK(d.failed.empty());
    CHECK(d.knocked_out.empty());
    CHECK(*d.after.effective == doctest::Approx(kEffectiveBefore));
  }
  SUBCASE("ban restricted to kinds") {
    ban.ban_kinds = {Kind::chip};  // NLD has no chip: nothing happens
    auto k = run(g, ban);
    CHECK(*k.after.availability == doctest::Approx(0.92));
    CHECK(k.knocked_out.empty());
  }
}

TEST_CASE("whatif: removal with proportional substitution moves nominal self-reliance") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  Scenario s;
  s.remove = {"CHIP-US"};
  s.substitution = Substitution::proportional;
  auto r = run(g, s);
  // CAT-AI lost CHIP-US (.6) and kept CHIP-CN (.4): CHIP-CN's share becomes .4 * 1/.4 = 1.
  // d(CAT-AI) = 1: nominal (260 + 500)/1000; a(CAT-AI) = 1 * .6 * 1 = .6, a(CHIP-US) = 0:
  // availability (40 + 10 + 10 + 100 + 140 + 0 + 300)/1000; e(CAT-AI) = .6/19.
  CHECK(*r.after.nominal == doctest::Approx(0.76));
  CHECK(*r.after.availability == doctest::Approx(0.6));
  CHECK(*r.after.effective == doctest::Approx((10 + 640.0 / 19) / 1000));
  CHECK(ids(g, r.failed) == std::vector<std::string>{"CHIP-US"});
  // Without substitution CAT-AI keeps .24 of availability and d = .4.
  s.substitution = Substitution::none;
  auto none = run(g, s);
  CHECK(*none.after.nominal == doctest::Approx(0.46));
  CHECK(*none.after.availability == doctest::Approx((300 + 500 * 0.24) / 1000));
}

TEST_CASE("whatif: add_edge replaces a row and scales the incumbents") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  Scenario s;
  s.add_edges.push_back({"TOOL-CN", "FAB-CN", "lithography", 0.3, 1.0});
  auto r = run(g, s);
  // TOOL-CN's .1 row is replaced by .3; TOOL-NL is scaled by (1 - .3)/.8 = .875 to .7.
  // e: x = .3y, y = .5 + .5x -> x = 3/17, y = 10/17; CHIP-CN 3/17; CAT-AI .24 * 3/17.
  // effective = (10*10/17 + 10 + 100*3/17 + 140*3/17 + 500*.24*3/17)/1000 = (10 + 1180/17)/1000.
  CHECK(*r.after.effective == doctest::Approx((10 + 1180.0 / 17) / 1000));
  CHECK(*r.after.availability == doctest::Approx(0.92));
  CHECK(*r.after.nominal == doctest::Approx(0.46));
  CHECK(r.failed.empty());
  REQUIRE(!r.notes.empty());
  CHECK(r.notes[0].find("scaled by 0.875") != std::string::npos);
}

TEST_CASE("whatif: add_edge with a new input adds a requirement (an AND condition)") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  Scenario s;
  // FAB-CN now also needs 'design', half of it from CHIP-US (foreign), half unmapped.
  s.add_edges.push_back({"CHIP-US", "FAB-CN", "design", 0.5, 1.0});
  auto r = run(g, s);
  // a(FAB-CN) = min(..., .5 + .5*1) = 1: availability unchanged. e of that requirement = .5*0 = 0,
  // so e(FAB-CN) = 0; y = .5 + .5*0 = .5; CHIP-CN 0, CAT-AI 0: effective = (10*.5 + 10)/1000.
  CHECK(*r.after.availability == doctest::Approx(0.92));
  CHECK(*r.after.effective == doctest::Approx(0.015));
  CHECK(std::any_of(r.notes.begin(), r.notes.end(),
                    [](const std::string& n) { return n.find("new requirement 'design'") != std::string::npos; }));
}

TEST_CASE("whatif: domesticize changes origin only") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  Scenario s;
  s.domesticize = {"TOOL-NL"};
  auto r = run(g, s);
  // d(TOOL-NL) = 1: nominal (460 + 40)/1000. e(TOOL-NL) = 1 (domestic leaf);
  // x = min(.8 + .1y, 1), y = .5 + .5x -> x = .85/.95 = 17/19, y = 18/19; CHIP-CN 17/19;
  // CAT-AI .24*17/19. effective = (40 + 180/19 + 10 + 1700/19 + 2380/19 + 2040/19)/1000.
  CHECK(*r.after.nominal == doctest::Approx(0.5));
  CHECK(*r.after.effective == doctest::Approx((50 + 6300.0 / 19) / 1000));
  CHECK(*r.after.availability == doctest::Approx(0.92));
  // Its country stays NLD: a ban on NLD still knocks it out.
  s.ban = {"NLD"};
  auto banned = run(g, s);
  CHECK(ids(g, banned.knocked_out) == std::vector<std::string>{"TOOL-NL"});
}

TEST_CASE("whatif: unknown ids are refused; ids a snapshot lacks can be skipped with a note") {
  auto loaded = load_text(kNodes, kEdges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  Scenario s;
  s.remove = {"CHIP-UK", "CHIP-US"};
  Diagnostics diag;
  CHECK_FALSE(run_whatif(g, s, diag));
  REQUIRE(diag.has_errors());
  CHECK(diag.entries()[0].hint.find("CHIP-US") != std::string::npos);
  auto notes = skip_absent_ids(g, s);
  CHECK(s.remove == std::vector<std::string>{"CHIP-US"});
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("CHIP-UK") != std::string::npos);
  Diagnostics again;
  CHECK(run_whatif(g, s, again));
}

TEST_CASE("whatif: invariants on random graphs with cycles") {
  const std::vector<std::string> countries = {"USA", "JPN", "NLD", "CHN"};
  for (unsigned seed = 1; seed <= 30; ++seed) {
    auto text = test::random_graph(seed, 60 + int(seed) * 3, 8);
    auto loaded = load_text(text.nodes, text.edges);
    REQUIRE(loaded.graph);
    const auto& g = *loaded.graph;
    // Banning more countries never raises availability (never lowers the loss).
    double previous = 2;
    Scenario growing;
    for (const auto& c : countries) {
      growing.ban.push_back(c);
      auto r = run(g, growing);
      CHECK_MESSAGE(*r.after.availability <= previous + 1e-9, "seed ", seed, " ban ", c);
      CHECK(*r.after.availability <= *r.before.availability + 1e-9);
      previous = *r.after.availability;
    }
    // Proportional substitution never does worse than none, for availability.
    for (const auto& c : countries) {
      Scenario none, proportional;
      none.ban = proportional.ban = {c};
      proportional.substitution = Substitution::proportional;
      CHECK_MESSAGE(*run(g, proportional).after.availability >= *run(g, none).after.availability - 1e-9, "seed ", seed,
                    " ban ", c);
      none.direct_only = proportional.direct_only = true;
      CHECK(*run(g, proportional).after.availability >= *run(g, none).after.availability - 1e-9);
    }
    // Domesticizing never lowers effective reliance (nor nominal).
    Scenario dom;
    for (NodeId v = 0; v < g.node_count(); v += 5)
      if (!g.is_aggregate(v)) dom.domesticize.emplace_back(g.id(v));
    auto r = run(g, dom);
    CHECK(*r.after.effective >= *r.before.effective - 1e-12);
    CHECK(*r.after.nominal >= *r.before.nominal - 1e-12);
    // Direct-only never knocks out a banned node, so it loses no more than the full ban.
    Scenario full, direct;
    full.ban = direct.ban = {"USA", "JPN"};
    direct.direct_only = true;
    CHECK(*run(g, direct).after.availability >= *run(g, full).after.availability - 1e-9);
  }
}

TEST_CASE("whatif: command line exit codes (unknown scenario and unknown id: 2, invalid data: 1)") {
  test::TempDir dir;
  dir.write("ds/dataset.toml", "name = \"tiny\"\nhome = \"CHN\"\nyear = 2024\n");
  dir.write("ds/nodes.csv", "id,kind,country\nA,material,USA\nB,fab,CHN\n");
  dir.write("ds/edges.csv", "supplier,consumer\nA,B\n");
  dir.write("ds/scenarios/ban-usa.toml", "description = \"ban\"\nban = [\"USA\"]\n");
  dir.write("ds/scenarios/ghost.toml", "description = \"a node of other years\"\nremove = [\"GHOST\", \"A\"]\n");
  dir.write("bad/dataset.toml", "name = \"bad\"\nhome = \"CHN\"\nyear = 2024\n");
  dir.write("bad/nodes.csv", "id,kind,country\nA,material,USA\nA,fab,CHN\n");
  dir.write("bad/edges.csv", "supplier,consumer\n");
  const std::string ds = (dir.path() / "ds").string(), bad = (dir.path() / "bad").string();
  auto run_cli = [&](std::vector<std::string> args) { return test::run_program(SCGRAPH_BINARY, args, dir.path()); };

  auto ok = run_cli({"whatif", ds, "--scenario", "ban-usa", "--format", "json"});
  CHECK(ok.status == "0");
  CHECK(ok.out.find("\"failed\"") != std::string::npos);
  auto unknown_scenario = run_cli({"whatif", ds, "--scenario", "ban-uk"});
  CHECK(unknown_scenario.status == "2");
  CHECK(unknown_scenario.err.find("ban-usa") != std::string::npos);  // lists the available ones
  CHECK(unknown_scenario.out.empty());
  auto unknown_id = run_cli({"show", ds, "AA"});
  CHECK(unknown_id.status == "2");
  CHECK(unknown_id.err.find("did you mean 'A'") != std::string::npos);
  CHECK(run_cli({"whatif", ds, "--remove", "C"}).status == "2");
  CHECK(run_cli({"upstream", ds, "C"}).status == "2");
  CHECK(run_cli({"path", ds, "A", "C"}).status == "2");
  // A scenario file naming a node this snapshot lacks: skipped with a warning, the rest applies.
  auto ghost = run_cli({"whatif", ds, "--scenario", "ghost", "--format", "json"});
  CHECK(ghost.status == "0");
  CHECK(ghost.err.find("'GHOST' is not a node of this snapshot") != std::string::npos);
  CHECK(ghost.out.find("\"knocked_out\": [\n    \"A\"\n  ]") != std::string::npos);
  auto invalid = run_cli({"chokepoints", bad, "--format", "json"});
  CHECK(invalid.status == "1");
  CHECK(invalid.out.empty());
  CHECK(run_cli({"scenarios", ds, "--run", "--format", "csv"}).status == "0");
  CHECK(run_cli({"chokepoints", ds, "--format", "csv"}).status == "0");
}
