#include "eto_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "numbers.hpp"

namespace scgraph::eto {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

// Words of lower-case letters and digits, in order.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : lower(text)) {
    if (is_alpha(c) || is_digit(c)) {
      current += c;
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool has_word(std::string_view text, std::string_view word) {
  auto ws = words(text);
  return std::find(ws.begin(), ws.end(), word) != ws.end();
}

// Multiplier to million USD of a scale word, 0 when it is not one.
double scale_of(std::string_view word) {
  const std::string w = lower(word);
  if (w == "thousand" || w == "k") return 1e-3;
  if (w == "million" || w == "millions" || w == "m" || w == "mn" || w == "mm") return 1;
  if (w == "billion" || w == "billions" || w == "b" || w == "bn") return 1e3;
  if (w == "trillion" || w == "trillions" || w == "t" || w == "tn") return 1e6;
  return 0;
}

}  // namespace

std::optional<double> parse_market_size_musd(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i]) && !(text[i] == '.' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      ++i;
      continue;
    }
    // A number: digits with thousands separators and one decimal point.
    const std::size_t start = i;
    std::string digits;
    while (i < text.size() && (is_digit(text[i]) || text[i] == '.' ||
                               (text[i] == ',' && i + 1 < text.size() && is_digit(text[i + 1]) && !digits.empty()))) {
      if (text[i] != ',') digits += text[i];
      ++i;
    }
    // A '$' before it (spaces allowed, "US$" too) makes it an amount of dollars.
    std::size_t before = start;
    while (before > 0 && text[before - 1] == ' ') --before;
    const bool dollar = before > 0 && text[before - 1] == '$';
    // A scale word after it, attached ("1.2B") or after spaces ("1.2 billion").
    std::size_t w = i;
    while (w < text.size() && text[w] == ' ') ++w;
    std::size_t w_end = w;
    while (w_end < text.size() && is_alpha(text[w_end])) ++w_end;
    const double scale = w_end > w ? scale_of(text.substr(w, w_end - w)) : 0;
    auto value = parse_number(digits);
    if (!value || (!dollar && scale == 0)) continue;  // a year, a count: not an amount
    const double musd = scale == 0 ? *value / 1e6 : *value * scale;
    // Decimal text times a power of ten is not exact in binary ("574.1" x 1000 = 574100.00000000006):
    // keep the figure the text states, to a millionth of a million USD (one dollar).
    return std::round(musd * 1e6) / 1e6;
  }
  return std::nullopt;
}

ShareCell parse_share_cell(std::string_view text) {
  std::string_view t = trim(text);
  if (t.empty()) return {ShareForm::blank, 0};
  const std::string l = lower(t);
  if (l == "negligible" || l == "neg." || l == "n/a" || l == "na" || l == "-" || l == "--")
    return {l == "negligible" || l == "neg." ? ShareForm::negligible : ShareForm::blank, 0};
  if (t.back() == '%') {
    if (auto v = parse_number(t.substr(0, t.size() - 1))) return {ShareForm::percent, *v};
    return {ShareForm::invalid, 0};
  }
  if (auto v = parse_number(t)) return {ShareForm::number, *v};
  return {ShareForm::invalid, 0};
}

double Shares::total() const {
  double sum = 0;
  for (double f : fraction) sum += f;
  return sum;
}

Shares normalise_shares(std::span<const ShareCell> cells) {
  Shares out;
  out.fraction.assign(cells.size(), 0);
  out.use.assign(cells.size(), ShareUse::invalid);

  bool any_percent = false, any_plain = false, plain_at_most_one = true;
  double plain_sum = 0;
  for (const auto& c : cells) {
    if (c.form == ShareForm::percent) any_percent = true;
    if (c.form == ShareForm::number && c.written >= 0) {
      any_plain = true;
      plain_sum += c.written;
      if (c.written > 1) plain_at_most_one = false;
    }
  }
  out.read_as_fractions = any_plain && !any_percent && plain_at_most_one && plain_sum <= 1.05;

  for (std::size_t i = 0; i < cells.size(); ++i) {
    const ShareCell& c = cells[i];
    switch (c.form) {
      case ShareForm::blank:
      case ShareForm::negligible: out.use[i] = ShareUse::unquantified; continue;
      case ShareForm::invalid: out.use[i] = ShareUse::invalid; continue;
      case ShareForm::number:
      case ShareForm::percent: break;
    }
    const double f = c.form == ShareForm::number && out.read_as_fractions ? c.written : c.written / 100.0;
    if (f < 0 || f > 1) {
      out.use[i] = ShareUse::out_of_range;
    } else if (f == 0) {
      out.use[i] = ShareUse::zero;
    } else {
      out.use[i] = ShareUse::share;
      out.fraction[i] = f;
    }
  }

  out.written_total = out.total();
  if (out.written_total > 1) {
    // Any excess, even a rounding hair, is removed so that the shares add up to at most 1; only
    // an excess the publishers wrote (more than a rounding error of the sum) counts as scaled.
    for (double& f : out.fraction) f /= out.written_total;
    out.scaled = out.written_total > 1 + 1e-9;
  }
  return out;
}

std::optional<Kind> producer_kind(std::string_view type, std::string_view name, std::string_view stage) {
  const std::string t = lower(trim(type));
  if (t == "process") {
    const std::string s = lower(stage);
    if (s.find("design") != std::string::npos) return Kind::design;
    if (s.find("fabrication") != std::string::npos || has_word(s, "fab") || has_word(s, "front")) return Kind::fab;
    if (s.find("packaging") != std::string::npos || s.find("assembly") != std::string::npos ||
        s.find("test") != std::string::npos || has_word(s, "atp") || has_word(s, "back"))
      return Kind::packaging;
    return std::nullopt;
  }
  const std::string n = lower(name);
  if (n.find("design automation") != std::string::npos || has_word(n, "eda")) return Kind::eda;
  if (n.find("intellectual property") != std::string::npos || has_word(n, "ip")) return Kind::ip;
  if (t == "tool_resource") return Kind::equipment;
  if (t == "material_resource") return Kind::material;
  if (t == "design_resource") return Kind::design;
  if (t == "ultimate_output") return Kind::chip;
  return std::nullopt;
}

}  // namespace scgraph::eto
