#pragma once
// Every problem found in a dataset, collected so that all of them are reported at once.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
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
  void error(std::string file, std::size_t line, std::size_t column, std::string code,
             std::string message, std::string hint = {});
  void warning(std::string file, std::size_t line, std::size_t column, std::string code,
               std::string message, std::string hint = {});
  void add(Diagnostic d);

  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] std::size_t warning_count() const { return entries_.size() - errors_; }
  [[nodiscard]] const std::vector<Diagnostic>& entries() const { return entries_; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

  // Stable order for output: by file, line, column, then severity and message.
  void sort();

 private:
  std::vector<Diagnostic> entries_;
  std::size_t errors_ = 0;
};

// "FILE:LINE:COLUMN: error: message" (LINE/COLUMN omitted when 0), plus "  hint: ..." on its own line.
std::string format_diagnostic(const Diagnostic& d);

// Closest candidate by edit distance, or empty when nothing is close enough to be a useful guess.
std::string did_you_mean(std::string_view wrong, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace scgraph
