// Arbitrary names and attributes through every place the reports write data text: the DOT maps
// (plain labels), a Graphviz HTML-like label, the HTML page and CSV cells. The input is split at
// each 0xFF byte (never part of valid UTF-8, so any other byte, invalid sequences included, can
// appear in a piece); the pieces become node ids, names, stages, countries and input names of a
// small supply graph, and the text fields of a report page.
//
// What must hold for any input:
//  * the DOT parses in Graphviz with exactly the nodes, edges and clusters the builder drew:
//    nothing in a name became graph structure (node identifiers are generated, labels escaped);
//  * rendered SVG (plain and HTML-like labels; opt-in, see LLVMFuzzerTestOneInput) is well-formed
//    XML with the expected node count;
//  * escaped text is valid UTF-8 without control characters, and the HTML escapes leave no '<',
//    '>' or bare '&' from the data: the page has exactly the markup of the same page built from
//    names without those characters;
//  * a CSV cell never starts with a formula character and reads back as the original text.
#include <graphviz/cgraph.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "graph/model.hpp"
#include "graph/reliance.hpp"
#include "graph/string_table.hpp"
#include "reports/dot_builder.hpp"
#include "reports/escape.hpp"
#include "reports/graphviz_render.hpp"
#include "reports/html_page.hpp"
#include "reports/report_model.hpp"
#include "reports/table.hpp"
#include "tests/xml_check.hpp"

namespace {

using namespace scgraph;

// Says which check failed (the fuzzer's report then names it) and stops.
[[noreturn]] void fail_at(const char* what, int line) {
  std::fprintf(stderr, "fuzz_render.cpp:%d: check failed: %s\n", line, what);
  std::abort();
}
#define require(ok) ((ok) ? void() : fail_at(#ok, __LINE__))
#define fail() fail_at("unreachable", __LINE__)

std::vector<std::string> split_pieces(std::string_view input) {
  std::vector<std::string> pieces;
  std::size_t at = 0;
  while (true) {
    std::size_t cut = input.find('\xFF', at);
    pieces.emplace_back(input.substr(at, cut == std::string_view::npos ? std::string_view::npos : cut - at));
    if (cut == std::string_view::npos) break;
    at = cut + 1;
  }
  return pieces;
}

bool has_control(std::string_view s, bool allow_line_break) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 || c == 0x7F) && !(allow_line_break && (c == '\n' || c == '\t'))) return true;
  }
  return false;
}

// '&' only as the start of one of the references the escapes write.
bool ampersands_are_references(std::string_view s) {
  for (std::size_t i = s.find('&'); i != std::string_view::npos; i = s.find('&', i + 1)) {
    std::string_view rest = s.substr(i);
    if (!(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") || rest.starts_with("&quot;") ||
          rest.starts_with("&#39;")))
      return false;
  }
  return true;
}

void check_escapes(std::string_view piece) {
  const std::string html = out::html_text(piece);
  require(out::valid_utf8(html) == html);
  require(html.find_first_of("<>\"'") == std::string::npos);
  require(ampersands_are_references(html));
  require(!has_control(html, true));

  const std::string label = out::dot_label_text(piece);
  require(out::valid_utf8(label) == label);
  require(!has_control(label, false));
  // Every quote is escaped, and every backslash is one of the pairs the escape writes.
  for (std::size_t i = 0; i < label.size(); ++i) {
    if (label[i] == '"') fail();
    if (label[i] == '\\') {
      require(i + 1 < label.size() && (label[i + 1] == '\\' || label[i + 1] == '"' || label[i + 1] == 'n'));
      ++i;
    }
  }

  const std::string cell_html = out::dot_html_text(piece);
  require(out::valid_utf8(cell_html) == cell_html);
  require(!has_control(cell_html, false));
  // The only markup is the line break.
  std::string without_breaks = cell_html;
  for (std::size_t at = without_breaks.find("<BR/>"); at != std::string::npos; at = without_breaks.find("<BR/>"))
    without_breaks.erase(at, 5);
  require(without_breaks.find_first_of("<>") == std::string::npos);
  require(ampersands_are_references(without_breaks));

  // CSV: no formula, and the cell reads back (unquoted, apostrophe removed) as the text.
  const std::string csv = out::csv_cell(piece);
  std::string_view body = csv;
  std::string unquoted;
  if (!body.empty() && body.front() == '"') {
    require(body.size() >= 2 && body.back() == '"');
    body = body.substr(1, body.size() - 2);
    for (std::size_t i = 0; i < body.size(); ++i) {
      unquoted += body[i];
      if (body[i] == '"') {
        require(i + 1 < body.size() && body[i + 1] == '"');
        ++i;
      }
    }
  } else {
    require(body.find_first_of(",\"\r\n") == std::string_view::npos);
    unquoted = body;
  }
  require(unquoted.empty() || std::string_view("=+-@\t\r").find(unquoted.front()) == std::string_view::npos);
  if (unquoted != piece) require(unquoted.front() == '\'' && unquoted.substr(1) == piece);
}

// A small graph from the pieces: node k's id is "k:" + piece (unique, arbitrary bytes after the
// prefix), name, stage and country are pieces too. Node c > 0 needs one input (named by a piece)
// supplied by c - 1 and, for some c, also by c / 2; the last node may supply the first (a cycle).
SupplyGraph build_graph(const std::vector<std::string>& pieces) {
  const std::size_t n = std::clamp<std::size_t>(pieces.size(), 2, 14);
  auto piece = [&](std::size_t k) -> const std::string& { return pieces[k % pieces.size()]; };
  GraphParts p;
  p.home = "CHN";
  Interner stages, countries, owners, inputs;
  for (std::size_t k = 0; k < n; ++k) {
    p.ids.push_back(std::to_string(k) + ":" + piece(k));
    p.names.push_back(piece(k + 1));
    p.kind.push_back(static_cast<Kind>(k % 8));  // never category: every node has an origin
    p.origin.push_back(piece(k).size() % 2 ? Origin::domestic : Origin::foreign);
    p.stage.push_back(stages.intern(k % 3 == 0 ? std::string_view() : std::string_view(piece(k + 2))));
    p.country.push_back(countries.intern(piece(k + 3)));
    p.owner.push_back(owners.intern(""));
    p.value.push_back(1.0 + static_cast<double>(piece(k).size() % 7));
  }
  p.has_value_column = pieces.size() % 2 == 0;
  const bool cycle = pieces.back().size() % 3 == 0;
  p.req_begin.push_back(0);
  p.entry_begin.push_back(0);
  for (std::size_t c = 0; c < n; ++c) {
    std::vector<NodeId> suppliers;
    if (c > 0) suppliers.push_back(static_cast<NodeId>(c - 1));
    if (c > 2 && piece(c).size() % 2) suppliers.push_back(static_cast<NodeId>(c / 2));
    if (c == 0 && cycle && n > 2) suppliers.push_back(static_cast<NodeId>(n - 1));
    if (!suppliers.empty()) {
      // Entries of a requirement sorted by supplier id.
      std::sort(suppliers.begin(), suppliers.end(), [&](NodeId a, NodeId b) { return p.ids[a] < p.ids[b]; });
      for (NodeId s : suppliers)
        p.entries.push_back({s, 1.0 / static_cast<double>(suppliers.size()), piece(s).size() % 4 == 3 ? 0.6 : 1.0});
      p.req_input.push_back(inputs.intern(piece(c * 7 + 5)));
      p.entry_begin.push_back(static_cast<std::uint32_t>(p.entries.size()));
    }
    p.req_begin.push_back(static_cast<std::uint32_t>(p.req_input.size()));
  }
  p.stages = stages.take();
  p.countries = countries.take();
  p.owners = owners.take();
  p.inputs = inputs.take();
  return SupplyGraph(std::move(p));
}

struct ParsedDot {
  std::size_t nodes = 0, edges = 0, clusters = 0;
  std::vector<std::string> node_names;
};

ParsedDot parse_dot(const std::string& dot) {
  Agraph_t* g = agmemread(dot.c_str());
  require(g != nullptr);
  ParsedDot out;
  out.nodes = static_cast<std::size_t>(agnnodes(g));
  out.edges = static_cast<std::size_t>(agnedges(g));
  for (Agraph_t* s = agfstsubg(g); s; s = agnxtsubg(s)) ++out.clusters;
  for (Agnode_t* v = agfstnode(g); v; v = agnxtnode(g, v)) out.node_names.emplace_back(agnameof(v));
  agclose(g);
  return out;
}

bool generated_name(const std::string& name) {
  if (name == "more_suppliers" || name == "more_downstream") return true;
  return name.size() >= 2 && (name[0] == 'n' || name[0] == 'u') &&
         std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t count_of(std::string_view text, std::string_view part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

void check_dot(const out::DotGraph& built, std::size_t extra_nodes, std::size_t extra_edges, std::size_t clusters) {
  require(out::valid_utf8(built.dot) == built.dot);
  ParsedDot parsed = parse_dot(built.dot);
  require(parsed.nodes == built.nodes + extra_nodes);
  require(parsed.edges == built.edges + extra_edges);
  require(parsed.clusters == clusters);
  for (const auto& name : parsed.node_names) require(generated_name(name));
}

void check_svg(const std::string& dot, std::size_t nodes) {
  out::Rendered svg = out::render_dot(dot, "svg");
  if (!test::xml_problem(svg.data).empty()) fail();
  require(count_of(svg.data, "class=\"node\"") == nodes);
  require(svg.data.find("<script") == std::string::npos);
}

void check_maps(const std::vector<std::string>& pieces, bool render) {
  const SupplyGraph g = build_graph(pieces);
  const NodeValues values = evaluate(g);
  std::vector<NodeId> chokepoints;
  for (NodeId v = 0; v < g.node_count() && chokepoints.size() < 3; v += 2) chokepoints.push_back(v);
  std::size_t used_stages = 0;
  {
    std::vector<char> used(g.stage_table().size(), 0);
    for (NodeId v = 0; v < g.node_count(); ++v) used[g.stage_index(v)] = 1;
    used_stages = static_cast<std::size_t>(std::count(used.begin(), used.end(), 1));
  }

  out::DotGraph full = out::map_dot(g, values, chokepoints);
  require(!full.aggregated && full.nodes == g.node_count());
  check_dot(full, 0, 0, used_stages);

  out::MapOptions small;
  small.max_nodes = 1;  // every graph here has at least 2 nodes
  out::DotGraph grouped = out::map_dot(g, values, chokepoints, small);
  require(grouped.aggregated);
  check_dot(grouped, 0, 0, used_stages);

  // The focus graph of node 0, as if knocking it out halved everything downstream.
  std::vector<double> after(values.availability);
  for (double& a : after) a *= 0.5;
  after[0] = 0;
  out::FocusOptions narrow;
  narrow.max_nodes = 4;
  narrow.max_suppliers = 1;
  out::DotGraph focus = out::focus_dot(g, values, 0, 1, after, narrow);
  const std::size_t extra = (focus.dot.find("more_suppliers [") != std::string::npos) +
                            (focus.dot.find("more_downstream [") != std::string::npos);
  check_dot(focus, extra, extra, 0);

  if (render) check_svg(full.dot, full.nodes);
}

void check_html_label(const std::string& piece) {
  const std::string dot = "digraph g { n0 [shape=plaintext, label=<<TABLE><TR><TD>" + out::dot_html_text(piece) +
                          "</TD></TR></TABLE>>]; n1 [label=" + out::dot_quoted(piece) + "]; n0 -> n1; }";
  ParsedDot parsed = parse_dot(dot);
  require(parsed.nodes == 2 && parsed.edges == 1);
  check_svg(dot, 2);
}

// The report page from text fields filled with pieces. Its markup must not depend on what the
// text holds: the page is compared with one built from the same pieces where < > & are replaced
// (by characters the pieces cannot hold, so equal pieces stay equal and different ones different).
out::ReportModel page_model(const std::vector<std::string>& pieces) {
  auto piece = [&](std::size_t k) -> const std::string& { return pieces[k % pieces.size()]; };
  out::ReportModel m;
  m.dataset_name = piece(0);
  m.dataset_path = piece(1);
  m.home = piece(2);
  m.source = piece(3);
  m.licence = piece(4);
  m.year = 2024;
  m.nodes = 3;
  m.relations = 2;
  m.ranking = piece(5);
  m.map.title = piece(6);
  m.map.note = piece(7);
  for (std::size_t i = 0; i < 2; ++i) {
    out::ChokepointRow r;
    r.rank = i + 1;
    r.id = piece(8 + i);
    r.name = piece(9 + i);
    r.kind = piece(10 + i);
    r.country = piece(11 + i);
    r.origin = piece(12 + i);
    r.reasons = {piece(13 + i), piece(14 + i)};
    r.focus_note = piece(15 + i);
    m.chokepoints.push_back(r);
    out::GraphFigure f;
    f.title = piece(16 + i);
    f.note = piece(17 + i);
    m.focus.push_back(f);
  }
  out::CountryRow c;
  c.country = piece(18);
  m.countries.push_back(c);
  out::ScenarioRow applicable, not_applicable;
  applicable.name = piece(19);
  applicable.description = piece(20);
  applicable.failed = {piece(21)};
  applicable.notes = {piece(22)};
  not_applicable.name = piece(23);
  not_applicable.applicable = false;
  not_applicable.problem = piece(24);
  m.scenarios = {applicable, not_applicable};
  Diagnostic d;
  d.severity = Severity::warning;
  d.file = piece(25);
  d.line = 3;
  d.column = 7;
  d.code = "fuzz";
  d.message = piece(26);
  d.hint = piece(27);
  m.warnings.push_back(d);
  return m;
}

std::string markup_free(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "\xEF\xBC\x9C";       // U+FF1C
    else if (c == '>') out += "\xEF\xBC\x9E";  // U+FF1E
    else if (c == '&') out += "\xEF\xBC\x86";  // U+FF06
    else out += c;
  }
  return out;
}

std::string without(std::string s, std::string_view part) {
  for (std::size_t at = s.find(part); at != std::string::npos; at = s.find(part, at)) s.erase(at, part.size());
  return s;
}

void check_page(std::vector<std::string> pieces) {
  for (auto& p : pieces) p = without(without(without(p, "\xEF\xBC\x9C"), "\xEF\xBC\x9E"), "\xEF\xBC\x86");
  std::vector<std::string> tame(pieces);
  for (auto& p : tame) p = markup_free(p);
  const out::PageAssets assets;
  const std::string page = out::html_page(page_model(pieces), assets, {pieces[0], "summary.json"});
  const std::string reference = out::html_page(page_model(tame), assets, {tame[0], "summary.json"});
  require(out::valid_utf8(page) == page);
  require(!has_control(page, true));
  require(count_of(page, "<") == count_of(reference, "<"));
  require(count_of(page, ">") == count_of(reference, ">"));
  // Every '&' of the page is a reference (the template writes only references too).
  for (std::size_t i = page.find('&'); i != std::string::npos; i = page.find('&', i + 1)) {
    std::size_t end = page.find(';', i);
    require(end != std::string::npos && end - i <= 10);
    std::string_view ref(page.data() + i + 1, end - i - 1);
    require(!ref.empty() && std::all_of(ref.begin(), ref.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '#';
    }));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // names, not files: keeps each run fast
  const std::vector<std::string> pieces = split_pieces(std::string_view(reinterpret_cast<const char*>(data), size));
  for (const auto& p : pieces) check_escapes(p);
  // Layout is opt-in (FUZZ_RENDER_LAYOUT=1, with ASAN_OPTIONS=detect_leaks=0): Graphviz 2.42 leaks
  // in every dot layout of a graph with clusters, and a layout costs milliseconds. Only small
  // inputs are laid out.
  static const bool layout = std::getenv("FUZZ_RENDER_LAYOUT") != nullptr;
  const bool render = layout && size <= 512;
  check_maps(pieces, render);
  if (render) check_html_label(pieces[0]);
  check_page(pieces);
  return 0;
}
