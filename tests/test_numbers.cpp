// Strict number cells: the whole cell is one finite decimal number, or it is not a number.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "graph/numbers.hpp"

using scgraph::parse_fraction;
using scgraph::parse_number;
using scgraph::trim;

TEST_CASE("numbers: plain decimals") {
  CHECK(parse_number("0.5") == 0.5);
  CHECK(parse_number("42") == 42.0);
  CHECK(parse_number("-3.25") == -3.25);
  CHECK(parse_number(".5") == 0.5);
  CHECK(parse_number("5.") == 5.0);
}

TEST_CASE("numbers: surrounding spaces and tabs are allowed") {
  CHECK(parse_number(" 0.5 ") == 0.5);
  CHECK(parse_number("\t7\t") == 7.0);
  CHECK_FALSE(parse_number("1 5"));
}

TEST_CASE("numbers: exponents") {
  CHECK(parse_number("1e-3") == 0.001);
  CHECK(parse_number("2.5E+2") == 250.0);
}

TEST_CASE("numbers: an exponent without digits is not a number") {
  CHECK_FALSE(parse_number("1e"));
  CHECK_FALSE(parse_number("1e+"));
}

TEST_CASE("numbers: nan and infinity are refused in any spelling") {
  CHECK_FALSE(parse_number("nan"));
  CHECK_FALSE(parse_number("NaN"));
  CHECK_FALSE(parse_number("-nan"));
  CHECK_FALSE(parse_number("inf"));
  CHECK_FALSE(parse_number("-Infinity"));
}

TEST_CASE("numbers: empty and lone punctuation") {
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("   "));
  CHECK_FALSE(parse_number("."));
  CHECK_FALSE(parse_number("-"));
  CHECK_FALSE(parse_number("+"));
}

TEST_CASE("numbers: a leading plus is accepted once") {
  CHECK(parse_number("+1") == 1.0);
  CHECK(parse_number("+.5") == 0.5);
  CHECK_FALSE(parse_number("++1"));
  CHECK_FALSE(parse_number("+-1"));
  CHECK_FALSE(parse_number("+nan"));
}

TEST_CASE("numbers: decimal comma, thousands separators and hex are refused") {
  CHECK_FALSE(parse_number("1,5"));
  CHECK_FALSE(parse_number("1,000"));
  CHECK_FALSE(parse_number("0x10"));
  CHECK_FALSE(parse_number("1_000"));
  CHECK_FALSE(parse_number("12abc"));
}

TEST_CASE("numbers: overflow is not finite, so not a number") {
  CHECK_FALSE(parse_number("1e999"));
  CHECK_FALSE(parse_number("-1e309"));
}

TEST_CASE("numbers: denormals and underflow are finite numbers") {
  const double denormal = std::numeric_limits<double>::denorm_min();
  CHECK(parse_number("4.9406564584124654e-324") == denormal);
  CHECK(parse_number("2.2250738585072009e-308") == 2.2250738585072009e-308);
  // Below the smallest denormal the nearest double is zero.
  CHECK(parse_number("1e-400") == 0.0);
}

TEST_CASE("numbers: parsing is correctly rounded") {
  CHECK(parse_number("0.1") == 0.1);
  CHECK(parse_number("0.35") == 0.35);
  CHECK(parse_number("9007199254740993") == 9007199254740992.0);
}

TEST_CASE("fractions: percentages") {
  CHECK(parse_fraction("35%") == 0.35);
  CHECK(parse_fraction("35 %") == 0.35);
  CHECK(parse_fraction(" 100% ") == 1.0);
  CHECK(parse_fraction("0.5%") == doctest::Approx(0.005));
  CHECK_FALSE(parse_fraction("%"));
  CHECK_FALSE(parse_fraction("35%%"));
  CHECK_FALSE(parse_fraction("nan%"));
  CHECK_FALSE(parse_fraction("35 percent"));
}

TEST_CASE("fractions: plain numbers stay as they are, range is the caller's") {
  CHECK(parse_fraction("0.35") == 0.35);
  CHECK(parse_fraction("1") == 1.0);
  CHECK(parse_fraction("150%") == 1.5);
  CHECK(parse_fraction("-0.1") == -0.1);
  CHECK_FALSE(parse_fraction("1,5"));
  CHECK_FALSE(parse_fraction(""));
}

TEST_CASE("trim: spaces and tabs only") {
  CHECK(trim("  a b\t") == "a b");
  CHECK(trim("\t\t") == "");
  CHECK(trim("") == "");
  CHECK(trim("\na\n") == "\na\n");
}
