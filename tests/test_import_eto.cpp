// scgraph import eto: the mapping rules one by one, the hand-written ETO-shaped releases in
// tests/data/eto-mini (current shape, old shape, a missing column) against hand computation, the
// command line, and the real release at ../shared/eto when it is there.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "graph/csv_reader.hpp"
#include "graph/csv_writer.hpp"
#include "graph/eto_mapping.hpp"
#include "graph/header_map.hpp"
#include "graph/import_eto.hpp"
#include "graph/knockout.hpp"
#include "graph/numbers.hpp"
#include "graph/reliance.hpp"
#include "run_program.hpp"
#include "test_support.hpp"

using namespace scgraph;
namespace fs = std::filesystem;
using scgraph::test::TempDir;

namespace {

fs::path mini(const std::string& variant) { return fs::path(SCGRAPH_SOURCE_DIR) / "tests" / "data" / "eto-mini" / variant; }
fs::path real_release() { return fs::path(SCGRAPH_SOURCE_DIR) / ".." / "shared" / "eto"; }

// An imported release, written to a temporary dataset folder and loaded back like any dataset.
struct Imported {
  std::unique_ptr<TempDir> dir = std::make_unique<TempDir>();
  std::optional<eto::ImportedDataset> dataset;
  Diagnostics diagnostics, load_diagnostics;
  std::optional<SupplyGraph> graph;
  bool written = false;

  [[nodiscard]] fs::path out() const { return dir->path() / "dataset"; }
  [[nodiscard]] bool warned(const std::string& code) const {
    return std::any_of(diagnostics.entries().begin(), diagnostics.entries().end(),
                       [&](const Diagnostic& d) { return d.code == code && d.severity == Severity::warning; });
  }
  [[nodiscard]] const Diagnostic* find(const std::string& code, const std::string& text = "") const {
    for (const auto& d : diagnostics.entries())
      if (d.code == code && d.message.find(text) != std::string::npos) return &d;
    return nullptr;
  }
  [[nodiscard]] NodeId node(const std::string& id) const {
    auto v = graph->find(id);
    REQUIRE_MESSAGE(v, "no node " << id);
    return *v;
  }
};

Imported import_from(const fs::path& release, const std::string& home = "CHN", eto::Level level = eto::Level::country,
                     std::optional<int> year = std::nullopt) {
  Imported r;
  eto::ImportOptions options;
  options.home = home;
  options.level = level;
  options.year = year;
  r.dataset = eto::import_release(release, release.generic_string(), options, r.diagnostics);
  if (!r.dataset) return r;
  r.written = eto::write_dataset(*r.dataset, home, r.out(), false, r.load_diagnostics);
  if (!r.written) return r;
  SnapshotFiles files{r.dataset->year.value_or(0), r.out() / "nodes.csv", r.out() / "edges.csv", "nodes.csv", "edges.csv"};
  Diagnostics again;
  r.graph = load_snapshot(files, home, again);
  return r;
}

// The requirements of a node: input name -> {supplier id -> share}.
std::map<std::string, std::map<std::string, double>> requirements(const SupplyGraph& g, NodeId v) {
  std::map<std::string, std::map<std::string, double>> out;
  for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r)
    for (const auto& e : g.suppliers(r)) out[std::string(g.input(r))][std::string(g.id(e.supplier))] = e.share;
  return out;
}

std::string attribute(const SupplyGraph& g, NodeId v, const std::string& name) {
  const auto& names = g.attribute_names();
  auto it = std::find(names.begin(), names.end(), name);
  REQUIRE(it != names.end());
  return std::string(g.attribute(static_cast<std::size_t>(it - names.begin()), v));
}

double share_of(const eto::Shares& s, std::size_t i) { return s.fraction[i]; }

eto::Shares normalise(std::initializer_list<const char*> texts) {
  std::vector<eto::ShareCell> cells;
  for (const char* t : texts) cells.push_back(eto::parse_share_cell(t));
  return eto::normalise_shares(cells);
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Rules

TEST_CASE("import_eto: market size text becomes million USD, first amount wins") {
  using eto::parse_market_size_musd;
  CHECK(parse_market_size_musd("$574.1 billion (2022)") == 574100);
  CHECK(parse_market_size_musd("$44 million (2022)") == 44);
  CHECK(parse_market_size_musd("$0.4 million (2025)") == 0.4);
  CHECK(parse_market_size_musd("$3.3 billion (all photoresists)") == 3300);
  CHECK(parse_market_size_musd("$56.2 billion (microprocessors) (2019)") == 56200);
  CHECK(parse_market_size_musd("$10.9 billion") == 10900);
  CHECK(parse_market_size_musd("$852.6 million (2025)") == 852.6);
  // a year before the amount is not an amount; the amount after it is
  CHECK(parse_market_size_musd("2022: $5 billion, 2021: $4 billion") == 5000);
  CHECK(parse_market_size_musd("$1.2B") == 1200);
  CHECK(parse_market_size_musd("1.5 trillion USD") == 1.5e6);
  CHECK(parse_market_size_musd("$1,234 million") == 1234);
  CHECK(parse_market_size_musd("$500") == doctest::Approx(0.0005));  // dollars: 500 / 1e6 million
  CHECK_FALSE(parse_market_size_musd(""));
  CHECK_FALSE(parse_market_size_musd("n/a"));
  CHECK_FALSE(parse_market_size_musd("(2022)"));
}

TEST_CASE("import_eto: share cells: numbers, percentages, blank, negligible, text") {
  using eto::ShareForm;
  CHECK(eto::parse_share_cell("61").form == ShareForm::number);
  CHECK(eto::parse_share_cell("61").written == 61);
  CHECK(eto::parse_share_cell("61%").form == ShareForm::percent);
  CHECK(eto::parse_share_cell(" 61 % ").written == 61);
  CHECK(eto::parse_share_cell("").form == ShareForm::blank);
  CHECK(eto::parse_share_cell("  ").form == ShareForm::blank);
  CHECK(eto::parse_share_cell("Negligible").form == ShareForm::negligible);
  CHECK(eto::parse_share_cell("about half").form == ShareForm::invalid);
  CHECK(eto::parse_share_cell("61%%").form == ShareForm::invalid);
}

TEST_CASE("import_eto: plain numbers are percentages; fractions only where every one is at most 1") {
  auto pct = normalise({"60", "30"});
  CHECK_FALSE(pct.read_as_fractions);
  CHECK(share_of(pct, 0) == doctest::Approx(0.6));
  CHECK(share_of(pct, 1) == doctest::Approx(0.3));
  CHECK(pct.total() == doctest::Approx(0.9));  // 10 % left unmapped, not scaled up
  CHECK_FALSE(pct.scaled);

  auto with_sign = normalise({"61%", "39%"});
  CHECK(share_of(with_sign, 0) == doctest::Approx(0.61));
  CHECK(share_of(with_sign, 1) == doctest::Approx(0.39));

  auto fractions = normalise({"0.6", "0.35"});
  CHECK(fractions.read_as_fractions);
  CHECK(share_of(fractions, 0) == doctest::Approx(0.6));
  CHECK(share_of(fractions, 1) == doctest::Approx(0.35));

  // 0.6 + 0.5 = 1.1 > 1.05: not a release of fractions, so 0.6 % and 0.5 %
  auto small_percentages = normalise({"0.6", "0.5"});
  CHECK_FALSE(small_percentages.read_as_fractions);
  CHECK(share_of(small_percentages, 0) == doctest::Approx(0.006));

  // one cell with '%' makes the plain numbers of the same input percentages too
  auto mixed = normalise({"60%", "0.5"});
  CHECK_FALSE(mixed.read_as_fractions);
  CHECK(share_of(mixed, 1) == doctest::Approx(0.005));
}

TEST_CASE("import_eto: shares above 100 % are scaled down to 100 %, below 100 % left as they are") {
  // 90 + 5 + 7 = 102 %: each divided by 1.02
  auto over = normalise({"90", "5", "7"});
  CHECK(over.scaled);
  CHECK(over.written_total == doctest::Approx(1.02));
  CHECK(share_of(over, 0) == doctest::Approx(90.0 / 102));
  CHECK(share_of(over, 1) == doctest::Approx(5.0 / 102));
  CHECK(over.total() <= 1.0);

  // 33.3 + 33.3 + 33.4 may add up to a hair above 100 % in binary: trimmed, but not "scaled"
  auto exact = normalise({"33.3", "33.3", "33.4"});
  CHECK_FALSE(exact.scaled);
  CHECK(exact.total() <= 1.0);

  auto under = normalise({"50", "20"});
  CHECK_FALSE(under.scaled);
  CHECK(under.total() == doctest::Approx(0.7));
}

TEST_CASE("import_eto: blank, negligible, zero, out-of-range and text shares are not guessed") {
  using eto::ShareUse;
  auto s = normalise({"", "negligible", "0", "150", "-5", "lots", "40"});
  CHECK(s.use[0] == ShareUse::unquantified);
  CHECK(s.use[1] == ShareUse::unquantified);
  CHECK(s.use[2] == ShareUse::zero);
  CHECK(s.use[3] == ShareUse::out_of_range);
  CHECK(s.use[4] == ShareUse::out_of_range);
  CHECK(s.use[5] == ShareUse::invalid);
  CHECK(s.use[6] == ShareUse::share);
  CHECK(share_of(s, 6) == doctest::Approx(0.4));
  for (std::size_t i = 0; i < 6; ++i) CHECK(share_of(s, i) == 0.0);
}

TEST_CASE("import_eto: producer kinds from the ETO type, the stage of a process, and EDA/IP by name") {
  using eto::producer_kind;
  CHECK(producer_kind("tool_resource", "EUV lithography tools", "") == Kind::equipment);
  CHECK(producer_kind("tool_resource", "Electronic design automation software", "") == Kind::eda);
  CHECK(producer_kind("material_resource", "Core intellectual property", "") == Kind::ip);
  CHECK(producer_kind("design_resource", "EDA tools", "") == Kind::eda);
  CHECK(producer_kind("material_resource", "Photoresists", "") == Kind::material);
  CHECK(producer_kind("design_resource", "Logic chip design", "") == Kind::design);
  CHECK(producer_kind("process", "Chip design", "Design") == Kind::design);
  CHECK(producer_kind("process", "Photolithography", "Fabrication") == Kind::fab);
  CHECK(producer_kind("process", "Testing", "Assembly, testing, and packaging (ATP)") == Kind::packaging);
  CHECK(producer_kind("ultimate_output", "Finished logic chip", "") == Kind::chip);
  // a process named like EDA is still placed by its stage
  CHECK(producer_kind("process", "EDA and Core IP", "Design") == Kind::design);
  CHECK_FALSE(producer_kind("process", "Mystery step", ""));
  CHECK_FALSE(producer_kind("service_resource", "Consulting", ""));
}

TEST_CASE("import_eto: the CSV writer quotes only where needed and reads back through the project's reader") {
  CHECK(csv::quote_field("plain") == "plain");
  CHECK(csv::quote_field("Tokyo Electron, Ltd.") == "\"Tokyo Electron, Ltd.\"");
  CHECK(csv::quote_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv::quote_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv::quote_field(" padded") == "\" padded\"");
  CHECK(csv::quote_field("=1+1") == "=1+1");  // data, not a report: nothing neutralised
  CHECK(csv::quote_field("") == "");

  CHECK(csv::decimal(574.1 * 1000, 6) == "574100");
  CHECK(csv::decimal(0.35, 9) == "0.35");
  CHECK(csv::decimal(-0.0, 3) == "0");
  CHECK(csv::decimal(2.5, 0) == "2");  // round half to even, as printf does
  CHECK(csv::floor_to_decimals(0.61, 9) == 0.61);
  CHECK(csv::decimal(csv::floor_to_decimals(2.0 / 3.0, 9), 9) == "0.666666666");
  // shares that add up to 1 still do, written to 9 decimals
  double sum = 0;
  for (int i = 0; i < 7; ++i) sum += csv::floor_to_decimals(1.0 / 7.0, 9);
  CHECK(sum <= 1.0);

  csv::Writer w({"id", "name", "note"});
  w.row({"A", "Tokyo Electron, Ltd.", "say \"hi\""});
  w.row({"B", "", "two\nlines"});
  CHECK(w.rows() == 2);
  Diagnostics diag;
  auto records = csv::parse_text(w.text(), "written.csv", diag);
  REQUIRE(records.size() == 3);
  CHECK(diag.empty());
  CHECK(records[1][1] == "Tokyo Electron, Ltd.");
  CHECK(records[1][2] == "say \"hi\"");
  CHECK(records[2][1] == "");
  CHECK(records[2][2] == "two\nlines");
}

// ------------------------------------------------------------------------------------------------
// The hand-written release (tests/data/eto-mini/current): figures by hand
//
// Stage S1 (Design): USA 60, CHN 10, KOR 20, Various 10.  S2 (Fabrication): CHN 30, KOR 40, USA 20, JPN 10.
// N84 EDA: USA 90, CHN 5, JPN 7 = 102 % -> /1.02; firms blank.  N36 deposition tools: only firms,
// Applied Materials (USA) 60, NAURA (CHN) 30.  N26 wafer: 2019 JPN 60 CHN 5 KOR 35; 2025 JPN 50
// CHN 20 KOR 30.  N19 litho: NLD 80 JPN 15 CHN 5 ($30 bn); types N20 EUV NLD 100 ($12 bn), N22
// ArFi NLD 90 JPN 10 ($15 bn).  N31 photoresists: JPN blank, USA negligible, CHN blank.  N60
// process control: no providers, types N65 (USA 70 CHN 30, $600 m) and N67 (USA 50 JPN 40 CHN 10, $400 m).
// Chain: N84 -> N7 (EDA and Core IP, a bundle) -> N0 chip design -> N35 deposition (+ N36, N26)
// -> N25 photolithography (+ N19, N31, N60) -> N99 finished chip.

TEST_CASE("import_eto: the mini release imports, loads, and gives the home country its published shares") {
  auto r = import_from(mini("current"));
  REQUIRE(r.dataset);
  REQUIRE(r.written);
  REQUIRE(r.graph);
  CHECK_FALSE(r.load_diagnostics.has_errors());
  const SupplyGraph& g = *r.graph;
  auto x = evaluate(g);
  auto d = [&](const char* id) { return x.direct[r.node(id)]; };

  CHECK(d("N84") == doctest::Approx(5.0 / 102).epsilon(1e-9));  // 5 of 102 %, scaled down
  CHECK(d("N19") == doctest::Approx(0.05));
  CHECK(d("N20") == 0.0);
  CHECK(d("N26") == doctest::Approx(0.20));  // the latest year, 2025
  CHECK(d("N36") == doctest::Approx(0.30));  // NAURA, firms added up by country: no country rows
  CHECK(d("N65") == doctest::Approx(0.30));
  CHECK(d("N67") == doctest::Approx(0.10));
  CHECK(d("N0") == doctest::Approx(0.10));   // a process step: the stage's country shares (S1)
  CHECK(d("N35") == doctest::Approx(0.30));  // S2
  CHECK(d("N25") == doctest::Approx(0.30));
  // N60 has no providers: its types weighted by market size, 600/1000 and 400/1000:
  // d = 0.6 * 0.3 + 0.4 * 0.1 = 0.22
  CHECK(d("N60") == doctest::Approx(0.22));
  // N7 is a bundle of what goes into it (N84 alone): d = d(N84)
  CHECK(d("N7") == doctest::Approx(5.0 / 102));
  CHECK(d("N31") == 0.0);  // providers listed without a share: nothing is known
  CHECK(d("N99") == doctest::Approx(0.30));  // needs N25: d = 1 * d(N25)

  CHECK(r.dataset->year == 2025);
  CHECK(r.warned("eto-shares-above-100"));
  const Diagnostic* unq = r.find("eto-unquantified", "N31");
  REQUIRE(unq);
  CHECK(unq->message.find("CHN, JPN, USA") != std::string::npos);
  CHECK(attribute(g, r.node("N31"), "unquantified") == "CHN; JPN; USA");
}

TEST_CASE("import_eto: producers, kinds, values and what each of them needs") {
  auto r = import_from(mini("current"));
  REQUIRE(r.graph);
  const SupplyGraph& g = *r.graph;

  // Producers at country level; "Various countries" is no country: its 10 % of S1 stays unmapped.
  CHECK(g.find("N0@USA"));
  CHECK_FALSE(g.find("N0@Various countries"));
  CHECK(g.unmapped(g.req_begin(r.node("N0"))) == doctest::Approx(0.1));
  CHECK(g.unmapped(g.req_begin(r.node("N36"))) == doctest::Approx(0.1));  // 60 + 30 % mapped
  CHECK(g.kind(r.node("N0@USA")) == Kind::design);
  CHECK(g.kind(r.node("N25@CHN")) == Kind::fab);
  CHECK(g.kind(r.node("N84@USA")) == Kind::eda);
  CHECK(g.kind(r.node("N19@NLD")) == Kind::equipment);
  CHECK(g.kind(r.node("N26@JPN")) == Kind::material);
  CHECK(g.kind(r.node("N19")) == Kind::category);
  CHECK(g.is_aggregate(r.node("N19")));
  CHECK(g.country(r.node("N19@NLD")) == "NLD");
  CHECK(g.name(r.node("N19@NLD")) == "Lithography tools (Netherlands)");
  CHECK(g.stage(r.node("N19@NLD")) == "Fabrication");  // N19 goes into N25, a Fabrication process
  CHECK(g.stage(r.node("N84")) == "Design");
  // the finished chip goes into nothing: it takes the stage it comes out of (N25, Fabrication)
  CHECK(g.stage(r.node("N99")) == "Fabrication");

  // Values (million USD): the text, share x size, and the estimates for inputs without a size.
  CHECK(g.weight(r.node("N0")) == 500000);
  CHECK(g.weight(r.node("N0@USA")) == doctest::Approx(300000));   // 0.6 x 500 bn
  CHECK(g.weight(r.node("N36@USA")) == doctest::Approx(480));     // 0.6 x 800 m
  CHECK(g.weight(r.node("N60")) == doctest::Approx(1000));        // subtypes: 600 + 400
  CHECK(g.weight(r.node("N35")) == doctest::Approx(10800));       // what it buys: N36 800 + N26 10000
  CHECK(g.weight(r.node("N25")) == doctest::Approx(34000));       // N19 30000 + N31 3000 + N60 1000
  CHECK(g.weight(r.node("N25@KOR")) == doctest::Approx(13600));   // 0.4 x 34000
  CHECK(attribute(g, r.node("N35"), "value_basis") == "inputs");

  // The input's own requirement is its providers, and nothing else (so d is the published share).
  CHECK(g.requirement_count(r.node("N19")) == 1);
  CHECK(requirements(g, r.node("N19"))["N19"].size() == 3);

  // A photolithography fab in China needs deposition, lithography tools (as sized by provider,
  // and by type: EUV 12/30, ArFi 15/30), photoresists and process control.
  auto fab = requirements(g, r.node("N25@CHN"));
  CHECK(fab.size() == 5);
  CHECK(fab["N35"] == std::map<std::string, double>{{"N35", 1.0}});
  CHECK(fab["N19"] == std::map<std::string, double>{{"N19", 1.0}});
  REQUIRE(fab["N19 types"].size() == 2);
  CHECK(fab["N19 types"]["N20"] == doctest::Approx(0.4));
  CHECK(fab["N19 types"]["N22"] == doctest::Approx(0.5));
  CHECK(fab.count("N31"));
  CHECK(fab.count("N60"));
  CHECK_FALSE(fab.count("N60 types"));  // N60's own requirement is already its types

  // N7 (fed by tools only, feeding a process) is a bundle: no producers, it needs N84.
  CHECK_FALSE(g.find("N7@USA"));
  CHECK(requirements(g, r.node("N7")) == std::map<std::string, std::map<std::string, double>>{{"N84", {{"N84", 1.0}}}});
  CHECK(requirements(g, r.node("N0@KOR")).count("N7"));
  CHECK(requirements(g, r.node("N35@KOR")).size() == 3);  // N0, N26, N36
}

TEST_CASE("import_eto: availability runs along 'goes into' and through the types") {
  auto r = import_from(mini("current"));
  REQUIRE(r.graph);
  const SupplyGraph& g = *r.graph;
  Knockout euv;
  euv.node_out.assign(g.node_count(), 0);
  euv.node_out[r.node("N20")] = 1;
  auto x = evaluate(g, euv);
  // Without EUV the litho types give 0.1 unmapped + 0.4 x 0 + 0.5 x 1 = 0.6 to every fab: a(N25@c) = 0.6,
  // a(N25) = sum of S2 shares x 0.6 = 0.6, a(N99) = 0.6. Deposition does not need lithography.
  CHECK(x.availability[r.node("N25@KOR")] == doctest::Approx(0.6));
  CHECK(x.availability[r.node("N25")] == doctest::Approx(0.6));
  CHECK(x.availability[r.node("N99")] == doctest::Approx(0.6));
  CHECK(x.availability[r.node("N35")] == doctest::Approx(1.0));
  // The published lithography shares are untouched: d(N19) stays 0.05.
  CHECK(x.direct[r.node("N19")] == doctest::Approx(0.05));

  Knockout eda;
  eda.node_out.assign(g.node_count(), 0);
  eda.node_out[r.node("N84")] = 1;
  auto y = evaluate(g, eda);
  // a(N7) = 0, a(N0@c) = 0, a(N0) = 0.1 (Various countries, unmapped, counts as available),
  // a(N35@c) = min(0.1, 1, 1) = 0.1, a(N35) = 0.1, a(N25@c) = 0.1 = a(N25) = a(N99).
  CHECK(y.availability[r.node("N0@USA")] == 0.0);
  CHECK(y.availability[r.node("N0")] == doctest::Approx(0.1));
  CHECK(y.availability[r.node("N99")] == doctest::Approx(0.1));
}

TEST_CASE("import_eto: the latest year per input, or the one --year asks for") {
  auto as_of_2019 = import_from(mini("current"), "CHN", eto::Level::country, 2019);
  REQUIRE(as_of_2019.graph);
  auto x = evaluate(*as_of_2019.graph);
  CHECK(x.direct[as_of_2019.node("N26")] == doctest::Approx(0.05));  // the 2019 wafer shares
  CHECK(x.direct[as_of_2019.node("N84")] == doctest::Approx(5.0 / 102));
  CHECK(x.direct[as_of_2019.node("N19")] == 0.0);  // only 2025 data: none as of 2019
  CHECK_FALSE(as_of_2019.graph->find("N19@NLD"));
  CHECK(as_of_2019.find("eto-no-year", "N19"));
  CHECK(as_of_2019.dataset->year == 2019);

  auto as_of_2024 = import_from(mini("current"), "CHN", eto::Level::country, 2024);
  REQUIRE(as_of_2024.graph);
  auto y = evaluate(*as_of_2024.graph);
  CHECK(y.direct[as_of_2024.node("N26")] == doctest::Approx(0.05));  // the latest not after 2024
  CHECK(y.direct[as_of_2024.node("N25")] == doctest::Approx(0.30));  // stage rows of 2022
  CHECK(attribute(*as_of_2024.graph, as_of_2024.node("N26"), "provision_year") == "2019");
}

TEST_CASE("import_eto: firm level: one producer per firm, owned by it; country rows where firms have no share") {
  auto r = import_from(mini("current"), "CHN", eto::Level::firm);
  REQUIRE(r.graph);
  const SupplyGraph& g = *r.graph;
  auto x = evaluate(g);
  NodeId asml = r.node("N19@P88");
  CHECK(g.owner(asml) == "ASML");
  CHECK(g.country(asml) == "NLD");
  CHECK(g.name(asml) == "Lithography tools (ASML)");
  CHECK(requirements(g, r.node("N19"))["N19"]["N19@P88"] == doctest::Approx(0.8));
  CHECK(x.direct[r.node("N19")] == doctest::Approx(0.05));  // SMEE
  CHECK(x.direct[r.node("N36")] == doctest::Approx(0.30));  // NAURA
  CHECK(g.owner(r.node("N36@P61")) == "NAURA");
  // EDA firms carry no share: the country rows stand in, without an owner.
  CHECK(g.find("N84@USA"));
  CHECK(g.owner(r.node("N84@USA")).empty());
  CHECK(x.direct[r.node("N84")] == doctest::Approx(5.0 / 102));

  // N67 defect inspection: countries USA 50, JPN 40, CHN 10; firms KLA (USA) 45, Skyverse (CHN) 12.
  // KLA keeps 45; the USA's other firms get 50 - 45 = 5; Japan, without a listed firm, keeps its 40;
  // Skyverse holds more than China (12 > 10, beyond rounding): scaled to 10, with a warning.
  auto n67 = requirements(g, r.node("N67"))["N67"];
  CHECK(n67 == std::map<std::string, double>{
                   {"N67@P140", 0.45}, {"N67@USA", 0.05}, {"N67@JPN", 0.40}, {"N67@P141", 0.10}});
  CHECK(g.owner(r.node("N67@P140")) == "KLA");
  CHECK(g.owner(r.node("N67@USA")).empty());
  CHECK(g.country(r.node("N67@USA")) == "USA");
  CHECK(g.name(r.node("N67@USA")) == "Defect inspection tools (United States, other firms)");
  CHECK_FALSE(g.find("N67@CHN"));
  CHECK(r.find("eto-firms-above-country", "CHN"));
  // so every input keeps the direct share it has at country level
  auto country = import_from(mini("current"));
  REQUIRE(country.graph);
  auto xc = evaluate(*country.graph);
  CHECK(xc.direct[country.node("N67")] == doctest::Approx(0.10));
  for (NodeId v = 0; v < g.node_count(); ++v)
    if (g.is_aggregate(v))
      CHECK_MESSAGE(std::abs(x.direct[v] - xc.direct[country.node(std::string(g.id(v)))]) <= 1e-9, g.id(v));
  // and a country-level import never looks at the firms of an input whose countries carry shares
  CHECK_FALSE(country.warned("eto-firms-above-country"));
}

TEST_CASE("import_eto: shares of one input: percentages scaled from 110 %, blank and negligible warned, not guessed") {
  TempDir dir;
  dir.write("inputs.csv", "input_id,input_name,type\nN1,Wafer,material_resource\n");
  dir.write("providers.csv",
            "provider_name,alias,provider_id,provider_type,country\nCHN,China,P2,country,\nUSA,,P1,country,\n"
            "JPN,,P7,country,\nKOR,,P4,country,\n");
  dir.write("provision.csv",
            "provider_id,provided_id,share_provided,year\nP2,N1,40,2025\nP1,N1,negligible,2025\nP7,N1,,2025\n"
            "P4,N1,70%,2025\n");
  dir.write("sequence.csv", "input_id,goes_into_id,is_type_of_id\n");
  auto r = import_from(dir.path());
  REQUIRE(r.graph);
  // 40 + 70 = 110 %: each divided by 1.1; USA and JPN have no edge
  const Diagnostic* scaled = r.find("eto-shares-above-100", "110 %");
  REQUIRE(scaled);
  CHECK(scaled->severity == Severity::warning);
  const Diagnostic* unq = r.find("eto-unquantified", "2 providers of N1 (Wafer) are listed without a share (JPN, USA)");
  REQUIRE(unq);
  CHECK(unq->severity == Severity::warning);
  auto n1 = requirements(*r.graph, r.node("N1"));
  REQUIRE(n1.size() == 1);
  REQUIRE(n1["N1"].size() == 2);
  CHECK(n1["N1"]["N1@CHN"] == doctest::Approx(40.0 / 110));
  CHECK(n1["N1"]["N1@KOR"] == doctest::Approx(70.0 / 110));
  CHECK(evaluate(*r.graph).direct[r.node("N1")] == doctest::Approx(40.0 / 110));
  CHECK_FALSE(r.graph->find("N1@USA"));
  CHECK(attribute(*r.graph, r.node("N1"), "unquantified") == "JPN; USA");
}

TEST_CASE("import_eto: shares are written so that a requirement adding up to 1 still does, to the billionth") {
  TempDir dir;
  // N1 has no providers: its three types, $1 billion each, are its requirement, 1/3 each.
  dir.write("inputs.csv",
            "input_id,input_name,type,market_size\nN1,Tools,tool_resource,\nN2,Tool A,tool_resource,$1 billion\n"
            "N3,Tool B,tool_resource,$1 billion\nN4,Tool C,tool_resource,$1 billion\n");
  dir.write("providers.csv", "provider_name,alias,provider_id,provider_type,country\nCHN,China,P2,country,\nUSA,,P1,country,\n");
  dir.write("provision.csv", "provider_id,provided_id,share_provided\nP2,N2,50\nP1,N2,50\nP1,N3,100\nP1,N4,100\n");
  dir.write("sequence.csv", "input_id,goes_into_id,is_type_of_id\nN2,,N1\nN3,,N1\nN4,,N1\n");
  auto r = import_from(dir.path(), "CHN", eto::Level::country, 2025);
  REQUIRE(r.graph);
  // 1/3 = 0.333333333 rounded down thrice loses a billionth; the largest remainder (the first, on a
  // tie) gets it back: 0.333333334 + 0.333333333 + 0.333333333 = 1
  CHECK(r.dataset->edges_csv.find("N2,N1,N1,0.333333334\nN3,N1,N1,0.333333333\nN4,N1,N1,0.333333333\n") !=
        std::string::npos);
  for (const auto& d : r.load_diagnostics.entries()) CHECK_MESSAGE(d.code != "shares-below-one", d.message);
  CHECK(evaluate(*r.graph).direct[r.node("N1")] == doctest::Approx(0.5 / 3));  // d = 1/3 x 0.5
}

TEST_CASE("import_eto: a provider id repeated as an alias is silent; repeated with another country is a warning") {
  TempDir dir;
  dir.write("inputs.csv", "input_id,input_name,type\nN1,Wafer,material_resource\n");
  dir.write("providers.csv",
            "provider_name,alias,provider_id,provider_type,country\nCHN,China,P2,country,\n"
            "Canon,Canon ANELVA,P159,organization,JPN\nCanon,Canon Machinery,P159,organization,JPN\n"
            "Onto,,P139,organization,USA\nOnto,Rudolph,P139,organization,KOR\n");
  dir.write("provision.csv", "provider_id,provided_id,share_provided\nP159,N1,50\nP139,N1,30\nP2,N1,20\n");
  dir.write("sequence.csv", "input_id,goes_into_id,is_type_of_id\n");
  auto r = import_from(dir.path(), "CHN", eto::Level::firm, 2025);
  REQUIRE(r.graph);
  CHECK_FALSE(r.find("eto-duplicate-provider", "P159"));
  const Diagnostic* d = r.find("eto-duplicate-provider", "P139");
  REQUIRE(d);
  CHECK(d->line == 6);
  CHECK(d->message.find("KOR") != std::string::npos);
  CHECK(r.graph->country(r.node("N1@P139")) == "USA");  // the first row is used
}

TEST_CASE("import_eto: an old release (61% shares, no year, extra and moved columns) maps to the same graph") {
  auto current = import_from(mini("current"));
  auto old = import_from(mini("old-release"));
  REQUIRE(current.graph);
  REQUIRE(old.graph);
  CHECK_FALSE(old.dataset->year);  // no year column: the dataset has no year ...
  CHECK(old.warned("eto-undated"));
  const SupplyGraph& a = *current.graph;
  const SupplyGraph& b = *old.graph;
  REQUIRE(a.node_count() == b.node_count());
  CHECK(a.entry_count() == b.entry_count());
  auto xa = evaluate(a), xb = evaluate(b);
  for (NodeId v = 0; v < a.node_count(); ++v) {
    auto w = b.find(a.id(v));
    REQUIRE_MESSAGE(w, "missing in the old release: " << a.id(v));
    CHECK_MESSAGE(xa.direct[v] == doctest::Approx(xb.direct[*w]).epsilon(1e-12), a.id(v));
    CHECK_MESSAGE(a.weight(v) == doctest::Approx(b.weight(*w)), a.id(v));
  }
  // ... unless --year names it
  auto named = import_from(mini("old-release"), "CHN", eto::Level::country, 2025);
  REQUIRE(named.dataset);
  CHECK(named.dataset->year == 2025);
}

TEST_CASE("import_eto: a release writing fractions is read as fractions, with a warning") {
  TempDir dir;
  dir.write("inputs.csv", "input_id,input_name,type\nN1,Wafer,material_resource\n");
  dir.write("providers.csv", "provider_name,alias,provider_id,provider_type,country\nCHN,China,P2,country,\nUSA,,P1,country,\n");
  dir.write("provision.csv", "provider_id,provided_id,share_provided\nP2,N1,0.25\nP1,N1,0.7\n");
  dir.write("sequence.csv", "input_id,goes_into_id,is_type_of_id\n");
  auto r = import_from(dir.path());
  REQUIRE(r.graph);
  CHECK(r.warned("eto-fractions"));
  auto x = evaluate(*r.graph);
  CHECK(x.direct[r.node("N1")] == doctest::Approx(0.25));
  CHECK(r.graph->unmapped(r.graph->req_begin(r.node("N1"))) == doctest::Approx(0.05));
}

TEST_CASE("import_eto: a missing required column is an error naming the file and the column") {
  auto r = import_from(mini("missing-column"));
  CHECK_FALSE(r.dataset);
  const Diagnostic* d = r.find("missing-column");
  REQUIRE(d);
  CHECK(d->severity == Severity::error);
  CHECK(d->file.ends_with("provision.csv"));
  CHECK(d->message.find("share_provided") != std::string::npos);
  CHECK(d->hint.find("'share'") != std::string::npos);  // did you mean
  CHECK_FALSE(fs::exists(r.out()));
}

TEST_CASE("import_eto: output is deterministic and the manifest records provenance and a target") {
  auto a = import_from(mini("current"));
  auto b = import_from(mini("current"));
  REQUIRE(a.dataset);
  REQUIRE(b.dataset);
  CHECK(a.dataset->nodes_csv == b.dataset->nodes_csv);
  CHECK(a.dataset->edges_csv == b.dataset->edges_csv);
  CHECK(a.dataset->manifest == b.dataset->manifest);

  Diagnostics diag;
  auto ds = open_dataset(a.out(), std::nullopt, diag);
  REQUIRE(ds);
  CHECK(ds->home == "CHN");
  CHECK(ds->licence == "ETO/CSET, CC BY 4.0");
  CHECK(ds->source.find("ETO") != std::string::npos);
  REQUIRE(ds->target);
  CHECK(ds->target->share == 0.7);
  CHECK(ds->target->year == 2028);
  CHECK(ds->target->metric == Metric::nominal);
  REQUIRE(ds->snapshots.size() == 1);
  CHECK(ds->snapshots[0].year == 2025);
  CHECK(a.dataset->manifest.find("release = \"test fixture release\"") != std::string::npos);
}

// ------------------------------------------------------------------------------------------------
// Command line

TEST_CASE("import_eto: command line: import, validate, refuse to overwrite, --force, a missing column") {
  TempDir dir;
  const std::string out = (dir.path() / "eto-chn").string();
  const std::string release = mini("current").string();
  auto first = test::run_scgraph({"import", "eto", release, "--home", "CHN", "--out", out});
  CHECK_MESSAGE(first.status == "0", first.err);
  CHECK(first.out.empty());  // nothing but a result on standard output, and an import has none
  CHECK(fs::exists(fs::path(out) / "dataset.toml"));
  auto validate = test::run_scgraph({"validate", out});
  CHECK_MESSAGE(validate.status == "0", validate.err);
  auto reliance = test::run_scgraph({"reliance", out, "--format", "json"});
  CHECK_MESSAGE(reliance.status == "0", reliance.err);
  CHECK(reliance.out.find("\"home\": \"CHN\"") != std::string::npos);

  const std::string before = test::read_whole_file(fs::path(out) / "nodes.csv");
  auto again = test::run_scgraph({"import", "eto", release, "--home", "USA", "--out", out});
  CHECK(again.status == "2");
  CHECK(again.err.find("--force") != std::string::npos);
  CHECK(test::read_whole_file(fs::path(out) / "nodes.csv") == before);
  auto forced = test::run_scgraph({"import", "eto", release, "--home", "USA", "--out", out, "--force", "--level", "firm"});
  CHECK_MESSAGE(forced.status == "0", forced.err);
  CHECK(test::read_whole_file(fs::path(out) / "dataset.toml").find("home = \"USA\"") != std::string::npos);

  const std::string failed_out = (dir.path() / "never").string();
  auto missing = test::run_scgraph({"import", "eto", mini("missing-column").string(), "--home", "CHN", "--out", failed_out});
  CHECK(missing.status == "1");
  CHECK(missing.err.find("provision.csv:1: error: required column 'share_provided' is missing") != std::string::npos);
  CHECK_FALSE(fs::exists(failed_out));
  auto parent = fs::path(failed_out).parent_path();
  for (const auto& entry : fs::directory_iterator(parent))  // no staging folder left behind either
    CHECK_MESSAGE(entry.path().filename().string().find("never") == std::string::npos, entry.path());

  auto bad_home = test::run_scgraph({"import", "eto", release, "--home", "China", "--out", failed_out});
  CHECK(bad_home.status == "2");
  auto bad_level = test::run_scgraph({"import", "eto", release, "--home", "CHN", "--out", failed_out, "--level", "company"});
  CHECK(bad_level.status == "2");
}

TEST_CASE("import_eto: command line: an old release with --year, at firm level, analysed by the other commands") {
  TempDir dir;
  const std::string out = (dir.path() / "old").string();
  auto imported = test::run_scgraph({"import", "eto", mini("old-release").string(), "--home", "CHN", "--out", out, "--year",
                                     "2025", "--level", "firm", "--release", "an old release"});
  REQUIRE_MESSAGE(imported.status == "0", imported.err);
  // the old release dates no row: --year names the snapshot, so there is no warning about it;
  // the mapping's own warnings are all shown (N84's 102 % scaled down)
  CHECK(imported.err.find("dates no row") == std::string::npos);
  CHECK(imported.err.find("N84 (Electronic design automation software) add up to 102 %") != std::string::npos);
  const std::string manifest = test::read_whole_file(fs::path(out) / "dataset.toml");
  CHECK(manifest.find("year = 2025") != std::string::npos);
  CHECK(manifest.find("level = \"firm\"") != std::string::npos);
  CHECK(manifest.find("release = \"an old release\"") != std::string::npos);
  CHECK(test::read_whole_file(fs::path(out) / "nodes.csv").find("N19@P88,Lithography tools (ASML),equipment") !=
        std::string::npos);
  auto validate = test::run_scgraph({"validate", out});
  CHECK_MESSAGE(validate.status == "0", validate.err);
  auto owners = test::run_scgraph({"chokepoints", out, "--group", "owner", "--format", "json", "--no-structure"});
  CHECK_MESSAGE(owners.status == "0", owners.err);
  CHECK(owners.out.find("\"ASML\"") != std::string::npos);
}

// ------------------------------------------------------------------------------------------------
// The real release, when it is there

namespace {

// Country shares of every input and stage as provision.csv writes them, read here independently of
// the importer: the latest year, country rows with a number, percentages, scaled down when they add
// up to more than 100 %. provided_id -> country -> share.
std::map<std::string, std::map<std::string, double>> published_country_shares(const fs::path& release) {
  std::map<std::string, std::string> type_of_provider, name_of_provider;
  {
    Diagnostics diag;
    csv::Reader reader(release / "providers.csv", "providers.csv", diag);
    csv::Record rec;
    reader.next(rec);
    HeaderMap h(rec, "providers.csv", diag, {{"provider_id", true}, {"provider_name", true}, {"provider_type", true}}, false);
    while (reader.next(rec)) {
      type_of_provider[std::string(rec[h.index("provider_id")])] = std::string(rec[h.index("provider_type")]);
      name_of_provider[std::string(rec[h.index("provider_id")])] = std::string(rec[h.index("provider_name")]);
    }
  }
  struct Row { std::string provided, country; int year; double percent; };
  std::vector<Row> rows;
  Diagnostics diag;
  csv::Reader reader(release / "provision.csv", "provision.csv", diag);
  csv::Record rec;
  reader.next(rec);
  HeaderMap h(rec, "provision.csv", diag, {{"provider_id", true}, {"provided_id", true}, {"share_provided", true}, {"year", true}},
              false);
  while (reader.next(rec)) {
    std::string provider(rec[h.index("provider_id")]);
    if (type_of_provider[provider] != "country") continue;
    auto share = parse_number(rec[h.index("share_provided")]);
    auto year = parse_number(rec[h.index("year")]);
    if (!share || !year) continue;
    rows.push_back({std::string(rec[h.index("provided_id")]), name_of_provider[provider], static_cast<int>(*year), *share});
  }
  std::map<std::string, int> latest;
  for (const auto& r : rows) latest[r.provided] = std::max(latest[r.provided], r.year);
  std::map<std::string, std::map<std::string, double>> out;
  std::map<std::string, double> total;
  for (const auto& r : rows)
    if (r.year == latest[r.provided]) {
      out[r.provided][r.country] += r.percent / 100;
      total[r.provided] += r.percent / 100;
    }
  for (auto& [id, shares] : out)
    if (total[id] > 1)
      for (auto& [country, s] : shares) s /= total[id];
  return out;
}

}  // namespace

TEST_CASE("import_eto: the real ETO release: imports, loads, and China's direct shares are the published ones") {
  if (!fs::exists(real_release() / "provision.csv")) {
    MESSAGE("the ETO release is not at ../shared/eto: skipped");
    return;
  }
  auto r = import_from(real_release());
  REQUIRE(r.dataset);
  REQUIRE(r.written);
  REQUIRE(r.graph);
  CHECK_FALSE(r.load_diagnostics.has_errors());
  const SupplyGraph& g = *r.graph;
  auto x = evaluate(g);
  auto published = published_country_shares(real_release());

  std::size_t checked = 0;
  for (NodeId v = 0; v < g.node_count(); ++v) {
    if (!g.is_aggregate(v)) continue;
    std::string id(g.id(v));
    auto it = published.find(id);
    if (it != published.end()) {
      double expected = it->second.count("CHN") ? it->second.at("CHN") : 0.0;
      CHECK_MESSAGE(std::abs(x.direct[v] - expected) <= 1e-9, id << ": d = " << x.direct[v] << ", published " << expected);
      ++checked;
    }
  }
  CHECK(checked >= 50);
  // A process step takes its stage's shares: photolithography (N25) is done where fab capacity is (S2).
  REQUIRE(published.count("S2"));
  CHECK(std::abs(x.direct[r.node("N25")] - published["S2"]["CHN"]) <= 1e-9);
  CHECK(std::abs(x.direct[r.node("N0")] - published["S1"]["CHN"]) <= 1e-9);
}

TEST_CASE("import_eto: the real ETO release: lithography, EDA and EUV rank near the top of China's chokepoints") {
  if (!fs::exists(real_release() / "provision.csv")) {
    MESSAGE("the ETO release is not at ../shared/eto: skipped");
    return;
  }
  auto r = import_from(real_release());
  REQUIRE(r.graph);
  const SupplyGraph& g = *r.graph;
  auto base = evaluate(g);
  auto impact = knock_out_each_node(g, base, 1);
  // The export-control question: which foreign suppliers could take down domestic production.
  // Ranked as `scgraph chokepoints --origin foreign`: domestic_loss, then loss, then id.
  std::vector<NodeId> foreign;
  for (NodeId v = 0; v < g.node_count(); ++v)
    if (g.origin(v) == Origin::foreign) foreign.push_back(v);
  std::sort(foreign.begin(), foreign.end(), [&](NodeId a, NodeId b) {
    if (impact[a].domestic_loss != impact[b].domestic_loss) return impact[a].domestic_loss > impact[b].domestic_loss;
    if (impact[a].loss != impact[b].loss) return impact[a].loss > impact[b].loss;
    return g.id(a) < g.id(b);
  });
  auto rank_of = [&](const char* id) {
    NodeId v = r.node(id);
    return static_cast<std::size_t>(std::find(foreign.begin(), foreign.end(), v) - foreign.begin()) + 1;
  };
  const std::size_t near_top = foreign.size() / 10;
  MESSAGE("ranks among " << foreign.size() << " foreign suppliers: lithography tools (NLD) " << rank_of("N19@NLD")
                         << ", EDA (USA) " << rank_of("N84@USA") << ", EUV (NLD) " << rank_of("N20@NLD"));
  CHECK(rank_of("N84@USA") <= 3);
  CHECK(rank_of("N19@NLD") <= near_top);
  CHECK(rank_of("N20@NLD") <= near_top);
  // and far above a wire-bonder niche
  CHECK(rank_of("N20@NLD") < rank_of("N133@DEU"));
  // The aggregates rank too: lithography as a whole sits in the top tenth of every node.
  std::vector<NodeId> all(g.node_count());
  for (NodeId v = 0; v < g.node_count(); ++v) all[v] = v;
  std::sort(all.begin(), all.end(), [&](NodeId a, NodeId b) {
    if (impact[a].domestic_loss != impact[b].domestic_loss) return impact[a].domestic_loss > impact[b].domestic_loss;
    if (impact[a].loss != impact[b].loss) return impact[a].loss > impact[b].loss;
    return g.id(a) < g.id(b);
  });
  auto overall = [&](const char* id) {
    return static_cast<std::size_t>(std::find(all.begin(), all.end(), r.node(id)) - all.begin()) + 1;
  };
  CHECK(overall("N19") <= g.node_count() / 10);
  CHECK(overall("N84") <= g.node_count() / 10);
}

TEST_CASE("import_eto: the real ETO release imports for another home country too") {
  if (!fs::exists(real_release() / "provision.csv")) {
    MESSAGE("the ETO release is not at ../shared/eto: skipped");
    return;
  }
  auto usa = import_from(real_release(), "USA");
  REQUIRE(usa.graph);
  auto x = evaluate(*usa.graph);
  auto published = published_country_shares(real_release());
  // EDA: 96 of 102 % American
  CHECK(std::abs(x.direct[usa.node("N84")] - published["N84"]["USA"]) <= 1e-9);
  CHECK(x.direct[usa.node("N84")] == doctest::Approx(96.0 / 102));
}

TEST_CASE("import_eto: the real ETO release at firm level: firms owned, China's direct shares as at country level") {
  if (!fs::exists(real_release() / "provision.csv")) {
    MESSAGE("the ETO release is not at ../shared/eto: skipped");
    return;
  }
  auto firm = import_from(real_release(), "CHN", eto::Level::firm);
  REQUIRE(firm.graph);
  CHECK_FALSE(firm.load_diagnostics.has_errors());
  const SupplyGraph& g = *firm.graph;
  CHECK(g.owner(firm.node("N20@P88")) == "ASML");
  CHECK(g.country(firm.node("N20@P88")) == "NLD");
  auto x = evaluate(g);
  auto published = published_country_shares(real_release());
  std::size_t checked = 0, owned = 0;
  for (NodeId v = 0; v < g.node_count(); ++v) {
    if (!g.owner(v).empty()) ++owned;
    if (!g.is_aggregate(v)) continue;
    auto it = published.find(std::string(g.id(v)));
    if (it == published.end()) continue;
    const double expected = it->second.count("CHN") ? it->second.at("CHN") : 0.0;
    // a country's share may be split among several firms, each written rounded down to 1e-9
    CHECK_MESSAGE(std::abs(x.direct[v] - expected) <= 1e-8, g.id(v) << ": d = " << x.direct[v] << ", published " << expected);
    ++checked;
  }
  CHECK(checked >= 50);
  CHECK(owned >= 300);  // hundreds of firms
}
