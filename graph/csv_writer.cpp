#include "csv_writer.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace scgraph::csv {

std::string quote_field(std::string_view field) {
  bool needs_quotes = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' || field.back() == '\t'))
    needs_quotes = true;
  if (!needs_quotes) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string decimal(double value, int max_decimals) {
  if (!std::isfinite(value)) throw std::invalid_argument("csv::decimal: not a finite number");
  std::string text = fmt::format("{:.{}f}", value, max_decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

double floor_to_decimals(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::floor(value * scale + 1e-6) / scale;
}

Writer::Writer(std::vector<std::string> header) : width_(header.size()) { append(header); }

void Writer::row(const std::vector<std::string>& fields) {
  if (fields.size() != width_) throw std::invalid_argument("csv::Writer: a record must have as many fields as the header");
  append(fields);
  ++rows_;
}

void Writer::append(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) text_ += ',';
    text_ += quote_field(fields[i]);
  }
  text_ += '\n';
}

}  // namespace scgraph::csv
