// The helpers that only make loading faster: the reader's look ahead (unread, offset), the id
// prefetcher that uses it, and the background prefault. None of them may change a result.
#include <doctest/doctest.h>

#include <numeric>
#include <string>
#include <vector>

#include "graph/csv_reader.hpp"
#include "graph/id_prefetch.hpp"
#include "graph/prefault.hpp"
#include "test_support.hpp"

using namespace scgraph;

TEST_CASE("csv reader: offset and unread point at the input after the last record, at any chunk size") {
  // A BOM, CRLF, a blank line and a quoted line break: offsets count bytes of the input as is.
  const std::string text = "\xEF\xBB\xBF" "a,b\r\n1,2\n\n\"x\ny\",3\n4,5";
  test::TempDir dir;
  const auto path = dir.write("t.csv", text);
  for (std::size_t chunk : {1, 2, 3, 5, 64, 1 << 20}) {
    CAPTURE(chunk);
    Diagnostics diag;
    csv::Reader reader(path, "t.csv", diag, {.chunk_bytes = chunk});
    REQUIRE(reader.ok());
    csv::Record rec;
    std::vector<std::uint64_t> offsets;
    while (reader.next(rec)) {
      offsets.push_back(reader.offset());
      // What is buffered is the input from that offset on (possibly only part of it).
      const std::string_view unread = reader.unread();
      CHECK(text.compare(reader.offset(), unread.size(), unread) == 0);
    }
    CHECK(offsets == std::vector<std::uint64_t>{8, 12, 21, 24});
    CHECK(diag.empty());
  }
}

TEST_CASE("id prefetcher: any line shape is only a hint, loads are unchanged") {
  // Lines it cannot split as the reader does (quoted commas and line breaks, CR-only line ends,
  // short lines) must not disturb anything; the loader's result is checked by the load tests,
  // here the prefetcher is driven directly over such input.
  const std::string text = "supplier,consumer\n\"A,1\",B\n\"C\nD\",E\rF,G\r\nH\n,\n" + std::string(100, 'x') + "\n";
  test::TempDir dir;
  const auto path = dir.write("e.csv", text);
  StringTable ids;
  StringIndex index;
  for (const char* id : {"A,1", "B", "F", "G", "H"}) index.insert(ids, ids.push_back(id));
  const StringIndex empty;  // an index without slots is fine too
  for (std::size_t chunk : {1, 4, 1 << 20}) {
    Diagnostics diag;
    csv::Reader reader(path, "e.csv", diag, {.chunk_bytes = chunk});
    IdPrefetcher prefetch(chunk == 4 ? empty : index, 1, 0);
    csv::Record rec;
    std::size_t records = 0;
    while (reader.next(rec)) {
      prefetch.advance(reader);
      ++records;
    }
    CHECK(records == 7);
  }
}

TEST_CASE("background prefault: contents stay as written, with or without the helper finishing") {
  std::vector<std::uint64_t> v;
  v.reserve(3 << 20);  // 24 MiB: several slices
  v.resize(1000);
  std::iota(v.begin(), v.end(), 0);
  {
    BackgroundPrefault prefault;
    prefault.start({{room_of(v, v.capacity())}, {room_of(v, 2000)}});
    for (std::uint64_t i = 1000; i < v.capacity(); ++i) v.push_back(i);  // the writer races the helper
  }
  bool intact = v.size() == v.capacity();
  for (std::uint64_t i = 0; i < v.size(); ++i) intact = intact && v[i] == i;
  CHECK(intact);
  BackgroundPrefault stopped_early;
  std::vector<char> big;
  big.reserve(64 << 20);
  stopped_early.start({{room_of(big, big.capacity())}});
  stopped_early.stop();
  stopped_early.stop();  // twice is harmless
  CHECK(room_of(big, 0).empty());
  CHECK(room_of(big, 10).size() == 10);
}
