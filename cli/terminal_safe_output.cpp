#include "terminal_safe_output.hpp"

#include <cstdio>

namespace scgraph::cli {

namespace {
void write(std::streambuf* target, const char* text) {
  for (; *text; ++text) target->sputc(*text);
}
}  // namespace

TerminalSafeBuffer::~TerminalSafeBuffer() { flush_pending_lead(); }

void TerminalSafeBuffer::flush_pending_lead() {
  if (pending_c2_) target_->sputc(static_cast<char>(0xC2));
  pending_c2_ = false;
}

void TerminalSafeBuffer::put(unsigned char c) {
  char escaped[16];
  if (pending_c2_) {
    pending_c2_ = false;
    if (c >= 0x80 && c <= 0x9F) {
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      write(target_, escaped);
      return;
    }
    target_->sputc(static_cast<char>(0xC2));
  }
  if (c == 0xC2) {
    pending_c2_ = true;
    return;
  }
  const bool control = c < 0x20 || c == 0x7F;
  if (!control || c == '\n' || (c == '\r' && keep_carriage_return_)) {
    target_->sputc(static_cast<char>(c));
    return;
  }
  if (c == '\t') {
    write(target_, "\\t");
    return;
  }
  if (c == '\r') {
    write(target_, "\\r");
    return;
  }
  std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(c));
  write(target_, escaped);
}

TerminalSafeBuffer::int_type TerminalSafeBuffer::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  put(static_cast<unsigned char>(traits_type::to_char_type(c)));
  return c;
}

std::streamsize TerminalSafeBuffer::xsputn(const char* s, std::streamsize n) {
  for (std::streamsize i = 0; i < n; ++i) put(static_cast<unsigned char>(s[i]));
  return n;
}

int TerminalSafeBuffer::sync() {
  // A lone 0xC2 at a flush stays pending: the rest of its character may follow.
  return target_->pubsync();
}

}  // namespace scgraph::cli
