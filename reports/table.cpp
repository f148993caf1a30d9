#include "table.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace scgraph::out {

Cell cell(std::optional<double> value) { return value ? Cell{*value} : Cell{}; }

std::string fixed4(double value) {
  std::string s = fmt::format("{:.4f}", value);
  if (s == "-0.0000") s = "0.0000";
  return s;
}

std::string shortest(double value) {
  if (value == 0) return "0";
  return fmt::format("{}", value);
}

std::string csv_cell(std::string_view text) {
  std::string s(text);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    s.insert(s.begin(), '\'');
  bool needs_quotes = s.find_first_of(",\"\r\n") != std::string::npos;
  if (!needs_quotes) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

namespace {

std::string text_of(const Cell& c) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(double d) const { return fixed4(d); }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "yes" : "no"; }
  };
  return std::visit(Visitor{}, c);
}

std::string csv_of(const Cell& c) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& s) const { return csv_cell(s); }
    std::string operator()(double d) const { return shortest(d); }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
  };
  return std::visit(Visitor{}, c);
}

bool is_number(const Cell& c) { return std::holds_alternative<double>(c) || std::holds_alternative<std::int64_t>(c); }

// Display width in characters of UTF-8 text (code points; wide glyphs are not measured).
std::size_t width_of(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Control characters would break the layout (or drive the terminal): shown as spaces.
std::string printable(std::string_view s, std::size_t max_width) {
  std::string out;
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool starts_char = (c & 0xC0) != 0x80;
    if (starts_char && width == max_width) {
      // replace the last character with an ellipsis
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
      if (!out.empty()) out.pop_back();
      out += "\u2026";
      return out;
    }
    if (starts_char) ++width;
    out += (c < 0x20 || c == 0x7f) ? ' ' : s[i];
  }
  return out;
}

}  // namespace

std::string Table::to_text(std::size_t max_width) const {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths(headers_.size(), 0);
  for (std::size_t c = 0; c < headers_.size(); ++c) widths[c] = width_of(headers_[c]);
  for (const auto& row : rows_) {
    auto& texts = cells.emplace_back();
    for (std::size_t c = 0; c < headers_.size(); ++c) {
      texts.push_back(c < row.size() ? printable(text_of(row[c]), max_width) : "");
      widths[c] = std::max(widths[c], width_of(texts.back()));
    }
  }
  auto pad = [](const std::string& s, std::size_t width, bool right) {
    std::string fill(width - std::min(width, width_of(s)), ' ');
    return right ? fill + s : s + fill;
  };
  std::string out;
  auto emit_line = [&](const std::vector<std::string>& texts, const std::vector<Cell>* row) {
    std::string line;
    for (std::size_t c = 0; c < texts.size(); ++c) {
      bool right = row && c < row->size() && is_number((*row)[c]);
      if (c) line += "  ";
      line += pad(texts[c], widths[c], right);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  };
  emit_line(headers_, nullptr);
  std::vector<std::string> rule;
  for (auto w : widths) rule.push_back(std::string(w, '-'));
  emit_line(rule, nullptr);
  for (std::size_t r = 0; r < rows_.size(); ++r) emit_line(cells[r], &rows_[r]);
  return out;
}

std::string Table::to_csv() const {
  std::string out;
  for (std::size_t c = 0; c < headers_.size(); ++c) out += (c ? "," : "") + csv_cell(headers_[c]);
  out += '\n';
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < headers_.size(); ++c) out += (c ? "," : "") + (c < row.size() ? csv_of(row[c]) : "");
    out += '\n';
  }
  return out;
}

}  // namespace scgraph::out
