// Any bytes through the CSV reader: no crash, no hang, every field inside the input, positions sane.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "graph/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  scgraph::Diagnostics diag;
  scgraph::csv::ReaderOptions options;
  options.max_field_bytes = 4096;
  auto records = scgraph::csv::parse_text(text, "fuzz.csv", diag, options);
  for (const auto& r : records) {
    if (r.line() == 0) std::abort();
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (r[i].size() > options.max_field_bytes) std::abort();
      if (r.line_of(i) < r.line() || r.column_of(i) == 0) std::abort();
    }
  }
  for (const auto& d : diag.entries())
    if (d.message.empty()) std::abort();
  return 0;
}
