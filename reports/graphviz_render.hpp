#pragma once
// Graphviz in process: DOT text in, SVG (or PNG, PDF) out.
//
// The layout and render plugins are linked into the program and handed to Graphviz directly, so
// rendering does not depend on Graphviz's plugin configuration file (which only the package's
// install step writes). Graphviz keeps global state (error handler, memory pools) and is not
// thread-safe: every call takes one process-wide lock. Its messages are captured instead of going
// to standard error.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scgraph::out {

class GraphvizError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Rendered {
  std::string data;      // the rendered file's bytes
  std::string messages;  // Graphviz's warnings, if any
};

// Lays out `dot` with the dot engine and renders it as `format`: "svg" (Graphviz's own SVG, text
// sized by its built-in font metrics, identical on every machine), "png" or "pdf" (cairo).
// Throws GraphvizError with Graphviz's messages when the text does not parse or layout fails.
Rendered render_dot(std::string_view dot, std::string_view format);

// The formats render_dot accepts.
const std::vector<std::string>& render_formats();

}  // namespace scgraph::out
