#pragma once
// Every problem found in a dataset, collected so that all of them are reported at once.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scgraph {

enum class Severity : std::uint8_t { warning, error };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;         // as given on the command line (relative paths stay relative)
  std::size_t line = 0;     // 1-based physical line; 0 when the problem is about the whole file
  std::size_t column = 0;   // 1-based column in characters; 0 when not tied to a field
  std::string message;      // what is wrong
  std::string hint;         // how to fix it (may be empty)
  std::string code;         // stable machine-readable rule name, e.g. "duplicate-id"
};

class Diagnostics {
 public:
  // At most `cap` warnings of one code are stored; the others are only counted, so that a
  // million-row file with a systematic warning neither formats nor keeps a million messages.
  // 0 (the default) stores every warning, as `validate` needs. Errors are always stored.
  void set_warning_cap_per_code(std::size_t cap) { warning_cap_ = cap; }
  [[nodiscard]] std::size_t warning_cap_per_code() const { return warning_cap_; }
  // False when a warning of `code` would not be stored (and counts it as such), so that the
  // caller can skip formatting it; when true, the caller adds it with warning().
  bool admit_warning(std::string_view code);

  void error(std::string file, std::size_t line, std::size_t column, std::string code,
             std::string message, std::string hint = {});
  void warning(std::string file, std::size_t line, std::size_t column, std::string code,
               std::string message, std::string hint = {});
  void add(Diagnostic d);

  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  // Every warning found, stored or not.
  [[nodiscard]] std::size_t warning_count() const { return entries_.size() - errors_ + unstored_; }
  // Warnings counted but not stored because of the per-code cap.
  [[nodiscard]] std::size_t unstored_warning_count() const { return unstored_; }
  [[nodiscard]] const std::vector<Diagnostic>& entries() const { return entries_; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

  // Stable order for output: by file, line, column, then severity and message.
  void sort();

 private:
  // Stored warnings of one code so far (a handful of codes: a linear search is cheapest).
  std::size_t& stored_of(std::string_view code);

  std::vector<Diagnostic> entries_;
  std::size_t errors_ = 0;
  std::size_t warning_cap_ = 0;
  std::size_t unstored_ = 0;
  std::vector<std::pair<std::string, std::size_t>> stored_per_code_;
};

// "FILE:LINE:COLUMN: error: message" (LINE/COLUMN omitted when 0), plus "  hint: ..." on its own line.
std::string format_diagnostic(const Diagnostic& d);

// Closest candidate by edit distance, or empty when nothing is close enough to be a useful guess.
std::string did_you_mean(std::string_view wrong, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace scgraph
