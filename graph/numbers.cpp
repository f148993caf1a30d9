#include "numbers.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

namespace scgraph {

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

namespace {

// from_chars reports both overflow and underflow as out_of_range without a value. An underflow
// ("1e-400") is still a finite decimal number whose nearest double is 0 or a denormal, so strtod
// decides; it only ever sees text that from_chars has already accepted as a whole.
std::optional<double> out_of_range_value(std::string_view text) {
  std::string copy(text);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::optional<double> parse_number(std::string_view cell) {
  std::string_view text = trim(cell);
  // A leading '+' is accepted: some exports write signed numbers and "+0.5" is unambiguous.
  // from_chars does not take it, and "+-1" or "++1" must still fail, so only one '+' before a
  // digit or a point is removed.
  if (text.size() >= 2 && text[0] == '+' && (text[1] == '.' || (text[1] >= '0' && text[1] <= '9')))
    text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  // chars_format::general: decimal with optional exponent; hex ("0x10") stops at the 'x'.
  auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::general);
  if (ptr != last) return std::nullopt;  // "1e", "1,5", "0x10", "1 5": text left over
  if (ec == std::errc::result_out_of_range) return out_of_range_value(text);
  if (ec != std::errc{}) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;  // "nan", "inf", "infinity"
  return value;
}

std::optional<double> parse_fraction(std::string_view cell) {
  std::string_view text = trim(cell);
  if (!text.empty() && text.back() == '%') {
    text.remove_suffix(1);
    auto v = parse_number(text);  // trims again, so "35 %" works
    if (!v) return std::nullopt;
    return *v / 100.0;
  }
  return parse_number(text);
}

}  // namespace scgraph
