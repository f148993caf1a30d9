// The bad-input corpus: malformed files each reported with the exact message and position that
// tests/bad-input/CASE.expected states (see tests/bad-input/README.md), plus generated cases too
// big to commit.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace scgraph;
using scgraph::test::TempDir;

namespace {

struct Outcome {
  std::string text;  // every diagnostic as the user reads it, sorted, one after the other
  bool loaded = false;
  bool errors = false;
};

Outcome load_pair(const fs::path& dir, const std::string& display_prefix, const LoadLimits& limits = {}) {
  SnapshotFiles files;
  files.nodes = dir / "nodes.csv";
  files.edges = dir / "edges.csv";
  files.nodes_display = display_prefix + "nodes.csv";
  files.edges_display = display_prefix + "edges.csv";
  Diagnostics diag;
  Outcome out;
  out.loaded = load_snapshot(files, "CHN", diag, limits).has_value();
  diag.sort();
  for (const auto& d : diag.entries()) out.text += format_diagnostic(d) + "\n";
  out.errors = diag.has_errors();
  return out;
}

// The expectation without its '#' comment lines.
std::string expectation(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text(std::istreambuf_iterator<char>(in), {}), out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    end = end == std::string::npos ? text.size() : end + 1;
    if (text[at] != '#') out += text.substr(at, end - at);
    at = end;
  }
  return out;
}

fs::path corpus() { return fs::path(SCGRAPH_SOURCE_DIR) / "tests" / "bad-input"; }

}  // namespace

TEST_CASE("bad input: every case of the corpus is reported exactly as expected") {
  std::vector<std::string> cases, folders;
  for (const auto& entry : fs::directory_iterator(corpus())) {
    if (entry.path().extension() == ".expected") cases.push_back(entry.path().stem().string());
    if (entry.is_directory()) folders.push_back(entry.path().filename().string());
  }
  std::sort(cases.begin(), cases.end());
  std::sort(folders.begin(), folders.end());
  CHECK_MESSAGE(cases == folders, "every case folder has its CASE.expected, and every CASE.expected its folder");
  REQUIRE_FALSE(cases.empty());
  for (const auto& name : cases) {
    CAPTURE(name);
    const std::string expected = expectation(corpus() / (name + ".expected"));
    const Outcome got = load_pair(corpus() / name, name + "/");
    CHECK(got.text == expected);
    // No snapshot is built when an error stands; warnings alone do not stop it.
    CHECK(got.loaded == !got.errors);
    CHECK(got.errors == (expected.find(": error: ") != std::string::npos));
  }
}

TEST_CASE("bad input: a field above the size limit is refused, one at the limit is not (generated)") {
  const std::size_t limit = LoadLimits{}.max_field_bytes;  // --max-field-bytes default: 1 MiB
  const std::string edges = "supplier,consumer\nSI,FAB\n";
  auto nodes_with = [](const std::string& big_field) {
    return "id,name,kind,country\nSI,Silicon,material,CHN\nBIG," + big_field + ",material,CHN\nFAB,Foundry,fab,CHN\n";
  };
  SUBCASE("unquoted, one byte over: the record is dropped, the rows after it are read") {
    TempDir dir;
    dir.write("nodes.csv", nodes_with(std::string(limit + 1, 'x')));
    dir.write("edges.csv", edges);
    auto got = load_pair(dir.path(), "");
    CHECK(got.text ==
          "nodes.csv:3:5: error: field is larger than 1048576 bytes\n"
          "  hint: look for a missing closing quote at or before this field, or raise the field size limit\n");
    CHECK_FALSE(got.loaded);
  }
  SUBCASE("quoted, the quotes count") {
    TempDir dir;
    dir.write("nodes.csv", nodes_with("\"" + std::string(limit - 1, 'x') + "\""));
    dir.write("edges.csv", edges);
    auto got = load_pair(dir.path(), "");
    CHECK(got.text.starts_with("nodes.csv:3:5: error: field is larger than 1048576 bytes\n"));
  }
  SUBCASE("exactly at the limit: accepted") {
    TempDir dir;
    dir.write("nodes.csv", nodes_with(std::string(limit, 'x')));
    dir.write("edges.csv", "supplier,consumer\nSI,FAB\nSI,BIG\n");
    auto got = load_pair(dir.path(), "");
    CHECK(got.text.empty());
    CHECK(got.loaded);
  }
  SUBCASE("a smaller limit given to the loader (--max-field-bytes)") {
    TempDir dir;
    dir.write("nodes.csv", nodes_with("twelve bytes"));
    dir.write("edges.csv", edges);
    LoadLimits small;
    small.max_field_bytes = 11;
    auto got = load_pair(dir.path(), "", small);
    CHECK(got.text.starts_with("nodes.csv:3:5: error: field is larger than 11 bytes\n"));
    small.max_field_bytes = 12;
    auto at_limit = load_pair(dir.path(), "", small);
    CHECK(at_limit.loaded);
    CHECK(at_limit.text == "nodes.csv:3: warning: node 'BIG' has no suppliers and supplies nothing\n"
                           "  hint: add its edges, or remove it if it does not belong to this snapshot\n");
  }
}

namespace {

// A supply chain N0 -> N1 -> ... -> N(n-1), one node per line; `extra_edges` go after the chain's.
// Node i is on line i + 2 of nodes.csv, edge i (N(i) -> N(i+1)) on line i + 2 of edges.csv.
void write_chain(const TempDir& dir, std::size_t n, const std::string& extra_edges) {
  std::string nodes = "id,kind,country\n", edges = "supplier,consumer\n";
  nodes.reserve(n * 20);
  edges.reserve(n * 16);
  for (std::size_t i = 0; i < n; ++i) nodes += "N" + std::to_string(i) + (i % 2 ? ",fab,CHN\n" : ",material,USA\n");
  for (std::size_t i = 0; i + 1 < n; ++i) edges += "N" + std::to_string(i) + ",N" + std::to_string(i + 1) + "\n";
  dir.write("nodes.csv", nodes);
  dir.write("edges.csv", edges + extra_edges);
}

}  // namespace

TEST_CASE("bad input: a deep chain loads, and problems at its far end are reported at their lines (generated)") {
  constexpr std::size_t n = 200'000;  // edges on lines 2 .. n; the extra rows on lines n + 1, n + 2, n + 3
  SUBCASE("clean") {
    TempDir dir;
    write_chain(dir, n, "");
    auto got = load_pair(dir.path(), "");
    CHECK(got.text.empty());
    CHECK(got.loaded);
  }
  SUBCASE("an unknown id, a repeated edge and a self-loop after 199,999 good edges") {
    TempDir dir;
    write_chain(dir, n, "N199999,N199998x\nN5,N6\nN7,N7\n");
    auto got = load_pair(dir.path(), "");
    // "N199999," is 8 characters: the consumer starts in column 9; "N7," is 3. Above 50,000 nodes
    // the loader does not search for a did-you-mean (it would compare with every id).
    CHECK(got.text ==
          "edges.csv:200001:9: error: unknown consumer id 'N199998x'\n"
          "  hint: every consumer must be an id defined in nodes.csv\n"
          "edges.csv:200002:1: error: duplicate edge 'N5' -> 'N6' for input 'N5' (first on line 7)\n"
          "  hint: merge the two rows into one with the combined share\n"
          "edges.csv:200003:4: error: node 'N7' supplies itself\n"
          "  hint: remove the row; a node cannot be its own supplier\n");
    CHECK_FALSE(got.loaded);
  }
}

TEST_CASE("bad input: a cycle through the whole chain is accepted (generated)") {
  // N(n-1) -> N0 closes a cycle of 200,000 nodes: one strong component, no diagnostic.
  TempDir dir;
  write_chain(dir, 200'000, "N199999,N0\n");
  auto got = load_pair(dir.path(), "");
  CHECK(got.text.empty());
  CHECK(got.loaded);
}

TEST_CASE("bad input: the node and edge caps are errors at the first row over them (generated)") {
  TempDir dir;
  write_chain(dir, 5, "");  // 5 nodes on lines 2-6, 4 edges on lines 2-5
  LoadLimits limits;
  limits.max_nodes = 4;
  auto nodes = load_pair(dir.path(), "", limits);
  // Reading stops at the cap: N4 on line 6 is not a node, so the edge N3 -> N4 names an unknown id
  // ("N3," is 3 characters).
  CHECK(nodes.text ==
        "edges.csv:5:4: error: unknown consumer id 'N4'\n"
        "  hint: did you mean 'N0'?\n"
        "nodes.csv:6: error: more than 4 nodes\n"
        "  hint: raise the node limit (--max-nodes) if this size is intended\n");
  CHECK_FALSE(nodes.loaded);
  limits.max_nodes = 5;
  limits.max_edges = 3;
  auto edges = load_pair(dir.path(), "", limits);
  CHECK(edges.text.starts_with("edges.csv:5: error: more than 3 edges\n"));
  CHECK_FALSE(edges.loaded);
  limits.max_edges = 4;  // exactly at both caps: loads
  CHECK(load_pair(dir.path(), "", limits).loaded);
}
