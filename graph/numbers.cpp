#include "numbers.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <system_error>

namespace scgraph {

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

// Plain decimals ("0.35", "1", "1250.5") are nearly every number cell of a large file. When the
// digits, read as an integer, are at most 2^53 and there are at most 22 after the point, both the
// integer and the power of ten are exact doubles, and one IEEE division rounds their quotient
// correctly: the same double from_chars gives, at a fraction of its cost. Anything else (a sign,
// an exponent, more digits, no digit at all, other text) returns nullopt and takes the general
// path, which alone decides what is refused. Where double arithmetic may carry excess precision
// (x87), the division could round twice, so there the fast path is off.
std::optional<double> plain_decimal(std::string_view text) {
#if FLT_EVAL_METHOD == 0
  static constexpr double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                             1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                             1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  std::uint64_t digits = 0;
  std::size_t count = 0, i = 0, after_point = 0;
  const std::size_t n = text.size();
  for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i, ++count) digits = digits * 10 + static_cast<unsigned>(text[i] - '0');
  if (i < n && text[i] == '.') {
    const std::size_t first = ++i;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i, ++count) digits = digits * 10 + static_cast<unsigned>(text[i] - '0');
    after_point = i - first;
  }
  // 19 digits cannot overflow 64 bits; the checks after it keep the arithmetic exact.
  if (i != n || count == 0 || count > 19 || digits > (std::uint64_t{1} << 53) || after_point > 22) return std::nullopt;
  return static_cast<double>(digits) / powers_of_ten[after_point];
#else
  (void)text;
  return std::nullopt;
#endif
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
  if (auto v = plain_decimal(text)) return v;
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
