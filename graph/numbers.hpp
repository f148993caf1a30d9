#pragma once
// Strict number parsing for data cells: the whole cell must be a finite decimal number.
// "1e", "nan", "inf", ".", "1,5", "0x10" and "" are not numbers; surrounding spaces are allowed.
#include <optional>
#include <string_view>

namespace scgraph {

// A finite number written in decimal (optionally with exponent); nullopt otherwise.
std::optional<double> parse_number(std::string_view cell);

// A share or efficiency cell: a plain number ("0.35") or a percentage ("35%", "35 %") -> 0.35.
// nullopt when it is neither; the range check is the caller's.
std::optional<double> parse_fraction(std::string_view cell);

// Leading and trailing ASCII spaces and tabs removed. Inline: it runs on every cell of every row.
inline std::string_view trim(std::string_view s) {
  std::size_t begin = 0, end = s.size();
  while (begin < end && (s[begin] == ' ' || s[begin] == '\t')) ++begin;
  while (end > begin && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  return s.substr(begin, end - begin);
}

}  // namespace scgraph
