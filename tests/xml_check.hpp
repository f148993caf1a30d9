#pragma once
// A strict well-formedness check of XML text (SVG files, and SVG elements inlined in HTML):
// one root element, every tag closed in order, attributes quoted and not repeated, only the five
// predefined entities and numeric character references, no raw '<' or stray '&' in text or
// attribute values, comments without "--", no control characters. Returns "" when well-formed,
// else the first problem with its byte offset.
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace scgraph::test {

inline std::string xml_problem(std::string_view x) {
  std::size_t i = 0;
  std::vector<std::string> open;
  bool root_seen = false, root_closed = false;
  auto fail = [&](const std::string& what) { return what + " at byte " + std::to_string(i); };
  auto name_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; };
  auto name_char = [&](char c) {
    return name_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  };
  auto read_name = [&]() {
    std::size_t start = i;
    if (i >= x.size() || !name_start(x[i])) return std::string();
    while (i < x.size() && name_char(x[i])) ++i;
    return std::string(x.substr(start, i - start));
  };
  auto skip_space = [&] {
    while (i < x.size() && (x[i] == ' ' || x[i] == '\n' || x[i] == '\t' || x[i] == '\r')) ++i;
  };
  // A reference starting at x[i] == '&'; advances past it or returns false.
  auto reference = [&]() {
    std::size_t end = x.find(';', i);
    if (end == std::string_view::npos || end - i > 12) return false;
    std::string_view ref = x.substr(i + 1, end - i - 1);
    bool ok = ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos";
    if (!ok && ref.size() >= 2 && ref[0] == '#') {
      bool hex = ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      ok = !digits.empty();
      for (char c : digits) ok = ok && (hex ? std::isxdigit(static_cast<unsigned char>(c)) : std::isdigit(static_cast<unsigned char>(c)));
      if (ok) {
        unsigned long code = std::stoul(std::string(digits), nullptr, hex ? 16 : 10);
        ok = code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0x10FFFF);
      }
    }
    if (ok) i = end + 1;
    return ok;
  };
  for (char c : x)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') return "control character in XML";
  while (i < x.size()) {
    if (x[i] == '<') {
      if (x.substr(i, 4) == "<!--") {
        std::size_t end = x.find("-->", i + 4);
        if (end == std::string_view::npos) return fail("unclosed comment");
        if (x.substr(i + 4, end - i - 4).find("--") != std::string_view::npos) return fail("'--' inside a comment");
        i = end + 3;
      } else if (x.substr(i, 2) == "<?") {
        std::size_t end = x.find("?>", i);
        if (end == std::string_view::npos || root_seen) return fail("bad processing instruction");
        i = end + 2;
      } else if (x.substr(i, 9) == "<!DOCTYPE") {
        if (root_seen) return fail("DOCTYPE after the root");
        std::size_t end = x.find('>', i);
        if (end == std::string_view::npos) return fail("unclosed DOCTYPE");
        i = end + 1;
      } else if (x.substr(i, 9) == "<![CDATA[") {
        std::size_t end = x.find("]]>", i);
        if (end == std::string_view::npos || open.empty()) return fail("bad CDATA");
        i = end + 3;
      } else if (x.substr(i, 2) == "</") {
        i += 2;
        std::string name = read_name();
        skip_space();
        if (i >= x.size() || x[i] != '>') return fail("bad end tag");
        if (open.empty() || open.back() != name) return fail("end tag </" + name + "> does not match");
        open.pop_back();
        ++i;
        if (open.empty()) root_closed = true;
      } else {
        ++i;
        std::string name = read_name();
        if (name.empty()) return fail("'<' not starting a tag");
        if (root_closed || (open.empty() && root_seen)) return fail("a second root element");
        root_seen = true;
        std::set<std::string> attributes;
        while (true) {
          std::size_t before = i;
          skip_space();
          if (i >= x.size()) return fail("unclosed start tag");
          if (x[i] == '>') {
            open.push_back(name);
            ++i;
            break;
          }
          if (x.substr(i, 2) == "/>") {
            i += 2;
            if (open.empty()) root_closed = true;
            break;
          }
          if (i == before) return fail("no space before an attribute");
          std::string attribute = read_name();
          if (attribute.empty()) return fail("bad attribute name");
          if (!attributes.insert(attribute).second) return fail("repeated attribute " + attribute);
          skip_space();
          if (i >= x.size() || x[i] != '=') return fail("attribute without '='");
          ++i;
          skip_space();
          if (i >= x.size() || (x[i] != '"' && x[i] != '\'')) return fail("unquoted attribute value");
          char quote = x[i++];
          while (i < x.size() && x[i] != quote) {
            if (x[i] == '<') return fail("'<' in an attribute value");
            if (x[i] == '&') {
              if (!reference()) return fail("bad reference in an attribute value");
            } else {
              ++i;
            }
          }
          if (i >= x.size()) return fail("unclosed attribute value");
          ++i;
        }
      }
    } else if (x[i] == '&') {
      if (!reference()) return fail("bad reference in text");
    } else {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(x[i]))) return fail("text outside the root element");
      ++i;
    }
  }
  if (!open.empty()) return "unclosed element <" + open.back() + ">";
  if (!root_seen) return "no root element";
  return "";
}

// Every <svg ...>...</svg> element of an HTML page (not nested in each other).
inline std::vector<std::string> svg_elements(std::string_view html) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = html.find("<svg", at)) != std::string_view::npos) {
    std::size_t end = html.find("</svg>", at);
    if (end == std::string_view::npos) {
      out.emplace_back(html.substr(at));
      break;
    }
    out.emplace_back(html.substr(at, end + 6 - at));
    at = end + 6;
  }
  return out;
}

// Text with the XML references decoded (for comparing rendered text with data).
inline std::string xml_unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    std::size_t end = s.find(';', i);
    std::string_view ref = s.substr(i + 1, end - i - 1);
    unsigned long code = 0;
    if (ref == "amp") code = '&';
    else if (ref == "lt") code = '<';
    else if (ref == "gt") code = '>';
    else if (ref == "quot") code = '"';
    else if (ref == "apos") code = '\'';
    else if (ref.size() > 1 && ref[0] == '#') code = std::stoul(std::string(ref.substr(ref[1] == 'x' ? 2 : 1)), nullptr, ref[1] == 'x' ? 16 : 10);
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
    i = end;
  }
  return out;
}

}  // namespace scgraph::test
