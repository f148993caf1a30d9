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
