// Differences between snapshots and their attribution: what is listed, hand-computed credits on
// small graphs, and the invariant that the credits add up to the total move.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "graph/diff.hpp"
#include "graph/reliance.hpp"
#include "random_graphs.hpp"
#include "run_program.hpp"
#include "test_support.hpp"

using namespace scgraph;
using scgraph::test::load_text;

namespace {

MetricMove sum_of_changes(const DiffResult& d) {
  MetricMove s;
  for (const auto& c : d.changes)
    if (c.contribution) s += *c.contribution;
  return s;
}

MetricMove sum_of_groups(const DiffResult& d) {
  MetricMove s;
  for (const auto& g : d.by_group) s += g;
  return s;
}

void check_adds_up(const DiffResult& d, double tolerance = 1e-12) {
  MetricMove groups = sum_of_groups(d);
  CHECK(std::abs(groups.nominal - d.total.nominal) <= tolerance);
  CHECK(std::abs(groups.effective - d.total.effective) <= tolerance);
  CHECK(std::abs(groups.localization - d.total.localization) <= tolerance);
  if (d.per_change) {
    MetricMove changes = sum_of_changes(d);
    CHECK(std::abs(changes.nominal - d.total.nominal) <= tolerance);
    CHECK(std::abs(changes.effective - d.total.effective) <= tolerance);
    CHECK(std::abs(changes.localization - d.total.localization) <= tolerance);
  }
}

Figures figures(const SupplyGraph& g) { return summarize(g, evaluate(g)); }

const AttributedChange* find(const DiffResult& d, ChangeGroup group, const std::string& subject) {
  for (const auto& c : d.changes)
    if (c.group == group && c.subject == subject) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("diff: identical snapshots have no changes and no move") {
  auto a = load_text("id,kind,country,value_musd\nD,fab,CHN,1\nF,fab,JPN,1\n", "supplier,consumer\nF,D\n");
  auto b = load_text("id,kind,country,value_musd\nD,fab,CHN,1\nF,fab,JPN,1\n", "supplier,consumer\nF,D\n");
  REQUIRE(a.graph);
  REQUIRE(b.graph);
  DiffResult d = diff_snapshots(*a.graph, *b.graph);
  CHECK(d.nodes.empty());
  CHECK(d.edges.empty());
  CHECK(d.changes.empty());
  CHECK(d.total.nominal == 0.0);
}

TEST_CASE("diff: a reclassification and a value change, credited in the documented order") {
  // from: D domestic w 1, F foreign w 1: nominal (1 + 0) / 2 = .5
  // to:   F moves to CHN (domestic), D's value becomes 3: nominal (3 + 1) / 4 = 1
  // Reclassified comes before values: F domestic with the old weights: (1 + 1) / 2 = 1, credit +.5;
  // then D's value: (3 + 1) / 4 = 1, credit 0.
  auto a = load_text("id,kind,country,value_musd\nD,fab,CHN,1\nF,fab,JPN,1\n", "supplier,consumer\nF,D\n");
  auto b = load_text("id,kind,country,value_musd\nD,fab,CHN,3\nF,fab,CHN,1\n", "supplier,consumer\nF,D\n");
  REQUIRE(a.graph);
  REQUIRE(b.graph);
  DiffResult d = diff_snapshots(*a.graph, *b.graph);
  REQUIRE(d.nodes.size() == 2);
  CHECK(d.nodes[0].id == "D");
  CHECK(d.nodes[0].fields.size() == 1);
  CHECK(d.nodes[0].fields[0].field == "value");
  CHECK(d.nodes[1].id == "F");
  REQUIRE(d.nodes[1].fields.size() == 2);  // country and origin
  CHECK(d.nodes[1].fields[0].field == "country");
  CHECK(d.nodes[1].fields[1].field == "origin");
  auto* reclass = find(d, ChangeGroup::nodes_reclassified, "F");
  auto* value = find(d, ChangeGroup::values, "D");
  REQUIRE(reclass);
  REQUIRE(value);
  CHECK(reclass->contribution->nominal == doctest::Approx(0.5));
  CHECK(value->contribution->nominal == doctest::Approx(0.0));
  CHECK(d.total.nominal == doctest::Approx(0.5));
  // effective: from e(D) = 0 (its only input is foreign), e(F) = 0: 0. To: e(F) = 1, e(D) = 1: 1.
  CHECK(reclass->contribution->effective == doctest::Approx(1.0));
  check_adds_up(d);
}

TEST_CASE("diff: an added node and a supply shift, by hand") {
  // from: D (CHN, w 1), F (JPN, w 1), aggregate A (w 2) supplied by D .5 and F .5:
  //   d(A) = .5, nominal = (1 + 0 + 2 * .5) / 4 = .5
  // to: N (CHN, w 4) added, isolated; A supplied by D .8 and F .2.
  //   nodes added: N in with A unchanged: (1 + 0 + 1 + 4) / 8 = .75, credit +.25
  //   supply of A: d(A) = .8: (1 + 0 + 1.6 + 4) / 8 = .825, credit +.075
  const char* nodes_a = "id,kind,country,value_musd\nD,material,CHN,1\nF,material,JPN,1\nA,category,,2\n";
  const char* nodes_b = "id,kind,country,value_musd\nD,material,CHN,1\nF,material,JPN,1\nA,category,,2\nN,material,CHN,4\n";
  auto a = load_text(nodes_a, "supplier,consumer,input,share\nD,A,x,0.5\nF,A,x,0.5\n");
  auto b = load_text(nodes_b, "supplier,consumer,input,share\nD,A,x,0.8\nF,A,x,0.2\n");
  REQUIRE(a.graph);
  REQUIRE(b.graph);
  DiffResult d = diff_snapshots(*a.graph, *b.graph);
  REQUIRE(d.nodes.size() == 1);
  CHECK(d.nodes[0].change == ChangeKind::added);
  REQUIRE(d.edges.size() == 2);
  CHECK(d.edges[0].supplier == "D");
  CHECK(*d.edges[0].share_before == 0.5);
  CHECK(*d.edges[0].share_after == 0.8);
  auto* added = find(d, ChangeGroup::nodes_added, "N");
  auto* supply = find(d, ChangeGroup::supply, "A / x");
  REQUIRE(added);
  REQUIRE(supply);
  CHECK(added->contribution->nominal == doctest::Approx(0.25));
  CHECK(supply->contribution->nominal == doctest::Approx(0.075));
  CHECK(d.total.nominal == doctest::Approx(0.325));
  CHECK(d.group_sizes[static_cast<std::size_t>(ChangeGroup::nodes_added)] == 1);
  check_adds_up(d);
}

TEST_CASE("diff: a removed supplier drops out of its consumer's requirement until the supply change") {
  // from: D (CHN, w 1), F (JPN, w 1), A (w 2) <- D .5, F .5.  to: F gone, A <- D 1.
  // Removing F first leaves A with D .5 and .5 unmapped: d(A) = .5; nominal (1 + 1) / 3 = 2/3,
  // credit 2/3 - 1/2 = 1/6. Then A's supply: d(A) = 1: (1 + 2) / 3 = 1, credit 1/3.
  auto a = load_text("id,kind,country,value_musd\nD,material,CHN,1\nF,material,JPN,1\nA,category,,2\n",
                     "supplier,consumer,input,share\nD,A,x,0.5\nF,A,x,0.5\n");
  auto b = load_text("id,kind,country,value_musd\nD,material,CHN,1\nA,category,,2\n", "supplier,consumer,input,share\nD,A,x,1\n");
  REQUIRE(a.graph);
  REQUIRE(b.graph);
  DiffResult d = diff_snapshots(*a.graph, *b.graph);
  auto* removed = find(d, ChangeGroup::nodes_removed, "F");
  auto* supply = find(d, ChangeGroup::supply, "A / x");
  REQUIRE(removed);
  REQUIRE(supply);
  CHECK(removed->contribution->nominal == doctest::Approx(1.0 / 6));
  CHECK(supply->contribution->nominal == doctest::Approx(1.0 / 3));
  check_adds_up(d);
}

TEST_CASE("diff: on random graphs the credits add up to the total move within 1e-12") {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    auto x = scgraph::test::random_graph(seed, 60 + static_cast<int>(seed % 3) * 10, seed % 2 ? 5 : 0);
    auto y = scgraph::test::random_graph(seed + 100, 60 + static_cast<int>((seed + 1) % 3) * 10, seed % 2 ? 5 : 0);
    auto a = load_text(x.nodes, x.edges);
    auto b = load_text(y.nodes, y.edges);
    REQUIRE(a.graph);
    REQUIRE(b.graph);
    DiffResult d = diff_snapshots(*a.graph, *b.graph);
    CAPTURE(seed);
    CHECK(d.per_change);
    check_adds_up(d);
    // The total is the difference of the two snapshots' own figures (cycles converge to 1e-12, so
    // the graphs rebuilt in another node order may differ from them by a little more).
    double tolerance = seed % 2 ? 1e-9 : 1e-12;
    Figures fa = figures(*a.graph), fb = figures(*b.graph);
    CHECK(std::abs(d.total.nominal - (*fb.nominal - *fa.nominal)) <= tolerance);
    CHECK(std::abs(d.total.effective - (*fb.effective - *fa.effective)) <= tolerance);
    CHECK(std::abs(d.total.localization - (fb.localization.value_or(0) - fa.localization.value_or(0))) <= tolerance);
    // Attributed per group only (a tiny budget), the groups still add up.
    DiffResult grouped = diff_snapshots(*a.graph, *b.graph, DiffOptions{1});
    CHECK_FALSE(grouped.per_change);
    check_adds_up(grouped);
    CHECK(std::abs(grouped.total.nominal - d.total.nominal) <= 1e-12);
  }
}

TEST_CASE("diff: the command's credits add up to its total move on the sample data") {
  auto r = scgraph::test::run_scgraph({"diff", "data/china-semis", "--format", "json", "--quiet"});
  REQUIRE(r.status == "0");
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "scgraph/1");
  CHECK(j["to"].get<int>() > j["from"].get<int>());
  for (const char* metric : {"nominal", "effective", "localization"}) {
    double sum = 0, groups = 0;
    for (const auto& c : j["changes"]) sum += c["contribution"][metric].get<double>();
    for (const auto& g : j["attribution"]["groups"]) groups += g["contribution"][metric].get<double>();
    double total = j["total"][metric].get<double>();
    CAPTURE(metric);
    CHECK(std::abs(sum - total) <= 1e-12);
    CHECK(std::abs(groups - total) <= 1e-12);
    double figures = j["figures"]["to"][metric].get<double>() - j["figures"]["from"][metric].get<double>();
    CHECK(std::abs(figures - total) <= 1e-12);
  }
  auto bad_year = scgraph::test::run_scgraph({"diff", "data/china-semis", "--from", "1999", "--quiet"});
  CHECK(bad_year.status == "1");
}
