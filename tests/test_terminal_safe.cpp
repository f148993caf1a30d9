// Text shown on a terminal: data cannot smuggle control sequences through names.
#include <doctest/doctest.h>

#include <ostream>
#include <sstream>

#include "cli/terminal_safe_output.hpp"

namespace {
std::string through_buffer(const std::string& text, bool keep_carriage_return, bool byte_by_byte = false) {
  std::ostringstream target;
  {
    scgraph::cli::TerminalSafeBuffer safe(target.rdbuf(), keep_carriage_return);
    std::ostream out(&safe);
    if (byte_by_byte)
      for (char c : text) out.put(c);
    else
      out << text;
    out.flush();
  }
  return target.str();
}
}  // namespace

TEST_CASE("terminal-safe output: control characters become visible escapes, text and line breaks stay") {
  CHECK(through_buffer("FAB-CN \xe4\xb8\xad\xe8\x8a\xaf\n", false) == "FAB-CN \xe4\xb8\xad\xe8\x8a\xaf\n");
  CHECK(through_buffer("\x1b]0;owned\x07name\n", false) == "\\x1b]0;owned\\x07name\n");
  CHECK(through_buffer("a\tb\rc\x7f", false) == "a\\tb\\rc\\x7f");
  CHECK(through_buffer("progress\r", true) == "progress\r");
  // C1 controls (CSI is U+009B) in UTF-8, whole or split across writes; other C2 characters stay.
  CHECK(through_buffer("x\xc2\x9b" "31m", false) == "x\\u009b31m");
  CHECK(through_buffer("x\xc2\x9b" "31m", false, true) == "x\\u009b31m");
  CHECK(through_buffer("\xc2\xa9 2024", false, true) == "\xc2\xa9 2024");
  CHECK(through_buffer("ends with lead \xc2", false) == "ends with lead \xc2");
}
