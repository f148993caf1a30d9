// The CSV reader against RFC 4180 edge cases, positions, errors and chunk boundaries.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "graph/csv_reader.hpp"
#include "test_support.hpp"

namespace {

using scgraph::Diagnostics;
using scgraph::csv::ReaderOptions;
using scgraph::csv::Record;

// A parse result in plain values, so that two ways of reading the same text compare with ==.
struct Parsed {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> positions;  // "LINE:COLUMN" of every field, row after row
  std::vector<std::size_t> lines;      // line of every record
  std::vector<std::string> problems;   // "LINE:COLUMN code" of every diagnostic
  Diagnostics diagnostics;
  bool operator==(const Parsed& o) const {
    return rows == o.rows && positions == o.positions && lines == o.lines && problems == o.problems;
  }
};

void add(Parsed& p, const Record& r) {
  std::vector<std::string> row;
  for (std::size_t i = 0; i < r.size(); ++i) {
    row.emplace_back(r[i]);
    p.positions.push_back(fmt::format("{}:{}", r.line_of(i), r.column_of(i)));
  }
  p.rows.push_back(std::move(row));
  p.lines.push_back(r.line());
}

void finish(Parsed& p) {
  for (const auto& d : p.diagnostics.entries()) p.problems.push_back(fmt::format("{}:{} {}", d.line, d.column, d.code));
}

Parsed parse(std::string_view text, ReaderOptions options = {}) {
  Parsed p;
  for (const auto& r : scgraph::csv::parse_text(text, "t.csv", p.diagnostics, options)) add(p, r);
  finish(p);
  return p;
}

Parsed read_file(const std::filesystem::path& path, ReaderOptions options = {}) {
  Parsed p;
  scgraph::csv::Reader reader(path, "t.csv", p.diagnostics, options);
  Record r;
  while (reader.next(r)) add(p, r);
  finish(p);
  return p;
}

// Parses text in one piece, then from a file in chunks of every small size, and checks that the
// results agree: a record or a line end split across reads must not change anything.
Parsed parse_everywhere(const std::string& text, ReaderOptions options = {}) {
  Parsed whole = parse(text, options);
  scgraph::test::TempDir dir;
  const auto path = dir.write("t.csv", text);
  CHECK(read_file(path, options) == whole);
  for (std::size_t chunk = 1; chunk <= 12; ++chunk) {
    options.chunk_bytes = chunk;
    CAPTURE(chunk);
    CHECK(parse(text, options) == whole);
    CHECK(read_file(path, options) == whole);
  }
  return whole;
}

using Rows = std::vector<std::vector<std::string>>;
using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("csv: plain records with positions") {
  auto p = parse_everywhere("id,name\nA,Alpha\nB,Beta\n");
  CHECK(p.rows == Rows{{"id", "name"}, {"A", "Alpha"}, {"B", "Beta"}});
  CHECK(p.positions == Strings{"1:1", "1:4", "2:1", "2:3", "3:1", "3:3"});
  CHECK(p.lines == std::vector<std::size_t>{1, 2, 3});
  CHECK(p.problems.empty());
}

TEST_CASE("csv: quoted field holding a comma") {
  auto p = parse_everywhere("a,b\n\"Hefei, Anhui\",x\n");
  CHECK(p.rows == Rows{{"a", "b"}, {"Hefei, Anhui", "x"}});
  CHECK(p.positions[3] == "2:16");
}

TEST_CASE("csv: doubled quotes are unescaped") {
  auto p = parse_everywhere("a,b\n\"5\"\" wafer\",\"\"\"\"\n\"\",x\n");
  CHECK(p.rows == Rows{{"a", "b"}, {"5\" wafer", "\""}, {"", "x"}});
  CHECK(p.positions == Strings{"1:1", "1:3", "2:1", "2:13", "3:1", "3:4"});
  CHECK(p.problems.empty());
}

TEST_CASE("csv: LF inside a quoted field") {
  auto p = parse_everywhere("a,b\n\"line one\nline two\",x\ny,z\n");
  CHECK(p.rows == Rows{{"a", "b"}, {"line one\nline two", "x"}, {"y", "z"}});
  CHECK(p.positions == Strings{"1:1", "1:3", "2:1", "3:11", "4:1", "4:3"});
  CHECK(p.lines == std::vector<std::size_t>{1, 2, 4});
}

TEST_CASE("csv: CRLF inside a quoted field is kept and counts as one line") {
  auto p = parse_everywhere("a,b\r\n\"one\r\ntwo\",x\r\ny,z\r\n");
  CHECK(p.rows == Rows{{"a", "b"}, {"one\r\ntwo", "x"}, {"y", "z"}});
  CHECK(p.positions[3] == "3:6");
  CHECK(p.lines == std::vector<std::size_t>{1, 2, 4});
}

TEST_CASE("csv: CR inside a quoted field") {
  auto p = parse_everywhere("a,b\r\"one\rtwo\",x\ry,z");
  CHECK(p.rows == Rows{{"a", "b"}, {"one\rtwo", "x"}, {"y", "z"}});
  CHECK(p.positions[3] == "3:6");
  CHECK(p.lines == std::vector<std::size_t>{1, 2, 4});
}

TEST_CASE("csv: UTF-8 byte-order mark is skipped and not counted as a column") {
  auto p = parse_everywhere("\xEF\xBB\xBFid,kind\nA,fab\n");
  CHECK(p.rows == Rows{{"id", "kind"}, {"A", "fab"}});
  CHECK(p.positions[0] == "1:1");
  CHECK(p.positions[1] == "1:4");
}

TEST_CASE("csv: a byte-order mark later in the file is text") {
  auto p = parse("a\n\xEF\xBB\xBFx\n");
  CHECK(p.rows == Rows{{"a"}, {"\xEF\xBB\xBFx"}});
}

TEST_CASE("csv: CRLF file") {
  auto p = parse_everywhere("a,b\r\n1,2\r\n3,4\r\n");
  CHECK(p.rows == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(p.lines == std::vector<std::size_t>{1, 2, 3});
}

TEST_CASE("csv: CR-only file") {
  auto p = parse_everywhere("a,b\r1,2\r3,4\r");
  CHECK(p.rows == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(p.positions == Strings{"1:1", "1:3", "2:1", "2:3", "3:1", "3:3"});
}

TEST_CASE("csv: blank trailing lines are skipped") {
  auto p = parse_everywhere("a,b\n1,2\n\n\r\n\r\n\n");
  CHECK(p.rows == Rows{{"a", "b"}, {"1", "2"}});
  CHECK(p.problems.empty());
}

TEST_CASE("csv: blank middle lines are skipped and lines still counted") {
  auto p = parse_everywhere("a,b\n\n1,2\r\n\r\n\r3,4\n");
  CHECK(p.rows == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(p.lines == std::vector<std::size_t>{1, 3, 6});
}

TEST_CASE("csv: blank lines before the header are skipped") {
  auto p = parse_everywhere("\n\na,b\n");
  CHECK(p.rows == Rows{{"a", "b"}});
  CHECK(p.lines == std::vector<std::size_t>{3});
}

TEST_CASE("csv: a line of spaces is a record, not a blank line") {
  auto p = parse("a\n  \n");
  CHECK(p.rows == Rows{{"a"}, {"  "}});
}

TEST_CASE("csv: final record without a trailing newline") {
  CHECK(parse_everywhere("a,b\n1,2").rows == Rows{{"a", "b"}, {"1", "2"}});
  CHECK(parse_everywhere("a,b\n1,\"2\"").rows == Rows{{"a", "b"}, {"1", "2"}});
}

TEST_CASE("csv: empty fields, including an empty last field") {
  auto p = parse_everywhere("a,b,c\n,,\n1,2,\n1,2,");
  CHECK(p.rows == Rows{{"a", "b", "c"}, {"", "", ""}, {"1", "2", ""}, {"1", "2", ""}});
  CHECK(p.positions[11] == "4:5");
}

TEST_CASE("csv: positions after a multi-line field") {
  auto p = parse_everywhere("a,b,c\nx,\"first\nsecond\nthird\",y,z\nn,m,o\n");
  CHECK(p.rows[1] == Strings{"x", "first\nsecond\nthird", "y", "z"});
  CHECK(p.positions[3] == "2:1");
  CHECK(p.positions[4] == "2:3");
  CHECK(p.positions[5] == "4:8");
  CHECK(p.positions[6] == "4:10");
  CHECK(p.positions[7] == "5:1");
  CHECK(p.lines == std::vector<std::size_t>{1, 2, 5});
}

TEST_CASE("csv: columns count characters, not bytes") {
  auto p = parse_everywhere("name,country\nZhonghuan Semiconductor \xC3\xA9,CHN\n\xE4\xB8\xAD\xE8\x8A\xAF\xE5\x9B\xBD\xE9\x99\x85,CHN\n");
  CHECK(p.positions[3] == "2:27");
  CHECK(p.positions[5] == "3:6");
  CHECK(p.problems.empty());
  // A four-byte character is one column too.
  auto q = parse("\xF0\x9F\x98\x80,x\n");
  CHECK(q.positions[1] == "1:3");
}

TEST_CASE("csv: quote inside an unquoted field is malformed quoting at the quote") {
  auto p = parse_everywhere("a,b\nx,5\" wafer\ny,z\n");
  CHECK(p.problems == Strings{"2:4 malformed-quoting"});
  // The bad record is dropped; reading resumes on the next line.
  CHECK(p.rows == Rows{{"a", "b"}, {"y", "z"}});
  CHECK(p.lines == std::vector<std::size_t>{1, 3});
  const auto& d = p.diagnostics.entries().front();
  CHECK(d.file == "t.csv");
  CHECK(!d.message.empty());
  CHECK(!d.hint.empty());
}

TEST_CASE("csv: text after a closing quote is malformed quoting at that text") {
  auto p = parse_everywhere("a,b\n\"abc\"d,e\nf,g\n");
  CHECK(p.problems == Strings{"2:6 malformed-quoting"});
  CHECK(p.rows == Rows{{"a", "b"}, {"f", "g"}});
}

TEST_CASE("csv: text after a closing quote on a later line of a multi-line field") {
  auto p = parse_everywhere("a,b\nx,\"one\ntwo\" three\nf,g\n");
  CHECK(p.problems == Strings{"3:5 malformed-quoting"});
  CHECK(p.rows == Rows{{"a", "b"}, {"f", "g"}});
  CHECK(p.lines == std::vector<std::size_t>{1, 4});
}

TEST_CASE("csv: quoted field never closed is reported at its opening quote") {
  auto p = parse_everywhere("a,b\nx,y\nz,\"never\nclosed,1\n2,3\n");
  CHECK(p.problems == Strings{"3:3 malformed-quoting"});
  CHECK(p.rows == Rows{{"a", "b"}, {"x", "y"}});
  CHECK(p.diagnostics.entries().front().message.find("never closed") != std::string::npos);
}

TEST_CASE("csv: a field larger than the limit") {
  ReaderOptions o;
  o.max_field_bytes = 8;
  auto p = parse_everywhere("a,b\n12345678,x\n123456789,y\n\"1234567\",z\nok,1\n", o);
  CHECK(p.problems == Strings{"3:1 field-too-large", "4:1 field-too-large"});
  CHECK(p.rows == Rows{{"a", "b"}, {"12345678", "x"}, {"ok", "1"}});
}

TEST_CASE("csv: an oversized field is skipped without being buffered, quotes followed") {
  ReaderOptions o;
  o.max_field_bytes = 16;
  o.chunk_bytes = 4;
  const std::string big(1000, 'x');
  auto p = parse("a,b\n\"" + big + "\nstill, \"\"inside\"\"\",y\nnext,1\n", o);
  CHECK(p.problems == Strings{"2:1 field-too-large"});
  CHECK(p.rows == Rows{{"a", "b"}, {"next", "1"}});
  CHECK(p.lines == std::vector<std::size_t>{1, 4});
}

TEST_CASE("csv: an oversized field that is an unterminated quote reports both") {
  ReaderOptions o;
  o.max_field_bytes = 16;
  o.chunk_bytes = 8;
  auto p = parse("a,b\nc,\"" + std::string(100, 'x') + "\n1,2\n", o);
  CHECK(p.problems == Strings{"2:3 field-too-large", "2:3 malformed-quoting"});
  CHECK(p.rows == Rows{{"a", "b"}});
}

TEST_CASE("csv: invalid UTF-8 is reported at its byte and the record dropped") {
  // Latin-1 e-acute (0xE9) where UTF-8 is expected.
  auto p = parse_everywhere("name,country\nZhonghuan Semiconductor \xC3\xA9,CHN\nCaf\xE9 Tools,FRA\nok,DEU\n");
  CHECK(p.problems == Strings{"3:4 invalid-utf8"});
  CHECK(p.rows == Rows{{"name", "country"}, {"Zhonghuan Semiconductor \xC3\xA9", "CHN"}, {"ok", "DEU"}});
  CHECK(p.diagnostics.entries().front().message.find("0xE9") != std::string::npos);
}

TEST_CASE("csv: invalid UTF-8 inside a quoted multi-line field") {
  auto p = parse_everywhere("a,b\n\"x\n\xC3\xA9 \xFF\",y\nz,w\n");
  CHECK(p.problems == Strings{"3:3 invalid-utf8"});
  CHECK(p.rows == Rows{{"a", "b"}, {"z", "w"}});
}

TEST_CASE("csv: overlong, surrogate and truncated sequences are invalid") {
  CHECK(parse("a\n\xC0\xAF\n").problems == Strings{"2:1 invalid-utf8"});
  CHECK(parse("a\nx\xED\xA0\x80\n").problems == Strings{"2:2 invalid-utf8"});
  CHECK(parse("a\nxy\xE4\xB8").problems == Strings{"2:3 invalid-utf8"});
  CHECK(parse("a\n\xF4\x90\x80\x80\n").problems == Strings{"2:1 invalid-utf8"});
}

TEST_CASE("csv: every problem in a file is reported") {
  auto p = parse_everywhere("a,b\nx\"y,1\n\"p\"q,2\nbad\xFF,3\nfine,4\nother\xFE,\xFE\n");
  CHECK(p.problems ==
        Strings{"2:2 malformed-quoting", "3:4 malformed-quoting", "4:4 invalid-utf8", "6:6 invalid-utf8", "6:8 invalid-utf8"});
  CHECK(p.rows == Rows{{"a", "b"}, {"fine", "4"}});
}

TEST_CASE("csv: empty file is refused") {
  auto p = parse("");
  CHECK(p.problems == Strings{"0:0 file-empty"});
  CHECK(p.diagnostics.entries().front().message == "file is empty: expected a header row");
  scgraph::test::TempDir dir;
  Diagnostics diag;
  scgraph::csv::Reader reader(dir.write("e.csv", ""), "e.csv", diag);
  CHECK_FALSE(reader.ok());
  Record r;
  CHECK_FALSE(reader.next(r));
  REQUIRE(diag.entries().size() == 1);
  CHECK(diag.entries().front().code == "file-empty");
  CHECK(diag.entries().front().file == "e.csv");
}

TEST_CASE("csv: a file with only a byte-order mark or blank lines is empty") {
  CHECK(parse_everywhere("\xEF\xBB\xBF").problems == Strings{"0:0 file-empty"});
  CHECK(parse_everywhere("\xEF\xBB\xBF\r\n\n").problems == Strings{"0:0 file-empty"});
  CHECK(parse_everywhere("\n\r\n\r").problems == Strings{"0:0 file-empty"});
}

TEST_CASE("csv: binary files are refused") {
  scgraph::test::TempDir dir;
  std::string gz("\x1F\x8B\x08\x00\x00\x00\x00\x00", 8);
  Diagnostics diag;
  scgraph::csv::Reader reader(dir.write("x.csv", gz + "a,b\n"), "x.csv", diag);
  CHECK_FALSE(reader.ok());
  REQUIRE(diag.entries().size() == 1);
  CHECK(diag.entries().front().code == "file-binary");
  CHECK(diag.entries().front().message == "looks like a binary file, not CSV");
  // Mostly control bytes, no NUL.
  CHECK(parse(std::string(100, '\x01') + "a,b\n").problems == Strings{"0:0 file-binary"});
  // Mostly bytes that are not UTF-8, no NUL.
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>(0x80 + (i * 37) % 0x7F);
  CHECK(parse(noise).problems == Strings{"0:0 file-binary"});
  // UTF-16 gets a hint of its own.
  auto u16 = parse(std::string("\xFF\xFE" "a\0,\0b\0\n\0", 10));
  REQUIRE(u16.problems == Strings{"0:0 file-binary"});
  CHECK(u16.diagnostics.entries().front().hint.find("UTF-16") != std::string::npos);
  // A few Latin-1 bytes do not make a file binary: they are reported one by one.
  CHECK(parse("a\nCaf\xE9\n").problems == Strings{"2:4 invalid-utf8"});
}

TEST_CASE("csv: a NUL byte after the first 64 KiB is data, not a refusal") {
  std::string text = "a\n";
  while (text.size() < 70000) text += "row\n";
  text += std::string("x\0y\n", 4);
  auto p = parse(text);
  CHECK(p.problems.empty());
  CHECK(p.rows.back() == Strings{std::string("x\0y", 3)});
}

TEST_CASE("csv: missing file") {
  Diagnostics diag;
  scgraph::csv::Reader reader("/nonexistent/dir/nodes.csv", "data/nodes.csv", diag);
  CHECK_FALSE(reader.ok());
  REQUIRE(diag.entries().size() == 1);
  const auto& d = diag.entries().front();
  CHECK(d.code == "file-missing");
  CHECK(d.message == "no such file");
  CHECK(d.file == "data/nodes.csv");
  CHECK(d.line == 0);
  CHECK(reader.display_name() == "data/nodes.csv");
}

TEST_CASE("csv: a directory is refused") {
  scgraph::test::TempDir dir;
  Diagnostics diag;
  scgraph::csv::Reader reader(dir.path(), "snap", diag);
  CHECK_FALSE(reader.ok());
  REQUIRE(diag.entries().size() == 1);
  CHECK(diag.entries().front().code == "file-unreadable");
  CHECK(diag.entries().front().message.find("directory") != std::string::npos);
}

TEST_CASE("csv: an unreadable file is refused") {
  if (::geteuid() == 0) return;  // permissions do not stop root
  scgraph::test::TempDir dir;
  const auto path = dir.write("secret.csv", "a,b\n");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  Diagnostics diag;
  scgraph::csv::Reader reader(path, "secret.csv", diag);
  CHECK_FALSE(reader.ok());
  REQUIRE(diag.entries().size() == 1);
  CHECK(diag.entries().front().code == "file-unreadable");
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

TEST_CASE("csv: records crossing chunk boundaries at every offset") {
  // Every structural case near every possible boundary: parse_everywhere compares chunk sizes
  // 1..12 against one piece.
  const std::string text =
      "\xEF\xBB\xBFid,name,share\r\n"
      "A,\"Hefei, \"\"Anhui\"\"\",0.5\r\n"
      "B,\"multi\r\nline\rfield\n\",35%\r"
      "\r\n"
      "\xE4\xB8\xAD,\xC3\xA9\xC3\xA9,1\n"
      "C,,\n"
      "D,\"\",\"\"";
  auto p = parse_everywhere(text);
  CHECK(p.problems.empty());
  CHECK(p.rows == Rows{{"id", "name", "share"},
                       {"A", "Hefei, \"Anhui\"", "0.5"},
                       {"B", "multi\r\nline\rfield\n", "35%"},
                       {"\xE4\xB8\xAD", "\xC3\xA9\xC3\xA9", "1"},
                       {"C", "", ""},
                       {"D", "", ""}});
  CHECK(p.lines == std::vector<std::size_t>{1, 2, 3, 8, 9, 10});
  CHECK(p.positions[8] == "6:3");
  CHECK(p.positions[10] == "8:3");
}

TEST_CASE("csv: a record larger than the chunk") {
  ReaderOptions o;
  o.chunk_bytes = 64;
  std::string text = "a,b,c\n";
  std::string big;
  for (int i = 0; i < 500; ++i) big += "field " + std::to_string(i) + ", ";
  text += "\"" + big + "\"," + std::string(300, 'y') + ",z\nlast,1,2\n";
  scgraph::test::TempDir dir;
  auto p = read_file(dir.write("big.csv", text), o);
  CHECK(p.problems.empty());
  REQUIRE(p.rows.size() == 3);
  CHECK(p.rows[1][0] == big);
  CHECK(p.rows[1][1] == std::string(300, 'y'));
  CHECK(p.rows[2] == Strings{"last", "1", "2"});
  CHECK(p == parse(text));
}

TEST_CASE("csv: a long file streams through a small buffer") {
  ReaderOptions o;
  o.chunk_bytes = 4096;
  std::string text = "supplier,consumer,input,share\n";
  for (int i = 0; i < 20000; ++i) text += fmt::format("S{},C{},in_{},0.{}\n", i, i * 7, i % 13, i % 10);
  scgraph::test::TempDir dir;
  auto p = read_file(dir.write("long.csv", text), o);
  CHECK(p.problems.empty());
  REQUIRE(p.rows.size() == 20001);
  CHECK(p.rows[20000] == Strings{"S19999", "C139993", "in_5", "0.9"});
  CHECK(p.lines.back() == 20001);
}

TEST_CASE("csv: a reused record keeps nothing from the previous one") {
  scgraph::test::TempDir dir;
  Diagnostics diag;
  scgraph::csv::Reader reader(dir.write("r.csv", "a,b,c\nx\n"), "r.csv", diag);
  REQUIRE(reader.ok());
  Record r;
  REQUIRE(reader.next(r));
  CHECK(r.size() == 3);
  REQUIRE(reader.next(r));
  CHECK(r.size() == 1);
  CHECK(r[0] == "x");
  CHECK_FALSE(reader.next(r));
}

TEST_CASE("csv: records from parse_text survive copies and moves") {
  Diagnostics diag;
  auto records = scgraph::csv::parse_text("a,b\nshort,\"x\"\"y\"\n", "t.csv", diag);
  REQUIRE(records.size() == 2);
  Record copy = records[1];
  Record moved = std::move(records[1]);
  records.clear();
  records.shrink_to_fit();
  CHECK(copy[0] == "short");
  CHECK(copy[1] == "x\"y");
  CHECK(moved[0] == "short");
  CHECK(moved[1] == "x\"y");
  Record assigned;
  assigned = copy;
  copy = Record{};
  CHECK(assigned[1] == "x\"y");
}

namespace {

// Random records mixing everything the fast path for plain records must either handle exactly
// like the general path or hand over to it: multibyte characters at every offset of a 64-byte
// block, quotes, embedded line breaks, the three line ends, blank lines, and (when asked)
// invalid bytes and stray quotes.
std::string random_csv(unsigned seed, bool with_errors) {
  std::mt19937 rng(seed);
  const std::vector<std::string> pieces = {"a", "id42", "Zhonghuan", " ", "0.35", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80",
                                           "-", "x_y", "1e-3"};
  const std::vector<std::string> ends = {"\n", "\r\n", "\r"};
  std::string text;
  for (int record = 0; record < 400; ++record) {
    const int fields = 1 + static_cast<int>(rng() % 6);
    for (int f = 0; f < fields; ++f) {
      if (f > 0) text += ',';
      const unsigned kind = rng() % 10;
      std::string field;
      for (unsigned n = rng() % 12; n > 0; --n) field += pieces[rng() % pieces.size()];
      if (kind == 0) {
        text += "\"" + field + ",\"\"" + ends[rng() % 3] + field + "\"";
      } else if (kind == 1 && with_errors) {
        text += field + (rng() % 2 ? "\xFF" : "\"") + field;
      } else {
        text += field;
      }
    }
    text += ends[rng() % 3];
    if (rng() % 15 == 0) text += ends[rng() % 3];
  }
  return text;
}

}  // namespace

TEST_CASE("csv: the fast path for plain records agrees with the general one") {
  scgraph::test::TempDir dir;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    for (bool with_errors : {false, true}) {
      CAPTURE(seed);
      CAPTURE(with_errors);
      const std::string text = random_csv(seed, with_errors);
      const Parsed fast = parse(text);  // one big buffer: plain records take the fast path
      ReaderOptions small;
      small.chunk_bytes = 5;  // never 64 bytes ahead: the general path reads everything
      CHECK(parse(text, small) == fast);
      const auto path = dir.write("r.csv", text);
      for (std::size_t chunk : {63, 64, 65, 100, 4096}) {
        small.chunk_bytes = chunk;
        CAPTURE(chunk);
        CHECK(read_file(path, small) == fast);
      }
      if (with_errors) {
        CHECK(fast.problems.size() >= 20);
        CHECK(fast.rows.size() >= 150);
      } else {
        CHECK(fast.problems.empty());
        CHECK(fast.rows.size() >= 350);  // a lone empty field is a blank line, skipped
      }
    }
  }
}

TEST_CASE("csv: multibyte characters across the 64-byte blocks of the fast path") {
  for (std::size_t offset = 50; offset < 140; ++offset) {
    CAPTURE(offset);
    const std::string head(offset, 'x');
    const std::string text = head + "\xF0\x9F\x98\x80" "\xE4\xB8\xAD,b\n" + std::string(100, 'y') + ",\xC3\xA9,z\n";
    const Parsed p = parse(text);
    ReaderOptions small;
    small.chunk_bytes = 3;
    CHECK(parse(text, small) == p);
    REQUIRE(p.rows.size() == 2);
    CHECK(p.rows[0][0] == head + "\xF0\x9F\x98\x80\xE4\xB8\xAD");
    CHECK(p.positions[1] == fmt::format("1:{}", offset + 4));
    CHECK(p.positions[4] == "2:104");
    CHECK(p.problems.empty());
  }
}

TEST_CASE("csv: a record with more fields than the limit") {
  ReaderOptions o;
  o.max_fields = 3;
  auto p = parse_everywhere("a,b,c\n1,2,3,4\n5,6,7\n1,2,3,\"x\ny,z\",w\n8,9,10\n", o);
  CHECK(p.problems == Strings{"2:7 too-many-fields", "4:7 too-many-fields"});
  CHECK(p.rows == Rows{{"a", "b", "c"}, {"5", "6", "7"}, {"8", "9", "10"}});
  CHECK(p.lines == std::vector<std::size_t>{1, 3, 6});
}

TEST_CASE("csv: a line of commas does not take memory in proportion") {
  std::string text = "a,b\n" + std::string(300000, ',') + "\nc,d\n";
  auto p = parse(text);
  CHECK(p.problems == Strings{fmt::format("2:{} too-many-fields", (1 << 16) + 1)});
  CHECK(p.rows == Rows{{"a", "b"}, {"c", "d"}});
}
