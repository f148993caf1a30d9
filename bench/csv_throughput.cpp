// CSV throughput: the project's reader against Debian's fast-cpp-csv-parser (fccp) on a
// synthetic edges-like file, number parsing against fccp's, and fccp on the RFC 4180 cases that
// decided the project to keep its own reader.
//
// Usage: csv_throughput [ROWS]   (default 4,000,000 rows, about 150 MB; the file is deleted after)
// Every figure is the best of 3 runs over a file already in the page cache; on a shared machine
// compare the ratios, not the absolute MB/s.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

// fccp's file-name copy trips -Wstringop-truncation inside the library header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <libfccp/csv.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "graph/csv_reader.hpp"
#include "graph/numbers.hpp"

namespace {

namespace fs = std::filesystem;

// Best of 3 wall-clock seconds; `work` returns a checksum so the compiler cannot drop it.
double best_of_3(const std::function<std::size_t()>& work, std::size_t& checksum) {
  double best = 1e300;
  for (int run = 0; run < 3; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    checksum = work();
    auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / fmt::format("scgraph-bench-{}-{}", ::getpid(), name);
}

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// supplier,consumer,input,share,efficiency like the real edges files.
std::uintmax_t write_edges(const fs::path& path, std::size_t rows) {
  std::mt19937_64 rng(42);
  std::string chunk;
  std::ofstream out(path, std::ios::binary);
  out << "supplier,consumer,input,share,efficiency\n";
  for (std::size_t i = 0; i < rows; ++i) {
    fmt::format_to(std::back_inserter(chunk), "S{:06},C{:06},input_{},0.{:04},1\n", rng() % 1000000, rng() % 1000000,
                   rng() % 40, rng() % 10000);
    if (chunk.size() > (1 << 20)) {
      out << chunk;
      chunk.clear();
    }
  }
  out << chunk;
  out.close();
  return fs::file_size(path);
}

struct Row {
  std::string what;
  double seconds;
  double megabytes;
};

void print_table(const std::vector<Row>& rows, const std::string& reference) {
  double ref = 0;
  for (const auto& r : rows)
    if (r.what == reference) ref = r.megabytes / r.seconds;
  fmt::print("{:<46} {:>9} {:>9} {:>14}\n", "", "seconds", "MB/s", "ratio");
  for (const auto& r : rows) {
    const double rate = r.megabytes / r.seconds;
    fmt::print("{:<46} {:>9.3f} {:>9.0f} {:>13.2f}x\n", r.what, r.seconds, rate, ref > 0 ? rate / ref : 0.0);
  }
}

// --- the readers timed --------------------------------------------------------------------

std::size_t ours_split(const fs::path& path) {
  scgraph::Diagnostics diag;
  scgraph::csv::Reader reader(path, "edges.csv", diag);
  scgraph::csv::Record rec;
  std::size_t sum = 0;
  while (reader.next(rec))
    for (std::size_t i = 0; i < rec.size(); ++i) sum += rec[i].size() + rec.line_of(i) + rec.column_of(i);
  return sum + diag.entries().size();
}

std::size_t ours_with_numbers(const fs::path& path) {
  scgraph::Diagnostics diag;
  scgraph::csv::Reader reader(path, "edges.csv", diag);
  scgraph::csv::Record rec;
  std::size_t sum = 0;
  double total = 0;
  reader.next(rec);  // header
  while (reader.next(rec)) {
    sum += rec[0].size() + rec[1].size() + rec[2].size();
    if (auto v = scgraph::parse_fraction(rec[3])) total += *v;
    if (auto v = scgraph::parse_fraction(rec[4])) total += *v;
  }
  return sum + static_cast<std::size_t>(total);
}

std::size_t fccp_lines(const fs::path& path) {
  io::LineReader in(path.string());
  std::size_t sum = 0;
  while (char* line = in.next_line()) sum += static_cast<unsigned char>(line[0]);
  return sum;
}

template <class Quote>
std::size_t fccp_split(const fs::path& path) {
  io::CSVReader<5, io::trim_chars<' ', '\t'>, Quote> in(path.string());
  in.read_header(io::ignore_extra_column, "supplier", "consumer", "input", "share", "efficiency");
  char *s = nullptr, *c = nullptr, *i = nullptr, *sh = nullptr, *e = nullptr;
  std::size_t sum = 0;
  while (in.read_row(s, c, i, sh, e)) sum += std::strlen(s) + std::strlen(c) + std::strlen(i) + std::strlen(sh) + std::strlen(e);
  return sum;
}

std::size_t fccp_with_numbers(const fs::path& path) {
  io::CSVReader<5, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>> in(path.string());
  in.read_header(io::ignore_extra_column, "supplier", "consumer", "input", "share", "efficiency");
  char *s = nullptr, *c = nullptr, *i = nullptr;
  double sh = 0, e = 0, total = 0;
  std::size_t sum = 0;
  while (in.read_row(s, c, i, sh, e)) {
    sum += std::strlen(s) + std::strlen(c) + std::strlen(i);
    total += sh + e;
  }
  return sum + static_cast<std::size_t>(total);
}

// --- number parsing alone -------------------------------------------------------------------

void bench_numbers() {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::string> cells;
  constexpr std::size_t count = 2'000'000;
  cells.reserve(count);
  for (std::size_t i = 0; i < count; ++i) cells.push_back(fmt::format("{:.4f}", unit(rng)));
  std::vector<std::string> random_doubles;
  for (std::size_t i = 0; i < 200'000; ++i) random_doubles.push_back(fmt::format("{:.17g}", unit(rng) * std::pow(10.0, static_cast<int>(rng() % 20) - 10)));

  std::size_t bytes = 0;
  for (const auto& c : cells) bytes += c.size();
  const double mb = static_cast<double>(bytes) / 1e6;
  std::size_t check = 0;
  std::vector<Row> rows;
  rows.push_back({"scgraph::parse_number (from_chars, strict)", best_of_3([&] {
                    double t = 0;
                    for (const auto& c : cells) t += scgraph::parse_number(c).value_or(0);
                    return static_cast<std::size_t>(t);
                  }, check), mb});
  rows.push_back({"fccp parse_float", best_of_3([&] {
                    double t = 0;
                    for (auto& c : cells) {
                      double v = 0;
                      io::detail::parse<io::throw_on_overflow>(c.data(), v);
                      t += v;
                    }
                    return static_cast<std::size_t>(t);
                  }, check), mb});
  rows.push_back({"strtod", best_of_3([&] {
                    double t = 0;
                    for (const auto& c : cells) t += std::strtod(c.c_str(), nullptr);
                    return static_cast<std::size_t>(t);
                  }, check), mb});
  fmt::print("\nNumber cells (2,000,000 cells like 0.3500, {:.1f} MB; ratio to fccp parse_float):\n", mb);
  print_table(rows, "fccp parse_float");

  std::size_t ours_wrong = 0, fccp_wrong = 0;
  for (auto& text : random_doubles) {
    const double exact = std::strtod(text.c_str(), nullptr);
    if (scgraph::parse_number(text) != exact) ++ours_wrong;
    double v = 0;
    io::detail::parse<io::throw_on_overflow>(text.data(), v);
    if (v != exact) ++fccp_wrong;
  }
  fmt::print("Correct rounding on {} random doubles (%.17g): parse_number differs from strtod on {}, fccp on {} ({:.0f} %)\n",
             random_doubles.size(), ours_wrong, fccp_wrong, 100.0 * static_cast<double>(fccp_wrong) / static_cast<double>(random_doubles.size()));
}

// --- RFC 4180 cases -------------------------------------------------------------------------

struct Case {
  std::string name;
  std::string text;    // header a,b then rows
  std::string expect;  // what a correct reader yields: the rows as a|b;...
};

std::string run_fccp(const fs::path& path, bool numeric_b) {
  try {
    io::CSVReader<2, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>> in(path.string());
    in.read_header(io::ignore_extra_column, "a", "b");
    std::string out;
    if (numeric_b) {
      char* a = nullptr;
      double b = 0;
      while (in.read_row(a, b)) out += fmt::format("{}|{};", a, b);
    } else {
      char *a = nullptr, *b = nullptr;
      while (in.read_row(a, b)) out += fmt::format("{}|{};", a, b);
    }
    return out;
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

std::string run_ours(const fs::path& path, bool numeric_b) {
  scgraph::Diagnostics diag;
  scgraph::csv::Reader reader(path, "case.csv", diag);
  scgraph::csv::Record rec;
  std::string out;
  reader.next(rec);
  while (reader.next(rec)) {
    if (rec.size() != 2) return fmt::format("error: {} fields on line {}", rec.size(), rec.line());
    if (numeric_b) {
      auto v = scgraph::parse_number(rec[1]);
      if (!v) return fmt::format("error: line {} column {}: '{}' is not a number", rec.line_of(1), rec.column_of(1), rec[1]);
      out += fmt::format("{}|{};", rec[0], *v);
    } else {
      out += fmt::format("{}|{};", rec[0], rec[1]);
    }
  }
  if (!diag.empty()) return "error: " + diag.entries().front().message;
  return out;
}

std::string escape(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out.size() > 60 ? out.substr(0, 57) + "..." : out;
}

void rfc_cases() {
  // expect: the correct rows; for the numeric cases a correct loader must refuse the cell,
  // which run_ours shows as an error naming its position.
  const std::vector<std::pair<Case, bool>> cases = {
      {{"quoted field holding a line break", "a,b\n\"line one\nline two\",x\ny,z\n", "line one\nline two|x;y|z;"}, false},
      {{"quoted field holding a comma and \"\"", "a,b\n\"Hefei, \"\"Anhui\"\"\",x\n", "Hefei, \"Anhui\"|x;"}, false},
      {{"CR-only line ends", "a,b\r1,2\r3,4\r", "1|2;3|4;"}, false},
      {{"CRLF line ends", "a,b\r\n1,2\r\n", "1|2;"}, false},
      {{"trailing blank line", "a,b\n1,2\n\n", "1|2;"}, false},
      {{"byte-order mark", "\xEF\xBB\xBF" "a,b\n1,2\n", "1|2;"}, false},
      {{"empty numeric cell", "a,b\nx,\n", "refused"}, true},
      {{"numeric cell \"1e\"", "a,b\nx,1e\n", "refused"}, true},
      {{"numeric cell \"1,5\" (quoted)", "a,b\nx,\"1,5\"\n", "refused"}, true},
  };
  fmt::print("\nRFC 4180 and strict-number cases (fccp = CSVReader<2, trim, double_quote_escape>):\n");
  fmt::print("{:<38} {:<7} {:<40} {}\n", "case", "fccp", "fccp gives", "scgraph gives");
  const auto path = temp_file("case.csv");
  for (const auto& [c, numeric] : cases) {
    write_file(path, c.text);
    const std::string theirs = run_fccp(path, numeric);
    const std::string ours = run_ours(path, numeric);
    const bool fccp_ok = c.expect == "refused" ? theirs.starts_with("error") : theirs == c.expect;
    const bool ours_ok = c.expect == "refused" ? ours.starts_with("error") : ours == c.expect;
    fmt::print("{:<38} {:<7} {:<40} {}{}\n", c.name, fccp_ok ? "ok" : "FAILS", escape(theirs), escape(ours), ours_ok ? "" : "  <-- WRONG");
  }
  fs::remove(path);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 4'000'000;
  const auto path = temp_file("edges.csv");
  const double mb = static_cast<double>(write_edges(path, rows)) / 1e6;
  fmt::print("Synthetic edges file: {} rows, {:.1f} MB, in the page cache; best of 3 runs each;\n"
             "ratio to fccp CSVReader<5> with double_quote_escape (splitting only):\n", rows, mb);

  std::size_t check = 0;
  std::vector<Row> table;
  table.push_back({"scgraph Reader (split + positions + UTF-8)", best_of_3([&] { return ours_split(path); }, check), mb});
  table.push_back({"fccp LineReader (lines only)", best_of_3([&] { return fccp_lines(path); }, check), mb});
  table.push_back({"fccp CSVReader<5> no_quote_escape", best_of_3([&] { return fccp_split<io::no_quote_escape<','>>(path); }, check), mb});
  table.push_back({"fccp CSVReader<5> double_quote_escape",
                   best_of_3([&] { return fccp_split<io::double_quote_escape<',', '"'>>(path); }, check), mb});
  table.push_back({"scgraph Reader + parse_fraction x2", best_of_3([&] { return ours_with_numbers(path); }, check), mb});
  table.push_back({"fccp CSVReader<5> quoted + 2 doubles", best_of_3([&] { return fccp_with_numbers(path); }, check), mb});
  fs::remove(path);
  print_table(table, "fccp CSVReader<5> double_quote_escape");

  bench_numbers();
  rfc_cases();
  return 0;
}
