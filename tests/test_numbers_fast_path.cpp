// The fast path for plain decimals must give exactly the double of the general (from_chars)
// path, and refuse exactly what it refuses: compared bit for bit on edge cases and on many
// random cells.
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>

#include "graph/numbers.hpp"

namespace {

// parse_number as it was before the fast path: the reference.
std::optional<double> reference(std::string_view cell) {
  std::string_view text = scgraph::trim(cell);
  if (text.size() >= 2 && text[0] == '+' && (text[1] == '.' || (text[1] >= '0' && text[1] <= '9'))) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (ptr != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    std::string copy(text);
    char* end = nullptr;
    double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  }
  if (ec != std::errc{} || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::uint64_t bits(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

void same_as_reference(const std::string& cell) {
  const auto got = scgraph::parse_number(cell), want = reference(cell);
  INFO("cell: '" << cell << "'");
  REQUIRE(got.has_value() == want.has_value());
  if (got) CHECK(bits(*got) == bits(*want));
}

}  // namespace

TEST_CASE("numbers: the plain-decimal fast path on its edges") {
  for (const char* cell :
       {"0", "0.0", "00.000", "1", "1.", ".5", "0.5", "0.1", "0.3", "0.7", "0.35", "0.123456", "1250.5", "20.36",
        "9007199254740992", "9007199254740993", "9007199254740991.5", "900719925474099.3", "1234567890123456789",
        "12345678901234567890", "0.0000000000000000000001", "0.00000000000000000000001", "1.0000000000000000000000",
        "0.1000000000000000055511151231257827", "4.35", "0.000001", "999999.999999", ".", "", "..5", "1..", "1.2.3",
        "-0.5", "+0.5", "+.5", "1e5", "1e", "0x10", "1,5", " 0.25 ", "\t7\t", "07", "0.30000000000000004",
        "123456789012345678.9", "1.7976931348623157", "99999999999999999999"})
    same_as_reference(cell);
}

TEST_CASE("numbers: the plain-decimal fast path equals from_chars on random cells") {
  std::mt19937_64 rng(20261129);
  auto digits = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  for (int i = 0; i < 300000; ++i) {
    // Plain decimals of every length around the limits (19 digits, 2^53, 22 after the point).
    std::string cell = digits(rng() % 21);
    if (rng() % 4 != 0) cell += "." + digits(rng() % 25);
    same_as_reference(cell);
  }
  for (int i = 0; i < 200000; ++i) {
    // The shapes the generator writes: millionths and cents.
    const std::uint64_t v = rng() % 1000001;
    std::string cell = std::to_string(v / 1000000) + "." + std::to_string(1000000 + v % 1000000).substr(1);
    while (cell.back() == '0') cell.pop_back();
    if (cell.back() == '.') cell.pop_back();
    same_as_reference(cell);
    same_as_reference(std::to_string(rng() % 100000000) + "." + std::to_string(rng() % 100));
  }
  static constexpr char alphabet[] = "0123456789.+-eE xn%";
  for (int i = 0; i < 200000; ++i) {
    // Anything else must still be decided by the general path.
    std::string cell(rng() % 8, ' ');
    for (char& c : cell) c = alphabet[rng() % (sizeof alphabet - 1)];
    same_as_reference(cell);
  }
}
