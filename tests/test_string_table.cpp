#include <doctest/doctest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "graph/string_table.hpp"

using namespace scgraph;
using namespace std::string_literals;

TEST_CASE("string index: ids of every length up to and past the inline eight bytes") {
  // Strings that differ only in length or in a zero byte must never match: the slot compares
  // the first eight bytes zero-padded, so the length has to settle it.
  StringTable table;
  StringIndex index;
  const std::vector<std::string> ids = {"", "A", std::string(1, '\0'), std::string(2, '\0'), "A\0"s.substr(0, 2),
                                        "AB", "ABC", "ABCD", "ABCDE", "ABCDEFG", "ABCDEFGH", "ABCDEFGHI",
                                        "ABCDEFGH" + std::string(1, '\0'), "ABCDEFGHIJKLMNOPQ", "ABCDEFGHIJKLMNOPR",
                                        "C000217", "C000271"};
  for (const auto& id : ids) CHECK(index.insert(table, table.push_back(id)) == StringIndex::npos);
  for (std::uint32_t i = 0; i < ids.size(); ++i) {
    CHECK(index.find(table, ids[i]) == i);
    CHECK(index.find(table, StringIndex::key(ids[i])) == i);
  }
  CHECK(index.find(table, "ABCDEFGHIJKLMNOPS") == StringIndex::npos);
  CHECK(index.find(table, "ABCDEFGHIJ") == StringIndex::npos);
  CHECK(index.find(table, std::string(3, '\0')) == StringIndex::npos);
  CHECK(index.insert(table, table.push_back("ABCD")) == 7);
}

TEST_CASE("string index: matches a map on many random short and long strings, through growth") {
  std::mt19937_64 rng(7);
  StringTable table;
  StringIndex index;  // starts empty and grows
  std::unordered_map<std::string, std::uint32_t> expected;
  auto random_string = [&] {
    std::string s(rng() % 14, ' ');
    for (char& c : s) c = static_cast<char>("AB\0C9"[rng() % 5]);
    return s;
  };
  CHECK(index.find(table, "A") == StringIndex::npos);  // no slots yet
  for (int i = 0; i < 20000; ++i) {
    const std::string s = random_string();
    const std::uint32_t got = index.find_or_add(table, s);
    auto [it, added] = expected.emplace(s, got);
    CHECK(it->second == got);
    CHECK(table[got] == s);
    if (added) CHECK(got == table.size() - 1);
  }
  for (const auto& [s, i] : expected) CHECK(index.find(table, s) == i);
  StringIndex rebuilt;
  rebuilt.build(table);
  for (const auto& [s, i] : expected) CHECK(rebuilt.find(table, s) == i);
}
