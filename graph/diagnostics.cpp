#include "diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace scgraph {

std::size_t& Diagnostics::stored_of(std::string_view code) {
  for (auto& [c, n] : stored_per_code_)
    if (c == code) return n;
  return stored_per_code_.emplace_back(std::string(code), 0).second;
}

bool Diagnostics::admit_warning(std::string_view code) {
  if (warning_cap_ == 0 || stored_of(code) < warning_cap_) return true;
  ++unstored_;
  return false;
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::error) {
    ++errors_;
  } else if (warning_cap_ > 0) {
    std::size_t& stored = stored_of(d.code);
    if (stored >= warning_cap_) {
      ++unstored_;
      return;
    }
    ++stored;
  }
  entries_.push_back(std::move(d));
}

void Diagnostics::error(std::string file, std::size_t line, std::size_t column, std::string code,
                        std::string message, std::string hint) {
  add({Severity::error, std::move(file), line, column, std::move(message), std::move(hint),
       std::move(code)});
}

void Diagnostics::warning(std::string file, std::size_t line, std::size_t column, std::string code,
                          std::string message, std::string hint) {
  add({Severity::warning, std::move(file), line, column, std::move(message), std::move(hint),
       std::move(code)});
}

void Diagnostics::sort() {
  std::stable_sort(entries_.begin(), entries_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column, a.severity, a.message) <
           std::tie(b.file, b.line, b.column, b.severity, b.message);
  });
  // The same problem found twice (e.g. a scenario file checked against every year) is one problem.
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column, a.severity, a.message) ==
           std::tie(b.file, b.line, b.column, b.severity, b.message);
  };
  entries_.erase(std::unique(entries_.begin(), entries_.end(), same), entries_.end());
  errors_ = static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

namespace {
// Data quoted in a message (an id, a file name) may hold control characters: shown as escapes so
// that a line break cannot fake another diagnostic and an ESC cannot drive the terminal.
std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7F) out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    else out += ch;
  }
  return out;
}
}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = printable(d.file);
  if (d.line > 0) {
    out += ':' + std::to_string(d.line);
    if (d.column > 0) out += ':' + std::to_string(d.column);
  }
  out += d.severity == Severity::error ? ": error: " : ": warning: ";
  out += printable(d.message);
  if (!d.hint.empty()) out += "\n  hint: " + printable(d.hint);
  return out;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
      std::size_t subst = prev[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return did_you_mean(wrong, std::span<const std::string_view>(views));
}

namespace {
// "share" for "share_provided": a whole leading or trailing word of a longer name is a better guess
// than its edit distance says.
bool word_affix(std::string_view longer, std::string_view part) {
  if (part.size() < 3 || part.size() >= longer.size()) return false;
  auto separator = [](char c) { return c == '_' || c == ' ' || c == '-'; };
  if (longer.starts_with(part) && separator(longer[part.size()])) return true;
  return longer.ends_with(part) && separator(longer[longer.size() - part.size() - 1]);
}
}  // namespace

std::string did_you_mean(std::string_view wrong, std::span<const std::string_view> candidates) {
  // Long inputs make the quadratic distance costly and a guess meaningless.
  if (wrong.empty() || wrong.size() > 200) return {};
  std::size_t best = SIZE_MAX;
  const std::string_view* best_candidate = nullptr;
  for (const auto& c : candidates) {
    bool affix = word_affix(wrong, c) || word_affix(c, wrong);
    if (!affix && (c.size() > wrong.size() + 8 || wrong.size() > c.size() + 8)) continue;
    std::size_t dist = affix ? 1 : edit_distance(wrong, c);
    if (dist < best || (dist == best && best_candidate && c < *best_candidate)) {
      best = dist;
      best_candidate = &c;
    }
  }
  // Allow about one edit in three characters, at least one.
  std::size_t allowed = std::max<std::size_t>(1, wrong.size() / 3);
  if (!best_candidate || best > allowed) return {};
  return std::string(*best_candidate);
}

}  // namespace scgraph
