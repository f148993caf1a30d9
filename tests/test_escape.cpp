// Escaping of data text into HTML, DOT labels and Graphviz HTML-like labels, checked on exact
// strings and by rendering hostile names through Graphviz in process.
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>
#include <thread>

#include "reports/escape.hpp"
#include "reports/graphviz_render.hpp"
#include "test_support.hpp"
#include "xml_check.hpp"

using namespace scgraph::out;
using scgraph::test::xml_problem;
using scgraph::test::xml_unescape;

namespace {

// Quotes, Graphviz escapes, record braces, markup, a reference, a line break, a control
// character, DOT structure and a trailing backslash.
const std::string hostile =
    "Evil \"Corp\" \\N \\G \\L \\E {a|b} <b>x</b> &amp; R&D\nline2\x01 </text><script>alert(1)</script> ]; n9 -> n0; \\";

// The text lines of every <text> element of an SVG, references decoded.
std::vector<std::string> svg_text_lines(const std::string& svg) {
  std::vector<std::string> lines;
  std::regex text_element("<text[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text_element); it != std::sregex_iterator(); ++it)
    lines.push_back(xml_unescape((*it)[1].str()));
  return lines;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// What a hostile name must look like once rendered: the line break splits it into two lines and
// the control character shows as its picture (U+2401).
const std::string first_line = "Evil \"Corp\" \\N \\G \\L \\E {a|b} <b>x</b> &amp; R&D";
const std::string second_line = "line2\xE2\x90\x81 </text><script>alert(1)</script> ]; n9 -> n0; \\";

}  // namespace

TEST_CASE("escape: HTML text turns markup characters into references") {
  CHECK(html_text("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(html_text("tab\tline\n") == "tab\tline\n");
  CHECK(html_text("bell\x07") == "bell\xE2\x90\x87");        // U+2407
  CHECK(html_text("bad \xFF byte") == "bad \xEF\xBF\xBD byte");  // U+FFFD
  CHECK(html_text("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");  // valid UTF-8 stays
  std::string escaped = html_text(hostile);
  CHECK(escaped.find('<') == std::string::npos);
  CHECK(escaped.find('>') == std::string::npos);
  CHECK(escaped.find('"') == std::string::npos);
}

TEST_CASE("escape: UTF-8 is repaired byte by byte") {
  CHECK(valid_utf8("ok") == "ok");
  CHECK(valid_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");     // truncated sequence: each byte replaced
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a UTF-16 surrogate
  CHECK(valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");     // U+1F600
}

TEST_CASE("escape: DOT label text") {
  CHECK(dot_label_text("a\"b") == "a\\\"b");
  CHECK(dot_label_text("\\N") == "\\\\N");
  CHECK(dot_label_text("R&D") == "R&amp;D");
  CHECK(dot_label_text("one\ntwo") == "one\\ntwo");
  CHECK(dot_quoted("x") == "\"x\"");
  CHECK(dot_html_text("<a & \\N>\n") == "&lt;a &amp; \\\\N&gt;<BR/>");
}

TEST_CASE("escape: shorten cuts on characters, not bytes") {
  CHECK(shorten("abcdef", 3) == "abc\xE2\x80\xA6");
  CHECK(shorten("abc", 3) == "abc");
  CHECK(shorten("\xC3\xA9\xC3\xA9\xC3\xA9", 2) == "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
}

TEST_CASE("escape: a hostile name in a plain DOT label renders literally in Graphviz's SVG") {
  std::string dot = "digraph g { n0 [label=" + dot_quoted(hostile) + "]; n1 [label=\"other\"]; n0 -> n1; }";
  Rendered svg = render_dot(dot, "svg");
  CHECK(xml_problem(svg.data) == "");
  // Exactly the two nodes and one edge written: nothing in the name became graph structure.
  CHECK(count(svg.data, "class=\"node\"") == 2);
  CHECK(count(svg.data, "class=\"edge\"") == 1);
  auto lines = svg_text_lines(svg.data);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == first_line);
  CHECK(lines[1] == second_line);
  CHECK(lines[2] == "other");
  CHECK(svg.data.find("<script") == std::string::npos);
}

TEST_CASE("escape: a hostile name in an HTML-like label renders literally") {
  std::string dot = "digraph g { n0 [shape=plaintext, label=<<TABLE><TR><TD>" + dot_html_text(hostile) +
                    "</TD></TR></TABLE>>]; }";
  Rendered svg = render_dot(dot, "svg");
  CHECK(xml_problem(svg.data) == "");
  CHECK(count(svg.data, "class=\"node\"") == 1);
  auto lines = svg_text_lines(svg.data);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == first_line);
  CHECK(lines[1] == second_line);
  CHECK(svg.data.find("<script") == std::string::npos);
}

TEST_CASE("graphviz: rendering does not need Graphviz's plugin configuration") {
  // GVBINDIR names the folder of the plugin configuration; an empty one makes the dot program
  // fail with 'Format: "svg" not recognized'. The linked-in plugins do not look there.
  scgraph::test::TempDir empty;
  const char* previous = std::getenv("GVBINDIR");
  std::string saved = previous ? previous : "";
  ::setenv("GVBINDIR", empty.path().c_str(), 1);
  Rendered svg = render_dot("digraph g { a -> b; }", "svg");
  Rendered png = render_dot("digraph g { a -> b; }", "png");
  if (previous) ::setenv("GVBINDIR", saved.c_str(), 1);
  else ::unsetenv("GVBINDIR");
  CHECK(svg.data.find("<svg") != std::string::npos);
  CHECK(png.data.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST_CASE("graphviz: errors are captured and thrown, not printed") {
  try {
    render_dot("digraph g { a -> ; }", "svg");
    FAIL("no error for bad DOT");
  } catch (const GraphvizError& e) {
    CHECK(std::string(e.what()).find("syntax error") != std::string::npos);
  }
  CHECK_THROWS_AS(render_dot("digraph g { a; }", "gif"), GraphvizError);
  // The library still works after an error.
  CHECK(render_dot("digraph g { a; }", "svg").data.find("<svg") != std::string::npos);
}

TEST_CASE("graphviz: concurrent calls are serialised and give identical output") {
  std::string dot = "digraph g { a -> b -> c; a -> c; }";
  std::string expected = render_dot(dot, "svg").data;
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 5; ++k) results[t] = render_dot(dot, "svg").data;
    });
  for (auto& th : threads) th.join();
  for (const auto& r : results) CHECK(r == expected);
}

TEST_CASE("xml check: accepts well-formed text and rejects the usual breakages") {
  using scgraph::test::xml_problem;
  CHECK(xml_problem("<?xml version=\"1.0\"?>\n<svg a=\"1\"><g><text>x &amp; &#38; &#x26;</text></g><!-- c --></svg>\n") == "");
  CHECK(xml_problem("<svg><g></svg>") != "");
  CHECK(xml_problem("<svg a=1></svg>") != "");
  CHECK(xml_problem("<svg a=\"1\" a=\"2\"></svg>") != "");
  CHECK(xml_problem("<svg>a & b</svg>") != "");
  CHECK(xml_problem("<svg>&nbsp;</svg>") != "");
  CHECK(xml_problem("<svg>a < b</svg>") != "");
  CHECK(xml_problem("<svg></svg><svg></svg>") != "");
  CHECK(xml_problem("<svg><!-- a -- b --></svg>") != "");
  CHECK(xml_problem("<svg a=\"<\"></svg>") != "");
}
