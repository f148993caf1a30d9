#pragma once
// Writes data CSV files (datasets, not reports): RFC 4180 quoting only where a field needs it,
// LF line ends, numbers in a fixed decimal form so that the same values give the same bytes.
// Nothing is neutralised for spreadsheets here: the files are data that scgraph reads back.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace scgraph::csv {

// The field as written in a record: quoted (inner quotes doubled) when it holds a comma, a quote,
// a line break, or leading/trailing spaces that a reader might trim; as is otherwise.
std::string quote_field(std::string_view field);

// A finite number with at most max_decimals decimals, rounded to nearest, trailing zeros and a
// trailing point removed ("574100", "0.35"); -0 is written as 0.
std::string decimal(double value, int max_decimals);

// value rounded down to a multiple of 10^-decimals (a share written this way never exceeds the
// exact value, so shares that add up to at most 1 still do after writing). A value less than a
// millionth of a step below a multiple counts as that multiple, so that 0.61 (whose double is a
// hair below 0.61) is written 0.61 and not 0.609999999.
double floor_to_decimals(double value, int decimals);

class Writer {
 public:
  explicit Writer(std::vector<std::string> header);
  // One record; it must have as many fields as the header.
  void row(const std::vector<std::string>& fields);
  [[nodiscard]] std::size_t rows() const { return rows_; }
  [[nodiscard]] std::size_t width() const { return width_; }
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  void append(const std::vector<std::string>& fields);
  std::string text_;
  std::size_t width_ = 0, rows_ = 0;
};

}  // namespace scgraph::csv
