#pragma once
// Tabular results rendered for people (aligned text) or for scripts (CSV), from one description.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace scgraph::out {

// A cell: empty, text, a real number, an integer or a flag.
using Cell = std::variant<std::monostate, std::string, double, std::int64_t, bool>;
Cell cell(std::optional<double> value);

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add_row(std::vector<Cell> row) { rows_.push_back(std::move(row)); }
  [[nodiscard]] std::size_t size() const { return rows_.size(); }

  // Aligned columns; numbers right-aligned with 4 decimals; text cut to max_width characters.
  [[nodiscard]] std::string to_text(std::size_t max_width = 60) const;
  // RFC 4180 with a header row; numbers in shortest round-trip form; text cells that a spreadsheet
  // would run as a formula are neutralised (see csv_cell).
  [[nodiscard]] std::string to_csv() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
};

// One CSV field: quoted when needed; text starting with = + - @ (or a tab or carriage return)
// gets a leading apostrophe so spreadsheets show it as text instead of evaluating it.
std::string csv_cell(std::string_view text);

// Number formats shared by every writer.
std::string fixed4(double value);      // tables: 4 decimals
std::string shortest(double value);    // CSV: shortest text that reads back as the same double

}  // namespace scgraph::out
