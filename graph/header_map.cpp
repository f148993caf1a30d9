#include "header_map.hpp"

#include <fmt/format.h>

#include "numbers.hpp"

namespace scgraph {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}
}  // namespace

HeaderMap::HeaderMap(const csv::Record& header, std::string file, Diagnostics& diag, std::vector<ColumnSpec> known,
                     bool keep_unknown_as_attributes)
    : file_(std::move(file)), diag_(diag), width_(header.size()) {
  for (const auto& spec : known) known_.emplace_back(spec.name, -1);

  if (header.size() == 1 && header[0].find(';') != std::string_view::npos) {
    diag_.error(file_, header.line(), 1, "semicolon-delimited",
                "the header is one column holding ';' characters: the file looks semicolon-delimited",
                "export the sheet as comma-separated CSV (in a spreadsheet: CSV UTF-8, comma delimiter)");
    usable_ = false;
    return;
  }

  std::vector<std::string> unknown_names;
  std::vector<std::size_t> unknown_fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name = lower(trim(header[i]));
    bool matched = false;
    for (auto& [known_name, field] : known_) {
      if (name != known_name) continue;
      matched = true;
      if (field >= 0)
        diag_.error(file_, header.line_of(i), header.column_of(i), "duplicate-column",
                    fmt::format("column '{}' appears twice (also column {})", known_name, field + 1),
                    "delete or rename one of the two columns");
      else
        field = static_cast<int>(i);
    }
    if (matched) continue;
    unknown_names.push_back(std::string(trim(header[i])));
    unknown_fields.push_back(i);
  }

  std::vector<std::string> known_names;
  for (const auto& spec : known) known_names.emplace_back(spec.name);
  for (std::size_t k = 0; k < known.size(); ++k) {
    if (known_[k].second >= 0) continue;
    std::vector<std::string> lowered;
    for (const auto& u : unknown_names) lowered.push_back(lower(u));
    std::string guess = did_you_mean(known[k].name, lowered);
    // Name the column as the header writes it, so that it can be found in the file.
    for (std::size_t u = 0; u < lowered.size() && !guess.empty(); ++u)
      if (lowered[u] == guess) {
        guess = unknown_names[u];
        break;
      }
    std::string hint = guess.empty() ? fmt::format("add a column named '{}' to the header row", known[k].name)
                                     : fmt::format("did you mean '{}'? rename that column to '{}'", guess, known[k].name);
    if (known[k].required) {
      diag_.error(file_, header.line(), 0, "missing-column", fmt::format("required column '{}' is missing", known[k].name), hint);
      usable_ = false;
    } else if (!guess.empty()) {
      diag_.warning(file_, header.line(), 0, "misspelled-column",
                    fmt::format("no column '{}', but a column '{}' that is not read as one", known[k].name, guess), hint);
    }
  }
  for (std::size_t u = 0; u < unknown_names.size(); ++u) {
    if (keep_unknown_as_attributes) {
      attribute_names_.push_back(unknown_names[u]);
      attribute_fields_.push_back(unknown_fields[u]);
    }
  }
}

int HeaderMap::index(std::string_view name) const {
  for (const auto& [known_name, field] : known_)
    if (known_name == name) return field;
  return -1;
}

bool HeaderMap::check_width(const csv::Record& row) const {
  if (row.size() == width_) return true;
  if (row.size() < width_) {
    std::size_t last = row.size() - 1;
    diag_.error(file_, row.line(), row.column_of(last), "missing-fields",
                fmt::format("row has {} field{}, the header has {}", row.size(), row.size() == 1 ? "" : "s", width_),
                "every row needs a value (possibly empty) for each column: add the missing commas");
  } else {
    diag_.error(file_, row.line(), row.column_of(width_), "extra-fields",
                fmt::format("row has {} fields, the header has {}", row.size(), width_),
                "a value holding a comma must be quoted, e.g. \"Tokyo Electron, Ltd.\"");
  }
  return false;
}

}  // namespace scgraph
