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

// Leading and trailing ASCII spaces and tabs removed.
std::string_view trim(std::string_view s);

}  // namespace scgraph
