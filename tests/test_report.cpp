// scgraph report: the page holds the figures of summary.json, every SVG is well-formed XML,
// hostile names stay text, a failing run leaves nothing behind, and two runs write the same bytes.
#include <doctest/doctest.h>

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <map>
#include <regex>
#include <set>

#include "reports/dot_builder.hpp"
#include "reports/escape.hpp"
#include "reports/html_page.hpp"
#include "run_program.hpp"
#include "test_support.hpp"
#include "xml_check.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using scgraph::test::read_whole_file;
using scgraph::test::run_scgraph;
using scgraph::test::TempDir;
using scgraph::test::xml_problem;
namespace out = scgraph::out;

namespace {

const std::string hostile_name =
    "Evil \"Corp\" \\N \\G {a|b} <b>x</b> &amp; R&D\nline2 </text><script>alert(1)</script> ]; n9 -> n0; \x1b[31mred";

// A three-node dataset with two snapshots, a hostile supplier name, dataset name and scenario.
void write_small_dataset(const TempDir& dir, const std::string& root, const std::string& bad_share = "1") {
  dir.write(root + "/dataset.toml",
            "name = \"Hostile <script>alert('x')</script> & \\\"Co\\\"\"\nhome = \"CHN\"\n"
            "[target]\nshare = 0.7\nyear = 2028\nmetric = \"nominal\"\n");
  std::string nodes = "id,name,kind,stage,country,value_musd\n"
                      "EVIL,\"" + std::regex_replace(hostile_name, std::regex("\""), "\"\"") + "\",equipment,\"Stage <i>\",USA,10\n"
                      "D1,Domestic fab,fab,Fabrication,CHN,100\n"
                      "C1,Chip,chip,Chips,CHN,50\n";
  dir.write(root + "/snapshots/2023/nodes.csv", nodes);
  dir.write(root + "/snapshots/2023/edges.csv", "supplier,consumer,share\nEVIL,D1,1\nD1,C1,1\n");
  dir.write(root + "/snapshots/2024/nodes.csv", nodes);
  dir.write(root + "/snapshots/2024/edges.csv", "supplier,consumer,share\nEVIL,D1," + bad_share + "\nD1,C1,1\n");
  dir.write(root + "/scenarios/evil.toml", "description = \"<script>alert(2)</script> \\\\N\"\nban = [\"USA\"]\n");
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// Runs the report of the sample dataset into dir/name once per test process.
const fs::path& sample_report() {
  static TempDir dir;
  static fs::path out = [] {
    fs::path p = dir.path() / "report";
    auto r = run_scgraph({"report", "data/china-semis", "--out", p.string(), "--quiet"});
    REQUIRE_MESSAGE(r.status == "0", r.err);
    return p;
  }();
  return out;
}

}  // namespace

TEST_CASE("report: page number formats, by hand") {
  CHECK(out::percent(0.4317) == "43.2\xC2\xA0%");
  CHECK(out::percent(0.17844, 2) == "17.84\xC2\xA0%");
  CHECK(out::points(0.268) == "26.8 points");
  CHECK(out::points_per_year(0.0894) == "+8.9 points a year");
  CHECK(out::money_musd(9812) == "USD\xC2\xA0" "9.8\xC2\xA0" "bn");
  CHECK(out::money_musd(640) == "USD\xC2\xA0" "640\xC2\xA0m");
}

TEST_CASE("report: the sample report's files, and every SVG is well-formed XML") {
  const fs::path& dir = sample_report();
  auto names = files_in(dir);
  for (const char* expected : {"index.html", "summary.json", "summary.md", "map.dot", "map.svg", "progress.svg", "focus-01.dot",
                               "focus-01.svg", "focus-10.svg"})
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  std::size_t svgs = 0;
  for (const auto& name : names)
    if (name.size() > 4 && name.substr(name.size() - 4) == ".svg") {
      CAPTURE(name);
      CHECK(xml_problem(read_whole_file(dir / name)) == "");
      ++svgs;
    }
  CHECK(svgs == 12);  // map, progress chart, ten focus graphs
  std::string html = read_whole_file(dir / "index.html");
  auto inline_svgs = scgraph::test::svg_elements(html);
  CHECK(inline_svgs.size() == 12);
  for (const auto& svg : inline_svgs) CHECK(xml_problem(svg) == "");
  // summary.json lists exactly the files written.
  json summary = json::parse(read_whole_file(dir / "summary.json"));
  CHECK(summary["files"].get<std::vector<std::string>>() == names);
}

TEST_CASE("report: the page shows the figures of summary.json") {
  const fs::path& dir = sample_report();
  std::string html = read_whole_file(dir / "index.html");
  json s = json::parse(read_whole_file(dir / "summary.json"));
  CHECK(s["schema"] == "scgraph/1");
  const auto& f = s["figures"];
  for (const char* key : {"nominal", "effective", "localization"}) {
    CAPTURE(key);
    CHECK(contains(html, out::percent(f[key].get<double>())));
  }
  CHECK(contains(html, out::points(f["gap"].get<double>())));
  const auto& p = s["progress"]["projection"];
  CHECK(contains(html, out::points_per_year(p["needed_per_year"].get<double>())));
  CHECK(contains(html, out::points_per_year(p["slope_per_year"].get<double>())));
  CHECK(contains(html, out::percent(p["at_target_year"].get<double>())));
  CHECK(contains(html, p["on_track"].get<bool>() ? "On track" : "Off track"));
  for (const auto& y : s["progress"]["years"]) CHECK(contains(html, out::percent(y["nominal"].get<double>())));
  CHECK(contains(html, fmt::format("{:+.2f}", s["changes"]["total"].get<double>() * 100)));
  REQUIRE(s["chokepoints"]["items"].size() == 10);
  for (const auto& c : s["chokepoints"]["items"]) {
    CHECK(contains(html, out::html_text(c["name"].get<std::string>())));
    CHECK(contains(html, out::percent(c["domestic_loss"].get<double>(), 2)));
    CHECK(contains(html, out::percent(c["loss"].get<double>(), 2)));
  }
  for (const auto& c : s["countries"]) CHECK(contains(html, out::percent(c["domestic_loss"].get<double>(), 2)));
  for (const auto& sc : s["scenarios"]) {
    CHECK(contains(html, out::html_text(sc["name"].get<std::string>())));
    if (sc["applicable"].get<bool>()) CHECK(contains(html, out::percent(sc["after"]["availability"].get<double>())));
  }
  CHECK(s["data_quality"]["warnings"].size() > 0);
  for (const auto& w : s["data_quality"]["warnings"]) CHECK(contains(html, out::html_text(w["message"].get<std::string>())));
  // Hundreds of nodes: the map is aggregated, and the page says so.
  CHECK(s["map"]["aggregated"] == true);
  CHECK(contains(html, "too many to draw one by one"));
}

TEST_CASE("report: the page runs nothing and fetches nothing") {
  std::string html = lower(read_whole_file(sample_report() / "index.html"));
  for (const char* forbidden : {"<script", "src=", "url(", "@import", "<link", "<img", "<iframe", "<object", "<embed", "javascript:"})
    CHECK_MESSAGE(!contains(html, forbidden), forbidden);
  // The only addresses are XML namespace names, which are never fetched.
  for (std::size_t at = html.find("http"); at != std::string::npos; at = html.find("http", at + 1)) {
    if (html.compare(at, 7, "http://") != 0 && html.compare(at, 8, "https://") != 0) continue;
    std::string before = html.substr(at > 14 ? at - 14 : 0, at > 14 ? 14 : at);
    CHECK_MESSAGE((contains(before, "xmlns=\"") || contains(before, "xmlns:xlink=\"")), html.substr(at, 40));
  }
}

TEST_CASE("report: hostile names stay text in the page, the maps, the JSON and the Markdown") {
  TempDir dir;
  write_small_dataset(dir, "data");
  fs::path out_dir = dir.path() / "out";
  auto r = run_scgraph({"report", (dir.path() / "data").string(), "--out", out_dir.string(), "--quiet"});
  REQUIRE_MESSAGE(r.status == "0", r.err);
  std::string html = read_whole_file(out_dir / "index.html");
  CHECK_FALSE(contains(lower(html), "<script"));
  CHECK(contains(html, out::html_text("Hostile <script>alert('x')</script> & \"Co\"")));
  CHECK(contains(html, out::html_text(hostile_name)));
  for (const auto& svg : scgraph::test::svg_elements(html)) CHECK(xml_problem(svg) == "");
  // The map draws all three nodes (no aggregation this small), and nothing the name holds became
  // a node or an edge.
  std::string map = read_whole_file(out_dir / "map.svg");
  CHECK(xml_problem(map) == "");
  CHECK_FALSE(contains(lower(map), "<script"));
  std::regex node("class=\"node\"");
  CHECK(std::distance(std::sregex_iterator(map.begin(), map.end(), node), std::sregex_iterator()) == 3);
  std::regex edge("class=\"edge\"");
  CHECK(std::distance(std::sregex_iterator(map.begin(), map.end(), edge), std::sregex_iterator()) == 2);
  // The label's first line is the (shortened) name, literally.
  std::string first_line = out::shorten(hostile_name, 34);
  first_line = first_line.substr(0, first_line.find('\n'));
  std::regex text_element("<text[^>]*>([^<]*)</text>");
  bool found = false;
  for (auto it = std::sregex_iterator(map.begin(), map.end(), text_element); it != std::sregex_iterator(); ++it)
    found |= scgraph::test::xml_unescape((*it)[1].str()) == first_line;
  CHECK_MESSAGE(found, first_line);
  json s = json::parse(read_whole_file(out_dir / "summary.json"));
  CHECK(s["dataset"]["name"] == "Hostile <script>alert('x')</script> & \"Co\"");
  CHECK(s["map"]["aggregated"] == false);
  std::string md = read_whole_file(out_dir / "summary.md");
  for (std::size_t at = md.find('<'); at != std::string::npos; at = md.find('<', at + 1)) CHECK(md[at - 1] == '\\');
  // The escape character of the name is shown, not sent to whoever reads the file on a terminal.
  CHECK(std::none_of(md.begin(), md.end(), [](char c) { return c != '\n' && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f); }));
  CHECK(contains(md, "\\x1b\\[31mred"));
}

TEST_CASE("report: above the size limit the map groups nodes, below it draws them") {
  TempDir dir;
  write_small_dataset(dir, "data");
  auto r = run_scgraph({"report", (dir.path() / "data").string(), "--out", (dir.path() / "out").string(), "--quiet",
                        "--map-max-nodes", "2"});
  REQUIRE(r.status == "0");
  json s = json::parse(read_whole_file(dir.path() / "out" / "summary.json"));
  CHECK(s["map"]["aggregated"] == true);
  CHECK(xml_problem(read_whole_file(dir.path() / "out" / "map.svg")) == "");
}

TEST_CASE("report: --formats adds PNG and PDF rendered by Graphviz") {
  TempDir dir;
  write_small_dataset(dir, "data");
  fs::path out_dir = dir.path() / "out";
  auto r = run_scgraph({"report", (dir.path() / "data").string(), "--out", out_dir.string(), "--quiet", "--formats", "png,pdf"});
  REQUIRE_MESSAGE(r.status == "0", r.err);
  CHECK(read_whole_file(out_dir / "map.png").substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  CHECK(read_whole_file(out_dir / "map.pdf").substr(0, 5) == "%PDF-");
  CHECK(fs::exists(out_dir / "map.svg"));
  // cairo stamps PDFs with the time; the report replaces the stamp, so a second run is identical.
  auto again = run_scgraph({"report", (dir.path() / "data").string(), "--out", (dir.path() / "again").string(), "--quiet",
                            "--formats", "png,pdf"});
  REQUIRE(again.status == "0");
  for (const char* name : {"map.png", "map.pdf", "focus-01.pdf"})
    CHECK(read_whole_file(out_dir / name) == read_whole_file(dir.path() / "again" / name));
  CHECK(contains(read_whole_file(out_dir / "map.pdf"), "/CreationDate (D:20240101000000"));
  auto bad = run_scgraph({"report", (dir.path() / "data").string(), "--out", (dir.path() / "x").string(), "--formats", "gif"});
  CHECK(bad.status == "2");
  CHECK_FALSE(fs::exists(dir.path() / "x"));
}

TEST_CASE("report: two runs write identical files") {
  TempDir dir;
  auto a = run_scgraph({"report", "data/china-semis", "--out", (dir.path() / "a").string(), "--quiet"});
  auto b = run_scgraph({"report", "data/china-semis", "--out", (dir.path() / "b").string(), "--quiet"});
  REQUIRE(a.status == "0");
  REQUIRE(b.status == "0");
  auto names = files_in(dir.path() / "a");
  CHECK(names == files_in(dir.path() / "b"));
  for (const auto& name : names) {
    CAPTURE(name);
    CHECK(read_whole_file(dir.path() / "a" / name) == read_whole_file(dir.path() / "b" / name));
  }
}

TEST_CASE("report: invalid data leaves no output folder and exits 1") {
  TempDir dir;
  write_small_dataset(dir, "data", "1.5");  // a share above 1 in the 2024 snapshot
  fs::path parent = dir.path() / "outputs";
  fs::create_directories(parent);
  auto r = run_scgraph({"report", (dir.path() / "data").string(), "--out", (parent / "report").string()});
  CHECK(r.status == "1");
  CHECK(contains(r.err, "2024/edges.csv:2:"));
  CHECK(files_in(parent).empty());  // neither the folder nor a temporary one
}

TEST_CASE("report: a broken scenario file leaves no output folder and exits 1") {
  TempDir dir;
  write_small_dataset(dir, "data");
  dir.write("data/scenarios/broken.toml", "ban = [\"USA\"\n");
  auto r = run_scgraph({"report", (dir.path() / "data").string(), "--out", (dir.path() / "out").string()});
  CHECK(r.status == "1");
  CHECK(contains(r.err, "broken.toml"));
  CHECK_FALSE(fs::exists(dir.path() / "out"));
}

TEST_CASE("report: an --out whose parent is a file leaves nothing and exits 1") {
  TempDir dir;
  write_small_dataset(dir, "data");
  dir.write("afile", "keep me");
  auto r = run_scgraph({"report", (dir.path() / "data").string(), "--out", (dir.path() / "afile" / "report").string(), "--quiet"});
  CHECK(r.status == "1");
  CHECK(fs::is_regular_file(dir.path() / "afile"));
  CHECK(read_whole_file(dir.path() / "afile") == "keep me");
  auto names = files_in(dir.path());
  CHECK(names == std::vector<std::string>{"afile", "data"});
}

TEST_CASE("report: a folder that is not an earlier report is never replaced; an earlier report is") {
  TempDir dir;
  write_small_dataset(dir, "data");
  dir.write("mine/notes.txt", "precious");
  auto refused = run_scgraph({"report", (dir.path() / "data").string(), "--out", (dir.path() / "mine").string(), "--quiet"});
  CHECK(refused.status == "1");
  CHECK(files_in(dir.path() / "mine") == std::vector<std::string>{"notes.txt"});

  fs::path out_dir = dir.path() / "out";
  REQUIRE(run_scgraph({"report", (dir.path() / "data").string(), "--out", out_dir.string(), "--quiet"}).status == "0");
  dir.write("out/stale.txt", "from before");
  REQUIRE(run_scgraph({"report", (dir.path() / "data").string(), "--out", out_dir.string(), "--quiet", "--year", "2023"}).status == "0");
  CHECK_FALSE(fs::exists(out_dir / "stale.txt"));  // replaced whole
  CHECK(json::parse(read_whole_file(out_dir / "summary.json"))["year"] == 2023);
  CHECK(files_in(dir.path()) == std::vector<std::string>{"data", "mine", "out"});
}

TEST_CASE("report: the leading foreign chokepoint of each stage") {
  json s = json::parse(read_whole_file(sample_report() / "summary.json"));
  const auto& items = s["stage_leaders"]["items"];
  REQUIRE(items.size() >= 4);
  std::set<std::string> stages;
  std::size_t previous_rank = 0;
  for (const auto& row : items) {
    CHECK(stages.insert(row["stage"].get<std::string>()).second);  // one row per stage
    CHECK(row["rank"].get<std::size_t>() > previous_rank);           // in ranking order
    previous_rank = row["rank"].get<std::size_t>();
    CHECK(row["country"] != "CHN");
  }
  // The segments' leading imports an analyst names: lithography optics, EDA, HBM, the imported
  // accelerator.
  std::map<std::string, std::string> leader;
  for (const auto& row : items) leader[row["stage"]] = row["id"];
  CHECK(leader["Equipment"] == "ZEISS-SMT");
  CHECK(leader["Design"] == "SNPS-EDA");
  CHECK(leader["Fabrication"] == "SEC-HBM");
  CHECK(leader["Chips"] == "NVDA-AI-GPU");
  // Each is the first foreign row of its stage in the full ranking of the chokepoints command.
  auto ranked = run_scgraph({"chokepoints", "data/china-semis", "--origin", "foreign", "--stage", "Design", "--top", "1",
                             "--format", "json", "--quiet", "--no-structure"});
  REQUIRE(ranked.status == "0");
  CHECK(json::parse(ranked.out)["chokepoints"][0]["id"] == leader["Design"]);
  std::string html = read_whole_file(sample_report() / "index.html");
  CHECK(contains(html, "The leading foreign chokepoint of each stage"));
}

TEST_CASE("report: an aggregated map of market-share data draws one box per market") {
  // Two markets (aggregates) with three and two country producers each; the fab needs both.
  // Producers supplying only their market join its box: 2 market boxes + the fab's box.
  auto loaded = scgraph::test::load_text(
      "id,name,kind,stage,country,value_musd\n"
      "LITHO,Lithography tools,category,Fab,,100\nWAFER,Wafers,category,Fab,,50\n"
      "LITHO@NLD,Litho NLD,equipment,Fab,NLD,80\nLITHO@JPN,Litho JPN,equipment,Fab,JPN,15\nLITHO@CHN,Litho CHN,equipment,Fab,CHN,5\n"
      "WAFER@JPN,Wafer JPN,material,Fab,JPN,30\nWAFER@CHN,Wafer CHN,material,Fab,CHN,20\n"
      "FAB@CHN,Fab CHN,fab,Fab,CHN,400\n",
      "supplier,consumer,input,share\n"
      "LITHO@NLD,LITHO,litho,0.8\nLITHO@JPN,LITHO,litho,0.15\nLITHO@CHN,LITHO,litho,0.05\n"
      "WAFER@JPN,WAFER,wafer,0.6\nWAFER@CHN,WAFER,wafer,0.4\n"
      "LITHO,FAB@CHN,litho,1\nWAFER,FAB@CHN,wafer,1\n");
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  auto x = scgraph::evaluate(g);
  out::MapOptions small;
  small.max_nodes = 4;  // 8 nodes: aggregated
  auto map = out::map_dot(g, x, {}, small);
  CHECK(map.aggregated);
  CHECK(map.nodes == 3);
  CHECK(map.edges == 2);  // each market box -> the fab's box
  CHECK(contains(map.dot, "Lithography tools\\n3 suppliers\\nUSD\xC2\xA0" "100\xC2\xA0m\\n5\xC2\xA0% domestic"));
  CHECK(contains(map.dot, "Wafers\\n2 suppliers"));
  CHECK(contains(map.note, "one market"));
  // Too many markets for the limit: grouped by stage and kind instead.
  small.max_nodes = 2;
  auto coarse = out::map_dot(g, x, {}, small);
  CHECK(coarse.nodes == 4);  // Fab stage: category, equipment, fab, material
  CHECK(contains(coarse.note, "stage and kind"));
}

TEST_CASE("report: in every focus graph each affected node is reached by an edge") {
  // Drawn downstream nodes (their labels show availability before -> after) must have an incoming
  // edge, or Graphviz places them among the suppliers on the left.
  const std::regex declared(R"(\n  (n\d+) \[label="[^"]*availability)"), edge(R"(-> (n\d+) )");
  for (const auto& name : files_in(sample_report())) {
    if (!name.starts_with("focus-") || !name.ends_with(".dot")) continue;
    CAPTURE(name);
    std::string dot = read_whole_file(sample_report() / name);
    std::set<std::string> targets;
    for (std::sregex_iterator i(dot.begin(), dot.end(), edge), end; i != end; ++i) targets.insert((*i)[1]);
    std::size_t checked = 0;
    for (std::sregex_iterator i(dot.begin(), dot.end(), declared), end; i != end; ++i, ++checked)
      CHECK(targets.count((*i)[1]) == 1);
    CHECK(checked > 0);
  }
}
