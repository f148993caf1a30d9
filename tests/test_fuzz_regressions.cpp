// Hostile-content regressions: each case is a problem found while fuzzing or building the
// bad-input corpus, kept so that it stays fixed (docs/HARDENING.md lists them).
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "graph/reliance.hpp"
#include "reports/dot_builder.hpp"
#include "reports/escape.hpp"
#include "run_program.hpp"
#include "test_support.hpp"

using namespace scgraph;
using scgraph::test::load_text;
using scgraph::test::TempDir;

namespace {

std::string listing(const test::LoadedText& r) {
  std::string out;
  for (const auto& d : r.diagnostics.entries()) out += format_diagnostic(d) + "\n";
  return out;
}

std::size_t count(const std::string& text, char c) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), c)); }

}  // namespace

TEST_CASE("fuzz regression: control characters of the data are shown as escapes in diagnostics") {
  // Found with the bad-input corpus: an id holding ESC or a line break went raw into the message,
  // so a CSV file could drive the terminal or print a fake diagnostic line.
  auto r = load_text("id,kind,country\nA,material,CHN\nB,chip,USA\n", "supplier,consumer\nA,\"B\x1b[31m\nnodes.csv:9:9: error: fake\"\n");
  const std::string text = listing(r);
  CHECK(text ==
        "edges.csv:2:3: error: unknown consumer id 'B\\x1B[31m\\nnodes.csv:9:9: error: fake'\n"
        "  hint: every consumer must be an id defined in nodes.csv\n"
        "nodes.csv:3: warning: node 'B' has no suppliers and supplies nothing\n"
        "  hint: add its edges, or remove it if it does not belong to this snapshot\n");
  // One line for each message and one for each hint (A is named by the refused edge, so it is not
  // called isolated): 2 diagnostics, 4 line breaks, no ESC.
  CHECK(count(text, '\n') == 4);
  CHECK(count(text, '\x1b') == 0);
  // The diagnostic itself keeps the id as it is (JSON output escapes it by itself).
  CHECK(r.find("unknown-id")->message == "unknown consumer id 'B\x1b[31m\nnodes.csv:9:9: error: fake'");
}

TEST_CASE("fuzz regression: a long id is cut on a character boundary in messages") {
  // 119 ASCII bytes then two-byte characters: byte 120 is the second byte of an 'é'. The message
  // used to cut there and hold half a character (invalid UTF-8).
  std::string id(119, 'a');
  for (int i = 0; i < 20; ++i) id += "\xC3\xA9";
  auto r = load_text("id,kind,country\n" + id + ",material,CHN\nB,chip,USA\n", "supplier,consumer\n" + id + "x,B\n");
  const auto* d = r.find("unknown-id");
  REQUIRE(d);
  CHECK(out::valid_utf8(d->message) == d->message);
  CHECK(d->message == "unknown supplier id '" + std::string(119, 'a') + "...'");
}

TEST_CASE("fuzz regression: JSON output is valid UTF-8; invalid bytes are refused by the validator at their position") {
  TempDir dir;
  // 0xE9 (Latin-1 e acute) in a name on line 3, after "B,B" (3 characters): column 4.
  dir.write("bad/nodes.csv", "id,name,kind,country\nA,Alpha,material,CHN\nB,B\xE9ta,chip,USA\n");
  dir.write("bad/edges.csv", "supplier,consumer\nA,B\n");
  auto bad = test::run_program(SCGRAPH_BINARY, {"validate", "bad/nodes.csv", "--home", "CHN", "--format", "json"}, dir.path());
  CHECK(bad.status == "1");
  auto doc = nlohmann::json::parse(bad.out);  // throws on invalid UTF-8
  bool found = false;
  for (const auto& d : doc["diagnostics"])
    if (d["code"] == "invalid-utf8") {
      found = true;
      CHECK(d["file"] == "bad/nodes.csv");
      CHECK(d["line"] == 3);
      CHECK(d["column"] == 4);
      CHECK(d["message"] == "invalid UTF-8 (byte 0xE9)");
    }
  CHECK_MESSAGE(found, bad.out);

  // Control characters in a name (tab, 0x01, ESC, a line break) are valid data: JSON escapes them
  // and reads back the same text.
  const std::string name = "Tab\there\x01 esc\x1b[31m red\nline";
  dir.write("ok/nodes.csv", "id,name,kind,country\nA,\"" + name + "\",material,CHN\nB,B\xC3\xA9ta,chip,USA\n");
  dir.write("ok/edges.csv", "supplier,consumer\nA,B\n");
  auto ok = test::run_program(SCGRAPH_BINARY, {"show", "ok/nodes.csv", "A", "--home", "CHN", "--format", "json"}, dir.path());
  REQUIRE(ok.status == "0");
  CHECK(ok.out.find('\x1b') == std::string::npos);
  CHECK(ok.out.find('\x01') == std::string::npos);
  auto shown = nlohmann::json::parse(ok.out);
  CHECK(shown["node"]["name"] == name);
}

TEST_CASE("fuzz regression: a supplier of the chokepoint that is also downstream of it is drawn once") {
  // Found by fuzz_render: in the cycle A -> B -> C -> A, C supplies the chokepoint A and also loses
  // availability when A is knocked out. The focus graph declared C twice (once per role) and
  // counted 4 nodes for 3 drawn.
  auto r = load_text("id,kind,country\nA,material,CHN\nB,fab,USA\nC,chip,CHN\n", "supplier,consumer\nA,B\nB,C\nC,A\n");
  REQUIRE(r.graph);
  const SupplyGraph& g = *r.graph;
  const NodeId a = *g.find("A"), c = *g.find("C");
  const NodeValues before = evaluate(g);
  Knockout ko;
  ko.node_out.assign(g.node_count(), 0);
  ko.node_out[a] = 1;
  const std::vector<double> after = evaluate(g, ko).availability;
  // The cycle has no other supply: every availability is 1 before; without A, B and C get 0.
  REQUIRE(before.availability[c] == 1.0);
  REQUIRE(after[c] == 0.0);
  const out::DotGraph focus = out::focus_dot(g, before, a, 1, after);
  CHECK(focus.nodes == 3);
  CHECK(focus.edges == 3);
  const std::string c_statement = "  n" + std::to_string(c) + " [";
  const std::size_t first = focus.dot.find(c_statement);
  REQUIRE(first != std::string::npos);
  CHECK(focus.dot.find(c_statement, first + 1) == std::string::npos);
  // Drawn once, with what losing A does to it: it cannot produce (red outline, 100 % -> 0 %).
  const std::string line = focus.dot.substr(first, focus.dot.find('\n', first) - first);
  CHECK(line.find("availability 100\xC2\xA0% \xE2\x86\x92 0\xC2\xA0%") != std::string::npos);
  CHECK(line.find(std::string("color=\"") + out::chokepoint_colour + "\", penwidth=2.5") != std::string::npos);
}
