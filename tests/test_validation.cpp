// Every validation rule of the dataset format, one test case per rule: the diagnostic is there
// with its exact code and FILE:LINE:COLUMN and a useful message or hint, and valid variants of the
// same data do not produce it (so each test fails if its rule is removed).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "graph/dataset.hpp"
#include "test_support.hpp"

using namespace scgraph;
using scgraph::test::load_text;
using scgraph::test::LoadedText;
using scgraph::test::TempDir;

namespace {

// A connected, valid snapshot that the cases below vary: no diagnostics at all.
const char* kNodes = "id,kind,country\nA,material,CHN\nB,chip,USA\n";
const char* kEdges = "supplier,consumer\nA,B\n";

std::string where(const Diagnostic& d) { return fmt::format("{}:{}:{}", d.file, d.line, d.column); }

std::size_t count(const LoadedText& r, std::string_view code) {
  std::size_t n = 0;
  for (const auto& d : r.diagnostics.entries()) n += d.code == code;
  return n;
}

std::vector<const Diagnostic*> all(const LoadedText& r, std::string_view code) {
  std::vector<const Diagnostic*> out;
  for (const auto& d : r.diagnostics.entries())
    if (d.code == code) out.push_back(&d);
  return out;
}

std::string listing(const LoadedText& r) {
  std::string out;
  for (const auto& d : r.diagnostics.entries()) out += format_diagnostic(d) + "\n";
  return out;
}

// The single diagnostic with `code`; the test stops when there is not exactly one.
const Diagnostic& only(const LoadedText& r, std::string_view code) {
  INFO(listing(r));
  REQUIRE(count(r, code) == 1);
  return *all(r, code).front();
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Valid data: loads, no error and no warning at all.
void require_clean(const LoadedText& r) {
  INFO(listing(r));
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.graph);
}

NodeId node(const SupplyGraph& g, std::string_view id) {
  auto v = g.find(id);
  REQUIRE(v);
  return *v;
}

}  // namespace

TEST_CASE("validation: the base snapshot of these tests is clean") { require_clean(load_text(kNodes, kEdges)); }

// ---------------------------------------------------------------------------------------------
// Errors

TEST_CASE("validation: missing required column in nodes.csv, with did-you-mean for a misspelt header") {
  auto r = load_text("id,name,Kinds,country\nA,Alpha,material,CHN\nB,Beta,chip,USA\n", kEdges);
  const auto& d = only(r, "missing-column");
  CHECK(d.severity == Severity::error);
  CHECK(where(d) == "nodes.csv:1:0");  // about the header row as a whole
  CHECK(d.message == "required column 'kind' is missing");
  CHECK(contains(d.hint, "did you mean 'Kinds'?"));  // as the header writes it
  CHECK_FALSE(r.graph);
  // Nothing close: the hint says which column to add.
  auto far = load_text("id,country\nA,CHN\nB,USA\n", kEdges);
  CHECK(contains(only(far, "missing-column").hint, "add a column named 'kind'"));
  // Any case is the same column.
  require_clean(load_text("ID,Name,KIND,Country\nA,Alpha,material,CHN\nB,Beta,chip,USA\n", kEdges));
}

TEST_CASE("validation: missing required column in edges.csv, each one reported") {
  auto r = load_text(kNodes, "suplier,consumer\nA,B\n");
  const auto& d = only(r, "missing-column");
  CHECK(where(d) == "edges.csv:1:0");
  CHECK(d.message == "required column 'supplier' is missing");
  CHECK(contains(d.hint, "did you mean 'suplier'?"));
  CHECK_FALSE(r.graph);
  auto both = load_text(kNodes, "from,to\nA,B\n");
  CHECK(count(both, "missing-column") == 2);
  require_clean(load_text(kNodes, "Consumer,SUPPLIER\nB,A\n"));
}

TEST_CASE("validation: a misspelt optional column is a warning naming it") {
  auto r = load_text("id,kind,contry\nA,material,CHN\nB,chip,USA\n", kEdges);
  // Without a country column the nodes have no origin: errors too, but the warning says why.
  const auto& d = only(r, "misspelled-column");
  CHECK(d.severity == Severity::warning);
  CHECK(where(d) == "nodes.csv:1:0");
  CHECK(contains(d.message, "'country'"));
  CHECK(contains(d.hint, "did you mean 'contry'?"));
}

TEST_CASE("validation: duplicate id names the line of the first definition") {
  auto r = load_text("id,kind,country\nA,material,CHN\nB,chip,USA\nA,fab,CHN\n", kEdges);
  const auto& d = only(r, "duplicate-id");
  CHECK(where(d) == "nodes.csv:4:1");
  CHECK(d.message == "duplicate id 'A' (first defined on line 2)");
  CHECK(contains(d.hint, "unique"));
  CHECK_FALSE(r.graph);
  // The repeated row is not also called isolated: edges name the first 'A'.
  CHECK(count(r, "isolated-node") == 0);
  // Ids are case-sensitive: 'a' and 'A' are two nodes.
  require_clean(load_text("id,kind,country\nA,material,CHN\nB,chip,USA\na,fab,CHN\n", "supplier,consumer\nA,B\na,B\n"));
}

TEST_CASE("validation: empty id, also when it is only blanks") {
  auto r = load_text("kind,id,country\nmaterial,A,CHN\nchip,B,USA\nfab,  ,CHN\n", kEdges);
  const auto& d = only(r, "empty-id");
  CHECK(where(d) == "nodes.csv:4:5");  // "fab," is 4 characters
  CHECK(d.message == "empty id");
  CHECK(contains(d.hint, "non-empty id"));
  CHECK_FALSE(r.graph);
  CHECK(count(r, "isolated-node") == 0);
  // In edges.csv an empty supplier is an empty id too.
  auto e = load_text(kNodes, "supplier,consumer\n,B\nA,B\n");
  CHECK(where(only(e, "empty-id")) == "edges.csv:2:1");
}

TEST_CASE("validation: unknown supplier and consumer ids, with did-you-mean") {
  const char* nodes = "id,kind,country\nWAFER,material,CHN\nFAB,fab,CHN\nQ,chip,USA\n";
  auto r = load_text(nodes, "supplier,consumer\nWAFR,FAB\nWAFER,FAB2\nFAB,Q\nZZZZZZZZ,Q\n");
  auto unknown = all(r, "unknown-id");
  REQUIRE(unknown.size() == 3);
  CHECK(where(*unknown[0]) == "edges.csv:2:1");
  CHECK(unknown[0]->message == "unknown supplier id 'WAFR'");
  CHECK(unknown[0]->hint == "did you mean 'WAFER'?");
  CHECK(where(*unknown[1]) == "edges.csv:3:7");  // "WAFER," is 6 characters
  CHECK(unknown[1]->message == "unknown consumer id 'FAB2'");
  CHECK(unknown[1]->hint == "did you mean 'FAB'?");
  CHECK(where(*unknown[2]) == "edges.csv:5:1");
  CHECK(contains(unknown[2]->hint, "must be an id defined in nodes.csv"));  // nothing close to guess
  CHECK_FALSE(r.graph);
  require_clean(load_text(nodes, "supplier,consumer\nWAFER,FAB\nFAB,Q\n"));
}

TEST_CASE("validation: an empty id is never offered as a did-you-mean") {
  // 'Z' is one edit from the empty id and from 'A': the guess must be a real id.
  auto r = load_text("id,kind,country\n,chip,CHN\nA,material,CHN\nB,chip,USA\n", "supplier,consumer\nZ,B\nA,B\n");
  CHECK(only(r, "unknown-id").hint == "did you mean 'A'?");
}

TEST_CASE("validation: self-loop") {
  auto r = load_text(kNodes, "supplier,consumer\nA,B\nB,B\n");
  const auto& d = only(r, "self-loop");
  CHECK(where(d) == "edges.csv:3:3");
  CHECK(d.message == "node 'B' supplies itself");
  CHECK_FALSE(r.graph);
  require_clean(load_text(kNodes, kEdges));
}

TEST_CASE("validation: duplicate (supplier, consumer, input), with and without an input column") {
  auto r = load_text(kNodes, "supplier,consumer,input\nA,B,w\nA,B,w\nA,B,w\n");
  auto dup = all(r, "duplicate-edge");
  REQUIRE(dup.size() == 2);
  CHECK(where(*dup[0]) == "edges.csv:3:1");
  CHECK(dup[0]->message == "duplicate edge 'A' -> 'B' for input 'w' (first on line 2)");
  CHECK(where(*dup[1]) == "edges.csv:4:1");
  CHECK(dup[1]->message == "duplicate edge 'A' -> 'B' for input 'w' (first on line 2)");  // the first, not the previous
  CHECK(contains(dup[0]->hint, "merge"));
  CHECK_FALSE(r.graph);
  // Without an input column the input is the supplier's id, so a repeated pair is a duplicate.
  auto bare = load_text(kNodes, "supplier,consumer\nA,B\nA,B\n");
  CHECK(where(only(bare, "duplicate-edge")) == "edges.csv:3:1");
  // Another input is another requirement: not a duplicate.
  require_clean(load_text(kNodes, "supplier,consumer,input\nA,B,w\nA,B,v\n"));
}

TEST_CASE("validation: share that is not a number") {
  for (const char* text : {"abc", "0.5.5", "nan", "inf", "1e", "0x1", "%", "half%"}) {
    CAPTURE(text);
    auto r = load_text(kNodes, fmt::format("supplier,consumer,share\nA,B,{}\n", text));
    const auto& d = only(r, "bad-share");
    CHECK(where(d) == "edges.csv:2:5");
    CHECK(d.message == fmt::format("share '{}' is not a number", text));
    CHECK(contains(d.hint, "35%"));
    CHECK_FALSE(r.graph);
  }
}

TEST_CASE("validation: share out of range (0,1]") {
  for (const char* text : {"0", "0%", "1.5", "-0.2", "150%", "-5%", "1.0000001"}) {
    CAPTURE(text);
    auto r = load_text(kNodes, fmt::format("supplier,consumer,share\nA,B,{}\n", text));
    const auto& d = only(r, "bad-share");
    CHECK(where(d) == "edges.csv:2:5");
    CHECK(d.message == fmt::format("share '{}' is out of range (0,1]", text));
    CHECK_FALSE(r.graph);
    if (std::string_view(text).ends_with("%"))
      CHECK(contains(d.hint, "at most 100%"));
    else
      CHECK(contains(d.hint, "percentages need a % sign"));
  }
  for (const char* text : {"1", "100%", "1.0", " 1 ", "", "100 %"}) {
    CAPTURE(text);
    require_clean(load_text(kNodes, fmt::format("supplier,consumer,share\nA,B,{}\n", text)));
  }
}

TEST_CASE("validation: efficiency not a number or out of range") {
  auto r = load_text(kNodes, "supplier,consumer,input,efficiency\nA,B,x,fast\nA,B,y,0\nA,B,z,1.2\n");
  auto bad = all(r, "bad-efficiency");
  REQUIRE(bad.size() == 3);
  CHECK(where(*bad[0]) == "edges.csv:2:7");
  CHECK(bad[0]->message == "efficiency 'fast' is not a number");
  CHECK(where(*bad[1]) == "edges.csv:3:7");
  CHECK(bad[1]->message == "efficiency '0' is out of range (0,1]");
  CHECK(where(*bad[2]) == "edges.csv:4:7");
  CHECK(bad[2]->message == "efficiency '1.2' is out of range (0,1]");
  CHECK_FALSE(r.graph);
  auto ok = load_text(kNodes, "supplier,consumer,input,efficiency\nA,B,x,0.6\nA,B,y,60%\nA,B,z,\n");
  require_clean(ok);
  // The efficiency lands on the supply entries: .6, .6 and the default 1.
  const auto& g = *ok.graph;
  NodeId b = node(g, "B");
  REQUIRE(g.requirement_count(b) == 3);
  std::vector<double> eff;
  for (ReqId q = g.req_begin(b); q < g.req_end(b); ++q) eff.push_back(g.suppliers(q)[0].efficiency);
  CHECK(eff == std::vector<double>{0.6, 0.6, 1.0});
}

TEST_CASE("validation: shares of one (consumer, input) above 1, with a 1e-9 tolerance") {
  const char* nodes = "id,kind,country\nA,material,CHN\nB,chip,USA\nC,material,JPN\nD,material,KOR\n";
  // 0.5 + 0.5 + 1e-10 is within the tolerance: no error and no unmapped-supply warning either.
  require_clean(load_text(nodes, "supplier,consumer,input,share\nA,B,w,0.5\nC,B,w,0.5\nD,B,w,1e-10\n"));
  // 0.25 * 4 is exactly 1.
  require_clean(load_text("id,kind,country\nA,material,CHN\nB,chip,USA\nC,material,JPN\nD,material,KOR\nE,material,DEU\n",
                          "supplier,consumer,input,share\nA,B,w,25%\nC,B,w,25%\nD,B,w,25%\nE,B,w,25%\n"));
  // 0.5 + 0.5 + 1e-8 is not: reported at the share that takes the sum above 1 (in file order).
  auto r = load_text(nodes, "supplier,consumer,input,share\nD,B,w,0.5\nC,B,w,0.5\nA,B,w,1e-8\n");
  const auto& d = only(r, "shares-above-one");
  CHECK(where(d) == "edges.csv:4:7");
  // As many digits as it takes to show the sum above 1, never "1, more than 1".
  CHECK(d.message == "shares of requirement 'w' of 'B' add up to 1.00000001, more than 1 (lines 2, 3, 4)");
  CHECK(contains(d.hint, "at most 1"));
  CHECK_FALSE(r.graph);
  // The row that crosses 1 may be in the middle: 0.9 + 0.5 is already above 1.
  auto mid = load_text(nodes, "supplier,consumer,input,share\nA,B,w,0.9\nC,B,w,0.5\nD,B,w,0.05\n");
  const auto& m = only(mid, "shares-above-one");
  CHECK(where(m) == "edges.csv:3:7");
  CHECK(m.message == "shares of requirement 'w' of 'B' add up to 1.45, more than 1 (lines 2, 3, 4)");
  // Without a share column every share is 1: two suppliers of one input point at the input cell.
  auto full = load_text(nodes, "supplier,consumer,input\nA,B,w\nC,B,w\n");
  const auto& f = only(full, "shares-above-one");
  CHECK(where(f) == "edges.csv:3:5");
  CHECK(contains(f.message, "add up to 2"));
}

TEST_CASE("validation: unknown kind, with did-you-mean") {
  auto r = load_text("id,name,kind,country\nA,Société,fabb,CHN\nB,Beta,chip,USA\n", kEdges);
  const auto& d = only(r, "unknown-kind");
  CHECK(where(d) == "nodes.csv:2:11");  // columns count characters: "A,Société," is 10 of them (12 bytes)
  CHECK(d.message == "unknown kind 'fabb'");
  CHECK(d.hint == "did you mean 'fab'?");
  CHECK_FALSE(r.graph);
  auto far = load_text("id,kind,country\nA,widget,CHN\nB,chip,USA\n", kEdges);
  const auto& f = only(far, "unknown-kind");
  CHECK(where(f) == "nodes.csv:2:3");
  CHECK(contains(f.hint, "material, equipment, eda, ip, design, fab, packaging, chip, category"));
  auto empty = load_text("id,kind,country\nA,,CHN\nB,chip,USA\n", kEdges);
  CHECK(only(empty, "unknown-kind").message == "empty kind");
  // Kinds are case-insensitive.
  require_clean(load_text("id,kind,country\nA,FAB,CHN\nB,Chip,USA\n", kEdges));
}

TEST_CASE("validation: bad origin") {
  auto r = load_text("id,kind,country,origin\nA,material,CHN,local\nB,chip,USA,\n", kEdges);
  const auto& d = only(r, "bad-origin");
  CHECK(where(d) == "nodes.csv:2:16");
  CHECK(d.message == "origin 'local' is neither domestic nor foreign");
  CHECK(contains(d.hint, "domestic or foreign"));
  CHECK_FALSE(r.graph);
  require_clean(load_text("id,kind,country,origin\nA,material,CHN,Domestic\nB,chip,USA,FOREIGN\n", kEdges));
}

TEST_CASE("validation: country not three upper-case letters, with a hint for lower case") {
  auto r = load_text("id,kind,country\nA,material,chn\nB,chip,CHINA\nC,chip,C1N\n", "supplier,consumer\nA,B\nA,C\n");
  auto bad = all(r, "bad-country");
  REQUIRE(bad.size() == 3);
  CHECK(where(*bad[0]) == "nodes.csv:2:12");
  CHECK(bad[0]->message == "country 'chn' is not three upper-case letters (ISO 3166-1 alpha-3)");
  CHECK(bad[0]->hint == "write it in upper case: 'CHN'");
  CHECK(where(*bad[1]) == "nodes.csv:3:8");
  CHECK(contains(bad[1]->hint, "alpha-3 code"));
  CHECK(where(*bad[2]) == "nodes.csv:4:8");
  CHECK_FALSE(r.graph);
  require_clean(load_text(kNodes, kEdges));
}

TEST_CASE("validation: value_musd negative, NaN, infinite or not a number") {
  struct Case {
    const char* text;
    const char* message;
  };
  for (Case c : {Case{"-1", "value_musd '-1' is negative"}, Case{"-0.5", "value_musd '-0.5' is negative"},
                 Case{"nan", "value_musd 'nan' is not a finite number"}, Case{"NaN", "value_musd 'NaN' is not a finite number"},
                 Case{"inf", "value_musd 'inf' is not a finite number"}, Case{"-inf", "value_musd '-inf' is not a finite number"},
                 Case{"1e400", "value_musd '1e400' is not a finite number"}, Case{"12 musd", "value_musd '12 musd' is not a finite number"},
                 Case{"1,5", "value_musd '1,5' is not a finite number"}}) {
    CAPTURE(c.text);
    auto r = load_text(fmt::format("id,kind,country,value_musd\nA,material,CHN,\"{}\"\nB,chip,USA,1\n", c.text), kEdges);
    const auto& d = only(r, "bad-value");
    CHECK(where(d) == "nodes.csv:2:16");
    CHECK(d.message == c.message);
    CHECK_FALSE(d.hint.empty());
    CHECK_FALSE(r.graph);
  }
  for (const char* text : {"0", "12.5", "1e3", "+7"}) {
    CAPTURE(text);
    require_clean(load_text(fmt::format("id,kind,country,value_musd\nA,material,CHN,{}\nB,chip,USA,1\n", text), kEdges));
  }
}

TEST_CASE("validation: a row with fewer fields than the header") {
  auto r = load_text("id,kind,country\nA,material,CHN\nB,chip\n", kEdges);
  const auto& d = only(r, "missing-fields");
  CHECK(where(d) == "nodes.csv:3:3");  // at the last field the row has
  CHECK(d.message == "row has 2 fields, the header has 3");
  CHECK(contains(d.hint, "add the missing commas"));
  CHECK_FALSE(r.graph);
  // An empty last field still counts as a field.
  require_clean(load_text("id,kind,country,stage\nA,material,CHN,\nB,chip,USA,\n", kEdges));
}

TEST_CASE("validation: a row with more fields than the header") {
  auto r = load_text("id,name,kind,country\nA,Tokyo Electron, Ltd.,material,JPN\nB,Beta,chip,USA\n", kEdges);
  const auto& d = only(r, "extra-fields");
  CHECK(where(d) == "nodes.csv:2:33");  // the first field the header has no column for
  CHECK(d.message == "row has 5 fields, the header has 4");
  CHECK(contains(d.hint, "must be quoted"));
  CHECK_FALSE(r.graph);
  require_clean(load_text("id,name,kind,country\nA,\"Tokyo Electron, Ltd.\",material,JPN\nB,Beta,chip,USA\n", kEdges));
}

TEST_CASE("validation: malformed quoting") {
  auto r = load_text("id,name,kind,country\nA,5\" wafer,material,CHN\nB,\"Beta\"x,chip,USA\nC,\"Gamma,chip,USA\n",
                     "supplier,consumer\nA,B\n");
  auto bad = all(r, "malformed-quoting");
  REQUIRE(bad.size() == 3);
  CHECK(where(*bad[0]) == "nodes.csv:2:4");
  CHECK(bad[0]->message == "quote character inside an unquoted field");
  CHECK(contains(bad[0]->hint, "double the quotes"));
  CHECK(where(*bad[1]) == "nodes.csv:3:9");
  CHECK(bad[1]->message == "unexpected text after the closing quote of a field");
  CHECK(where(*bad[2]) == "nodes.csv:4:3");  // reported at the quote that opens it
  CHECK(contains(bad[2]->message, "never closed"));
  CHECK_FALSE(r.graph);
  // Quoted fields may hold commas, doubled quotes and line breaks.
  auto ok = load_text("id,name,kind,country\nA,\"5\"\" wafer, polished\nand diced\",material,CHN\nB,Beta,chip,USA\n", kEdges);
  require_clean(ok);
  CHECK(ok.graph->name(node(*ok.graph, "A")) == "5\" wafer, polished\nand diced");
}

TEST_CASE("validation: positions are physical lines, also after a field with a line break") {
  auto r = load_text("id,name,kind,country\nA,\"two\nlines\",fabb,CHN\nB,Beta,chip,USA\n", kEdges);
  // The record starts on line 2; its kind field starts on line 3, after 'lines",'.
  CHECK(where(only(r, "unknown-kind")) == "nodes.csv:3:8");
}

TEST_CASE("validation: a semicolon-delimited file gets a hint") {
  auto r = load_text("id;kind;country\nA;material;CHN\nB;chip;USA\n", kEdges);
  const auto& d = only(r, "semicolon-delimited");
  CHECK(where(d) == "nodes.csv:1:1");
  CHECK(contains(d.message, "semicolon-delimited"));
  CHECK(contains(d.hint, "comma"));
  CHECK(count(r, "missing-column") == 0);  // one precise error instead of two vague ones
  CHECK_FALSE(r.graph);
  auto edges = load_text(kNodes, "supplier;consumer\nA;B\n");
  CHECK(where(only(edges, "semicolon-delimited")) == "edges.csv:1:1");
  // A semicolon inside a field of a comma-separated file is just text.
  require_clean(load_text("id,name,kind,country\nA,\"x;y\",material,CHN\nB,b;c,chip,USA\n", kEdges));
}

// ---------------------------------------------------------------------------------------------
// Warnings: the graph is still built.

TEST_CASE("validation: isolated node is a warning") {
  auto r = load_text("id,kind,country\nA,material,CHN\nB,chip,USA\nC,chip,USA\n", kEdges);
  const auto& d = only(r, "isolated-node");
  CHECK(d.severity == Severity::warning);
  CHECK(where(d) == "nodes.csv:4:0");
  CHECK(d.message == "node 'C' has no suppliers and supplies nothing");
  CHECK(r.graph);
  CHECK(r.diagnostics.error_count() == 0);
  require_clean(load_text("id,kind,country\nA,material,CHN\nB,chip,USA\nC,chip,USA\n", "supplier,consumer\nA,B\nA,C\n"));
}

TEST_CASE("validation: shares of a requirement below 1 are a warning about unmapped supply") {
  const char* nodes = "id,kind,country\nA,material,CHN\nB,chip,USA\nC,material,JPN\n";
  auto r = load_text(nodes, "supplier,consumer,input,share\nC,B,w,0.25\nA,B,w,35%\n");
  const auto& d = only(r, "shares-below-one");
  CHECK(d.severity == Severity::warning);
  CHECK(where(d) == "edges.csv:2:7");  // the first share of the requirement in the file
  CHECK(d.message == "shares of requirement 'w' of 'B' add up to 0.6: 40 % of it is unmapped supply");
  REQUIRE(r.graph);
  // 1 - 0.25 - 0.35 of the requirement is unmapped
  const auto& g = *r.graph;
  CHECK(g.unmapped(g.req_begin(node(g, "B"))) == doctest::Approx(0.4));
  require_clean(load_text(nodes, "supplier,consumer,input,share\nC,B,w,0.6\nA,B,w,40%\n"));
}

TEST_CASE("validation: origin contradicting country is a warning, the explicit origin wins") {
  auto r = load_text("id,kind,country,origin\nA,material,USA,domestic\nB,chip,CHN,foreign\n", kEdges);
  auto w = all(r, "origin-contradicts-country");
  REQUIRE(w.size() == 2);
  CHECK(w[0]->severity == Severity::warning);
  CHECK(where(*w[0]) == "nodes.csv:2:16");
  CHECK(w[0]->message == "origin domestic contradicts country USA (home is CHN)");
  CHECK(where(*w[1]) == "nodes.csv:3:12");
  CHECK(w[1]->message == "origin foreign contradicts country CHN (home is CHN)");
  REQUIRE(r.graph);
  CHECK(r.graph->origin(node(*r.graph, "A")) == Origin::domestic);
  CHECK(r.graph->origin(node(*r.graph, "B")) == Origin::foreign);
  require_clean(load_text("id,kind,country,origin\nA,material,CHN,domestic\nB,chip,USA,foreign\n", kEdges));
}

TEST_CASE("validation: an empty value cell is a warning and weighs 0") {
  auto r = load_text("id,kind,country,value_musd\nA,material,CHN,\nB,chip,USA,7.5\n", kEdges);
  const auto& d = only(r, "empty-value");
  CHECK(d.severity == Severity::warning);
  CHECK(where(d) == "nodes.csv:2:16");
  CHECK(contains(d.message, "weight 0"));
  REQUIRE(r.graph);
  CHECK(r.graph->weight(node(*r.graph, "A")) == 0.0);
  CHECK(r.graph->weight(node(*r.graph, "B")) == 7.5);
  require_clean(load_text("id,kind,country,value_musd\nA,material,CHN,0\nB,chip,USA,7.5\n", kEdges));
}

TEST_CASE("validation: an aggregate without suppliers is a warning") {
  auto r = load_text("id,kind,country\nA,material,CHN\nB,chip,USA\nALL,category,\n", "supplier,consumer\nA,B\nALL,B\n");
  const auto& d = only(r, "empty-aggregate");
  CHECK(d.severity == Severity::warning);
  CHECK(where(d) == "nodes.csv:4:0");
  CHECK(contains(d.message, "'ALL' has no suppliers"));
  CHECK(r.graph);
  require_clean(load_text("id,kind,country\nA,material,CHN\nB,chip,USA\nALL,category,\n", "supplier,consumer\nA,B\nB,ALL\n"));
}

TEST_CASE("validation: a file with a header and no rows is a warning") {
  auto r = load_text("id,kind,country\n", "supplier,consumer\n");
  auto w = all(r, "no-rows");
  REQUIRE(w.size() == 2);
  CHECK(where(*w[0]) == "edges.csv:1:0");
  CHECK(where(*w[1]) == "nodes.csv:1:0");
  CHECK(w[1]->message == "the file has a header row but no nodes");
  CHECK(r.diagnostics.error_count() == 0);
  // Rows that were all refused already have their errors: no extra warning then.
  auto bad = load_text("id,kind,country\nA,material\n", "supplier,consumer\n");
  CHECK(count(bad, "no-rows") == 1);  // only edges.csv
}

// ---------------------------------------------------------------------------------------------
// How the loader reports, and what it builds

TEST_CASE("validation: every problem is reported at once and no graph is returned") {
  auto r = load_text("id,kind,country\nA,fabb,CHN\nB,chip,usa\nA,chip,USA\n",
                     "supplier,consumer,share\nA,B,2\nA,Q,0.5\n");
  // 1 unknown kind, 2 bad country, 3 duplicate id, 4 share out of range, 5 unknown consumer
  INFO(listing(r));
  CHECK(r.diagnostics.error_count() == 5);
  for (const char* code : {"unknown-kind", "bad-country", "duplicate-id", "bad-share", "unknown-id"}) CHECK(count(r, code) == 1);
  CHECK_FALSE(r.graph);
}

TEST_CASE("validation: columns in any order and any case") {
  auto r = load_text("Value_MUSD,COUNTRY,Kind,Name,ID\n10,CHN,material,Wafers,A\n5,USA,chip,Chip,B\n",
                     "Share,CONSUMER,Input,Supplier\n0.5,B,wafer,A\n");
  REQUIRE(r.graph);
  CHECK(count(r, "shares-below-one") == 1);
  CHECK(r.diagnostics.error_count() == 0);
  const auto& g = *r.graph;
  NodeId a = node(g, "A"), b = node(g, "B");
  CHECK(g.name(a) == "Wafers");
  CHECK(g.kind(a) == Kind::material);
  CHECK(g.country(b) == "USA");
  CHECK(g.weight(a) == 10.0);
  REQUIRE(g.requirement_count(b) == 1);
  CHECK(g.input(g.req_begin(b)) == "wafer");
  CHECK(g.suppliers(g.req_begin(b))[0].supplier == a);
  CHECK(g.suppliers(g.req_begin(b))[0].share == 0.5);
}

TEST_CASE("validation: extra node columns are kept as attributes") {
  auto r = load_text("id,Ticker,kind,country,note\nA,688981.SS,material,CHN,\"big, old\"\nB,,chip,USA,\n", kEdges);
  require_clean(r);
  const auto& g = *r.graph;
  REQUIRE(g.attribute_names() == std::vector<std::string>{"Ticker", "note"});
  CHECK(g.attribute(0, node(g, "A")) == "688981.SS");
  CHECK(g.attribute(1, node(g, "A")) == "big, old");
  CHECK(g.attribute(0, node(g, "B")).empty());
}

TEST_CASE("validation: origin is derived from country and home, or the node is an aggregate") {
  auto r = load_text("id,kind,country,origin\nH,material,CHN,\nF,material,JPN,\nAG,category,,\nE,chip,,foreign\n",
                     "supplier,consumer\nH,AG\nF,AG\nAG,E\n", "CHN");
  require_clean(r);
  const auto& g = *r.graph;
  CHECK(g.origin(node(g, "H")) == Origin::domestic);   // country == home
  CHECK(g.origin(node(g, "F")) == Origin::foreign);    // another country
  CHECK(g.origin(node(g, "AG")) == Origin::aggregate);  // a category with neither
  CHECK(g.origin(node(g, "E")) == Origin::foreign);    // explicit origin without country
  // The same data with another home turns the origins around.
  auto jpn = load_text("id,kind,country\nH,material,CHN\nF,material,JPN\n", "supplier,consumer\nH,F\n", "JPN");
  require_clean(jpn);
  CHECK(jpn.graph->origin(node(*jpn.graph, "H")) == Origin::foreign);
  CHECK(jpn.graph->origin(node(*jpn.graph, "F")) == Origin::domestic);
  // A producer with neither origin nor country is an error at its (empty) country cell...
  auto missing = load_text("id,kind,country\nA,material,CHN\nB,chip,\n", kEdges);
  const auto& d = only(missing, "missing-origin");
  CHECK(where(d) == "nodes.csv:3:8");
  CHECK(d.message == "node 'B' has neither origin nor country");
  CHECK(contains(d.hint, "category"));
  CHECK_FALSE(missing.graph);
  // ... or on the row when there is no country column.
  auto no_column = load_text("id,kind\nA,material\nB,chip\n", kEdges);
  CHECK(count(no_column, "missing-origin") == 2);
  CHECK(where(*all(no_column, "missing-origin")[0]) == "nodes.csv:2:0");
}

TEST_CASE("validation: weights are value_musd, 1 without the column") {
  auto counted = load_text(kNodes, kEdges);
  require_clean(counted);
  CHECK_FALSE(counted.graph->has_value_column());
  CHECK(counted.graph->weight(0) == 1.0);
  CHECK(counted.graph->weight(1) == 1.0);
  CHECK(counted.graph->total_weight() == 2.0);
  auto valued = load_text("id,kind,country,value_musd\nA,material,CHN,2.5\nB,chip,USA,40\n", kEdges);
  require_clean(valued);
  CHECK(valued.graph->has_value_column());
  CHECK(valued.graph->total_weight() == 42.5);
}

TEST_CASE("validation: the input defaults to the supplier's id, and 35% is 0.35") {
  const char* nodes = "id,kind,country\nA,material,CHN\nC,material,JPN\nB,chip,USA\n";
  auto r = load_text(nodes, "supplier,consumer,input,share\nA,B,,35%\nC,B,,0.65\n");
  CHECK(r.diagnostics.error_count() == 0);
  REQUIRE(r.graph);
  const auto& g = *r.graph;
  NodeId b = node(g, "B");
  // Two requirements (AND), named after the suppliers, each with its own share.
  REQUIRE(g.requirement_count(b) == 2);
  CHECK(g.input(g.req_begin(b)) == "A");
  CHECK(g.suppliers(g.req_begin(b))[0].share == doctest::Approx(0.35));
  CHECK(g.input(g.req_begin(b) + 1) == "C");
  CHECK(g.suppliers(g.req_begin(b) + 1)[0].share == doctest::Approx(0.65));
  // With the same explicit input they are alternatives (OR) of one requirement.
  auto alt = load_text(nodes, "supplier,consumer,input,share\nA,B,x,35%\nC,B,x,0.65\n");
  require_clean(alt);
  CHECK(alt.graph->requirement_count(node(*alt.graph, "B")) == 1);
}

// ---------------------------------------------------------------------------------------------
// Datasets: layouts and dataset.toml

namespace {

const char* kToml = "name = \"Tiny\"\nhome = \"CHN\"\n[target]\nshare = 0.7\nyear = 2028\nmetric = \"effective\"\n";

std::string display(const std::filesystem::path& p) { return p.lexically_normal().generic_string(); }

struct Opened {
  std::optional<Dataset> dataset;
  Diagnostics diagnostics;
};

Opened open(const std::filesystem::path& path, std::optional<std::string> home = std::nullopt) {
  Opened o;
  o.dataset = open_dataset(path, home, o.diagnostics);
  return o;
}

const Diagnostic& only(const Diagnostics& diag, std::string_view code) {
  std::string text;
  std::vector<const Diagnostic*> found;
  for (const auto& d : diag.entries()) {
    text += format_diagnostic(d) + "\n";
    if (d.code == code) found.push_back(&d);
  }
  INFO(text);
  REQUIRE(found.size() == 1);
  return *found.front();
}

}  // namespace

TEST_CASE("validation: dataset.toml with yearly snapshots; the latest by default; unknown years listed") {
  TempDir dir;
  dir.write("dataset.toml", kToml);
  for (const char* year : {"2024", "2019"}) {
    dir.write(fmt::format("snapshots/{}/nodes.csv", year), kNodes);
    dir.write(fmt::format("snapshots/{}/edges.csv", year), kEdges);
  }
  auto o = open(dir.path());
  REQUIRE(o.dataset);
  CHECK(o.diagnostics.empty());
  const Dataset& ds = *o.dataset;
  CHECK(ds.name == "Tiny");
  CHECK(ds.home == "CHN");
  REQUIRE(ds.target);
  CHECK(ds.target->share == 0.7);
  CHECK(ds.target->year == 2028);
  CHECK(ds.target->metric == Metric::effective);
  REQUIRE(ds.snapshots.size() == 2);
  CHECK(ds.snapshots[0].year == 2019);  // ascending, whatever the directory order
  CHECK(ds.snapshots[1].year == 2024);
  CHECK(ds.snapshots[1].nodes_display == display(dir.path() / "snapshots/2024/nodes.csv"));

  Diagnostics diag;
  const SnapshotFiles* latest = select_snapshot(ds, std::nullopt, diag);
  REQUIRE(latest);
  CHECK(latest->year == 2024);
  const SnapshotFiles* y2019 = select_snapshot(ds, 2019, diag);
  REQUIRE(y2019);
  CHECK(y2019->year == 2019);
  CHECK(diag.empty());
  CHECK(select_snapshot(ds, 2030, diag) == nullptr);
  const auto& d = only(diag, "unknown-year");
  CHECK(d.message == "no snapshot for year 2030");
  CHECK(d.hint == "available years: 2019, 2024");
}

TEST_CASE("validation: a folder under snapshots/ that is not a year is ignored with a warning") {
  TempDir dir;
  dir.write("dataset.toml", kToml);
  dir.write("snapshots/2024/nodes.csv", kNodes);
  dir.write("snapshots/2024/edges.csv", kEdges);
  dir.write("snapshots/latest/nodes.csv", kNodes);
  auto o = open(dir.path());
  REQUIRE(o.dataset);
  CHECK(o.dataset->snapshots.size() == 1);
  CHECK(only(o.diagnostics, "snapshot-name").severity == Severity::warning);
}

TEST_CASE("validation: single-snapshot layout takes its year from dataset.toml") {
  TempDir dir;
  dir.write("dataset.toml", std::string(kToml).insert(0, "year = 2023\n"));
  dir.write("nodes.csv", kNodes);
  dir.write("edges.csv", kEdges);
  auto o = open(dir.path());
  REQUIRE(o.dataset);
  CHECK(o.diagnostics.empty());
  REQUIRE(o.dataset->snapshots.size() == 1);
  const SnapshotFiles& s = o.dataset->snapshots[0];
  CHECK(s.year == 2023);
  CHECK(s.nodes == dir.path() / "nodes.csv");
  CHECK(s.edges == dir.path() / "edges.csv");
  Diagnostics diag;
  auto g = load_snapshot(s, o.dataset->home, diag);
  CHECK(g);
  CHECK(diag.empty());
}

TEST_CASE("validation: a bare CSV pair needs --home") {
  TempDir dir;
  auto nodes = dir.write("nodes.csv", kNodes);
  dir.write("edges.csv", kEdges);
  auto with_home = open(nodes, "CHN");
  REQUIRE(with_home.dataset);
  CHECK(with_home.diagnostics.empty());
  CHECK(with_home.dataset->home == "CHN");
  REQUIRE(with_home.dataset->snapshots.size() == 1);
  CHECK(with_home.dataset->snapshots[0].year == 0);
  CHECK(with_home.dataset->snapshots[0].edges == dir.path() / "edges.csv");
  CHECK(with_home.dataset->name == dir.path().filename().string());  // named after its folder
  // ... also when the folder is written "." (a pair in the current folder).
  auto dotted = open(dir.path() / "." / "nodes.csv", "CHN");
  REQUIRE(dotted.dataset);
  CHECK(dotted.dataset->name == dir.path().filename().string());

  auto without = open(nodes);
  CHECK_FALSE(without.dataset);
  const auto& d = only(without.diagnostics, "missing-home");
  CHECK(contains(d.hint, "--home CHN"));

  auto lower = open(nodes, "chn");
  CHECK_FALSE(lower.dataset);
  CHECK(only(lower.diagnostics, "bad-home").file == "--home");

  auto nowhere = open(dir.path() / "missing.csv", "CHN");
  CHECK_FALSE(nowhere.dataset);
  CHECK(only(nowhere.diagnostics, "dataset-missing").message == "no such file or directory");
}

TEST_CASE("validation: --home overrides dataset.toml") {
  TempDir dir;
  dir.write("dataset.toml", kToml);
  dir.write("nodes.csv", kNodes);
  dir.write("edges.csv", kEdges);
  auto o = open(dir.path(), "USA");
  REQUIRE(o.dataset);
  CHECK(o.dataset->home == "USA");
}

TEST_CASE("validation: dataset.toml errors carry the line and column of the value") {
  auto manifest_error = [](const std::string& toml, std::string_view code) {
    TempDir dir;
    dir.write("dataset.toml", toml);
    dir.write("nodes.csv", kNodes);
    dir.write("edges.csv", kEdges);
    auto o = open(dir.path());
    CHECK_FALSE(o.dataset);
    Diagnostic d = only(o.diagnostics, code);
    CHECK(d.file == display(dir.path() / "dataset.toml"));
    return d;
  };
  SUBCASE("bad home") {
    auto d = manifest_error("name = \"x\"\nhome = \"China\"\n", "bad-home");
    CHECK(d.line == 2);
    CHECK(d.column == 8);
    CHECK(d.message == "home 'China' is not an ISO 3166-1 alpha-3 code");
  }
  SUBCASE("missing home") {
    auto d = manifest_error("name = \"x\"\n", "missing-home");
    CHECK(contains(d.hint, "home = \"CHN\""));
  }
  SUBCASE("target share out of range, or written as a percentage") {
    for (const char* share : {"70", "0", "-0.1", "\"70%\""}) {
      CAPTURE(share);
      auto d = manifest_error(fmt::format("home = \"CHN\"\n\n[target]\nshare = {}\nyear = 2028\n", share), "bad-target");
      CHECK(d.line == 4);
      CHECK(d.column == 9);
      CHECK(d.message == "target share must be a number in (0,1]");
      CHECK(contains(d.hint, "0.70"));
    }
  }
  SUBCASE("target metric unknown") {
    auto d = manifest_error("home = \"CHN\"\n[target]\nmetric = \"nominl\"\n", "bad-target");
    CHECK(d.line == 3);
    CHECK(contains(d.message, "nominal, effective, localization"));
  }
  SUBCASE("TOML syntax error") {
    auto d = manifest_error("name = \"x\"\nhome = \"CHN\n[target]\n", "toml-syntax");
    CHECK(d.line == 2);
    CHECK(d.column > 0);
    CHECK_FALSE(d.message.empty());
  }
  SUBCASE("wrong type") {
    auto d = manifest_error("home = \"CHN\"\nyear = \"2024\"\n", "toml-type");
    CHECK(d.line == 2);
    CHECK(d.message == "'year' must be an integer");
  }
}
