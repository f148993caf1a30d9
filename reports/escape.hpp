#pragma once
// Escaping of data text for every language the reports write, so that a name holding quotes,
// backslashes (Graphviz's \N, \G, \L), braces, < > &, line breaks or control characters shows
// literally and never becomes markup, script or graph structure.
//
// Every function first makes the text valid UTF-8 (a bad byte becomes U+FFFD) and shows control
// characters as their Unicode control pictures (U+2400 + code, e.g. "\x01" -> U+2401), except
// where noted for line breaks and tabs.
#include <string>
#include <string_view>

namespace scgraph::out {

// Valid UTF-8: every byte that is not part of a well-formed sequence becomes U+FFFD.
std::string valid_utf8(std::string_view text);

// Text for HTML or XML content and attribute values: & < > " ' as character references. A line
// break and a tab stay (they are white space in HTML); other control characters become pictures.
std::string html_text(std::string_view text);

// The body of a DOT double-quoted string used as an escString attribute (label, xlabel, tooltip):
// backslash and quote are escaped, a line break becomes Graphviz's centred line break \n, and '&'
// is written as "&amp;" because Graphviz decodes character references in plain labels. The caller
// adds the surrounding quotes (see dot_quoted).
std::string dot_label_text(std::string_view text);
// dot_label_text wrapped in double quotes.
std::string dot_quoted(std::string_view text);

// Text for a cell of a Graphviz HTML-like label (label=<...>): XML character references, a line
// break becomes <BR/>, a backslash is doubled (Graphviz expands \N, \G... there too).
std::string dot_html_text(std::string_view text);

// The first max_chars code points of text, with "…" appended when it was cut.
std::string shorten(std::string_view text, std::size_t max_chars);

}  // namespace scgraph::out
