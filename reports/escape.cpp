#include "escape.hpp"

namespace scgraph::out {

namespace {

// Length of the well-formed UTF-8 sequence at text[i], or 0 when the byte there starts none.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;  // no UTF-16 surrogates
  else if (c >= 0xEE && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

constexpr std::string_view replacement = "\xEF\xBF\xBD";

// U+2400 + c for C0 controls, U+2421 for DEL.
std::string control_picture(unsigned char c) {
  unsigned code = c == 0x7F ? 0x2421 : 0x2400 + c;
  std::string s;
  s += static_cast<char>(0xE0 | (code >> 12));
  s += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  s += static_cast<char>(0x80 | (code & 0x3F));
  return s;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// Calls emit(char) for ASCII bytes and emit_raw(sequence) for multi-byte sequences of the valid
// UTF-8 form of text.
template <typename Ascii, typename Other>
void for_each_character(std::string_view text, Ascii ascii, Other other) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = sequence_length(text, i);
    if (n == 0) {
      other(replacement);
      ++i;
    } else if (n == 1) {
      ascii(text[i]);
      ++i;
    } else {
      other(text.substr(i, n));
      i += n;
    }
  }
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_character(text, [&](char c) { out += c; }, [&](std::string_view s) { out += s; });
  return out;
}

std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for_each_character(
      text,
      [&](char c) {
        switch (c) {
          case '&': out += "&amp;"; break;
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '"': out += "&quot;"; break;
          case '\'': out += "&#39;"; break;
          case '\n':
          case '\t': out += c; break;
          default:
            if (is_control(static_cast<unsigned char>(c))) out += control_picture(static_cast<unsigned char>(c));
            else out += c;
        }
      },
      [&](std::string_view s) { out += s; });
  return out;
}

std::string dot_label_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for_each_character(
      text,
      [&](char c) {
        switch (c) {
          case '\\': out += "\\\\"; break;
          case '"': out += "\\\""; break;
          case '&': out += "&amp;"; break;
          case '\n': out += "\\n"; break;
          default:
            if (is_control(static_cast<unsigned char>(c))) out += control_picture(static_cast<unsigned char>(c));
            else out += c;
        }
      },
      [&](std::string_view s) { out += s; });
  return out;
}

std::string dot_quoted(std::string_view text) { return "\"" + dot_label_text(text) + "\""; }

std::string dot_html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for_each_character(
      text,
      [&](char c) {
        switch (c) {
          case '&': out += "&amp;"; break;
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '"': out += "&quot;"; break;
          case '\'': out += "&#39;"; break;
          case '\n': out += "<BR/>"; break;
          // Graphviz expands \N, \G, \E ... in the text of HTML-like labels too, and turns a
          // doubled backslash into one: a literal backslash is written doubled (a character
          // reference would be decoded before the expansion).
          case '\\': out += "\\\\"; break;
          default:
            if (is_control(static_cast<unsigned char>(c))) out += control_picture(static_cast<unsigned char>(c));
            else out += c;
        }
      },
      [&](std::string_view s) { out += s; });
  return out;
}

std::string shorten(std::string_view text, std::size_t max_chars) {
  std::string valid = valid_utf8(text);
  std::size_t chars = 0, i = 0;
  while (i < valid.size() && chars < max_chars) {
    i += sequence_length(valid, i);
    ++chars;
  }
  if (i >= valid.size()) return valid;
  return valid.substr(0, i) + "\xE2\x80\xA6";
}

}  // namespace scgraph::out
