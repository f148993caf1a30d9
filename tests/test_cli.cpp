// The scgraph executable as scripts and people see it: stored cases in tests/cli/ (arguments,
// expected standard output, standard error and exit status), and --help of every subcommand.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "run_program.hpp"

namespace fs = std::filesystem;
using scgraph::test::ProgramResult;
using scgraph::test::read_whole_file;
using scgraph::test::run_scgraph;

namespace {

fs::path cases_dir() { return fs::path(SCGRAPH_SOURCE_DIR) / "tests" / "cli"; }

// Lines without their '\n'; a last line without one is kept.
std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

// The first place where two texts differ, as a small unified diff with two lines of context.
std::string first_difference(const std::string& expected, const std::string& actual) {
  auto e = split_lines(expected), a = split_lines(actual);
  std::size_t i = 0;
  while (i < e.size() && i < a.size() && e[i] == a[i]) ++i;
  if (i == e.size() && i == a.size()) return "  (the texts differ only in the final line break)\n";
  std::string out = "@@ line " + std::to_string(i + 1) + " @@\n";
  for (std::size_t c = i >= 2 ? i - 2 : 0; c < i; ++c) out += "  " + e[c] + "\n";
  out += i < e.size() ? "- " + e[i] + "\n" : "- (end of expected text)\n";
  out += i < a.size() ? "+ " + a[i] + "\n" : "+ (end of actual text)\n";
  return out;
}

// One argument per line; every line counts (an empty line is an empty argument).
std::vector<std::string> read_arguments(const fs::path& cmd) {
  std::string text = read_whole_file(cmd);
  std::vector<std::string> args;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto end = rest.find('\n');
    args.emplace_back(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  return args;
}

bool updating() {
  const char* v = std::getenv("SCGRAPH_UPDATE_EXPECTED");
  return v != nullptr && std::string_view(v) == "1";
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(cases_dir()))
    if (entry.path().extension() == ".cmd") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string quoted_command(const std::vector<std::string>& args) {
  std::string out = "scgraph";
  for (const auto& a : args) out += " " + (a.empty() || a.find(' ') != std::string::npos ? "'" + a + "'" : a);
  return out;
}

// Every mismatch of one case, or an empty text when it passes.
std::string check_case(const std::string& name) {
  const fs::path base = cases_dir() / name;
  const auto args = read_arguments(fs::path(base).concat(".cmd"));
  const ProgramResult got = run_scgraph(args);
  struct Stream {
    const char* suffix;
    const std::string& actual;
  };
  const std::string status = got.status + "\n";
  std::string problems;
  for (const Stream& s : {Stream{".stdout", got.out}, Stream{".stderr", got.err}, Stream{".status", status}}) {
    const fs::path file = fs::path(base).concat(s.suffix);
    if (updating()) {
      std::ofstream(file, std::ios::binary) << s.actual;
      continue;
    }
    if (!fs::exists(file)) {
      problems += file.filename().string() + " is missing (SCGRAPH_UPDATE_EXPECTED=1 writes it; review it before committing)\n";
      continue;
    }
    const std::string expected = read_whole_file(file);
    if (expected != s.actual) problems += file.filename().string() + " differs:\n" + first_difference(expected, s.actual);
  }
  if (problems.empty()) return {};
  return "case " + name + ": " + quoted_command(args) + "\n" + problems;
}

}  // namespace

TEST_CASE("cli: every stored case in tests/cli matches the real executable") {
  const auto names = case_names();
  REQUIRE_FALSE(names.empty());
  for (const auto& name : names) {
    CAPTURE(name);
    const std::string problems = check_case(name);
    if (!problems.empty()) FAIL_CHECK(problems);
  }
  if (updating()) MESSAGE("SCGRAPH_UPDATE_EXPECTED=1: rewrote the expectations of ", names.size(), " cases");
}

TEST_CASE("cli: the first difference of two texts is shown with its line") {
  CHECK(first_difference("a\nb\nc\nd\n", "a\nb\nc\nX\n") == "@@ line 4 @@\n  b\n  c\n- d\n+ X\n");
  CHECK(first_difference("a\n", "a\nb\n") == "@@ line 2 @@\n  a\n- (end of expected text)\n+ b\n");
  CHECK(first_difference("a\n", "a") == "  (the texts differ only in the final line break)\n");
}

// ---------------------------------------------------------------------------------------------
// --help of every subcommand, found by asking the executable (commands are added all the time).

namespace {

// The entries of a help section ("Subcommands:", "Options:", "Positionals:"): each is the text of
// its first line and whether a description follows, in the description column of the same line or
// on the next line. The description column is where the --help option's own description starts.
struct HelpEntry {
  std::string name;
  bool described;
};

std::vector<HelpEntry> help_section(const std::string& help, std::string_view title) {
  auto lines = split_lines(help);
  std::size_t column = 30;
  for (const auto& line : lines)
    if (auto at = line.find("Print this help message"); line.starts_with("  -h,--help") && at != std::string::npos) column = at;
  std::vector<HelpEntry> entries;
  auto at = std::find(lines.begin(), lines.end(), title);
  if (at == lines.end()) return entries;
  for (auto it = at + 1; it != lines.end() && !it->empty(); ++it) {
    const std::string& line = *it;
    if (line.find_first_not_of(' ') != 2) continue;  // a description on its own line
    HelpEntry e;
    const bool fits = line.size() > column && line[column - 1] == ' ' && line[column] != ' ';
    e.name = line.substr(2, fits ? column - 2 : std::string::npos);
    e.name.erase(e.name.find_last_not_of(' ') + 1);
    e.described = fits;
    if (!fits && it + 1 != lines.end()) e.described = (it + 1)->find_first_not_of(' ') == column;
    entries.push_back(e);
  }
  return entries;
}

std::string subcommand_name(const HelpEntry& e) { return e.name.substr(0, e.name.find(' ')); }

// Checks `scgraph PATH... --help` and, when it lists subcommands of its own, each of those.
void check_help(const std::vector<std::string>& path, std::size_t& checked) {
  std::vector<std::string> args = path;
  args.push_back("--help");
  const ProgramResult r = run_scgraph(args);
  std::string command = "scgraph";
  for (const auto& p : path) command += " " + p;
  INFO(command, " --help:\n", r.out, r.err);
  CHECK(r.status == "0");
  CHECK(r.err.empty());
  CHECK(r.out.find("Usage: " + command) != std::string::npos);  // names the command
  const auto options = help_section(r.out, "Options:");
  CHECK(std::any_of(options.begin(), options.end(), [](const HelpEntry& e) { return e.name.find("--help") != std::string::npos; }));
  for (const auto& section : {"Options:", "Positionals:", "Subcommands:"})
    for (const auto& e : help_section(r.out, section)) {
      CAPTURE(e.name);
      CHECK_MESSAGE(e.described, "every option, positional and subcommand has a description");
    }
  ++checked;
  for (const auto& sub : help_section(r.out, "Subcommands:")) {
    auto deeper = path;
    deeper.push_back(subcommand_name(sub));
    check_help(deeper, checked);
  }
}

}  // namespace

TEST_CASE("cli: every subcommand answers --help with its usage and documented options") {
  const ProgramResult top = run_scgraph({"--help"});
  REQUIRE(top.status == "0");
  const auto subcommands = help_section(top.out, "Subcommands:");
  INFO(top.out);
  // The two commands the project started with; every other one is found the same way.
  std::vector<std::string> names;
  for (const auto& s : subcommands) names.push_back(subcommand_name(s));
  REQUIRE(std::find(names.begin(), names.end(), "validate") != names.end());
  REQUIRE(std::find(names.begin(), names.end(), "reliance") != names.end());
  std::size_t checked = 0;
  for (const auto& name : names) check_help({name}, checked);
  CHECK(checked >= names.size());
}
