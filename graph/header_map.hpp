#pragma once
// Maps a CSV header row to the columns a file needs: names matched case-insensitively, in any
// order; missing required columns, duplicates and semicolon-delimited exports reported precisely.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_reader.hpp"
#include "diagnostics.hpp"

namespace scgraph {

struct ColumnSpec {
  std::string_view name;
  bool required;
};

class HeaderMap {
 public:
  HeaderMap(const csv::Record& header, std::string file, Diagnostics& diag, std::vector<ColumnSpec> known,
            bool keep_unknown_as_attributes);

  // False when a required column is missing (rows cannot be read then).
  [[nodiscard]] bool usable() const { return usable_; }
  // Field index of a known column, -1 when absent.
  [[nodiscard]] int index(std::string_view name) const;
  [[nodiscard]] const std::vector<std::string>& attribute_names() const { return attribute_names_; }
  [[nodiscard]] std::size_t attribute_index(std::size_t k) const { return attribute_fields_[k]; }
  [[nodiscard]] std::size_t width() const { return width_; }
  // Reports a row whose field count differs from the header's; false for such a row.
  bool check_width(const csv::Record& row) const;

 private:
  std::string file_;
  Diagnostics& diag_;
  std::vector<std::pair<std::string_view, int>> known_;
  std::vector<std::string> attribute_names_;
  std::vector<std::size_t> attribute_fields_;
  std::size_t width_ = 0;
  bool usable_ = true;
};

}  // namespace scgraph
