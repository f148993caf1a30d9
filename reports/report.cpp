#include "report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "chart_svg.hpp"
#include "dot_builder.hpp"
#include "graph/atomic_output.hpp"
#include "graph/chokepoints.hpp"
#include "graph/knockout.hpp"
#include "graph/scenario.hpp"
#include "graph/whatif.hpp"
#include "graphviz_render.hpp"
#include "html_page.hpp"
#include "summary.hpp"

namespace scgraph::out {

namespace fs = std::filesystem;

namespace {

constexpr double zero = 1e-9;  // availability at or below this counts as none (cycles converge approximately)

std::string list_text(const std::vector<std::string>& items, std::size_t shown) {
  std::string s;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) s += (i ? ", " : "") + items[i];
  if (items.size() > shown) s += fmt::format(" and {} more", items.size() - shown);
  return s;
}

// The ranking of `scgraph chokepoints` (graph/chokepoints), with the nodes that cannot produce
// without the chokepoint named, heaviest first.
ChokepointRow chokepoint_row(const SupplyGraph& g, const NodeValues& base, const scgraph::ChokepointRow& ranked,
                             std::span<const double> after) {
  NodeId x = ranked.members.front();
  ChokepointRow row;
  row.rank = ranked.rank;
  row.id = ranked.id;
  row.name = ranked.name;
  row.kind = std::string(to_string(g.kind(x)));
  row.country = ranked.country;
  row.stage = ranked.stage;
  row.origin = std::string(to_string(g.origin(x)));
  row.loss = ranked.impact.loss;
  row.domestic_loss = ranked.impact.domestic_loss;
  row.hard_dependents = ranked.impact.hard_dependents;
  row.sole_source = ranked.sole_source;
  row.reasons.push_back(ranked.reason);
  std::vector<NodeId> failing;
  for (NodeId v = 0; v < g.node_count(); ++v)
    if (v != x && base.availability[v] > zero && after[v] <= zero) failing.push_back(v);
  std::sort(failing.begin(), failing.end(), [&](NodeId a, NodeId b) {
    if (g.weight(a) != g.weight(b)) return g.weight(a) > g.weight(b);
    return g.id(a) < g.id(b);
  });
  if (!failing.empty()) {
    std::vector<std::string> names;
    for (NodeId v : failing) names.emplace_back(g.id(v));
    row.reasons.push_back("cannot produce without it: " + list_text(names, 5));
  }
  return row;
}

std::vector<CountryRow> country_exposure(const SupplyGraph& g, const NodeValues& base) {
  ChokepointOptions options;
  options.group = ChokepointGroup::country;
  options.structure = false;
  std::vector<CountryRow> rows;
  for (const auto& r : rank_chokepoints(g, base, options).rows) {
    if (r.id == g.home()) continue;  // the question is what foreign supply costs
    CountryRow row{r.id, r.members.size(), 0, r.impact.loss, r.impact.domestic_loss, r.impact.hard_dependents};
    for (NodeId v : r.members) row.value += g.weight(v);
    rows.push_back(row);
  }
  return rows;
}

std::optional<std::vector<ScenarioRow>> scenario_rows(const Dataset& dataset, const SupplyGraph& g, int year,
                                                      Diagnostics& diag, std::vector<Diagnostic>& warnings) {
  std::vector<ScenarioRow> rows;
  bool ok = true;
  for (const auto& file : scenario_files(dataset)) {
    std::string display = (fs::path(dataset.display_root) / "scenarios" / file.filename()).lexically_normal().generic_string();
    Diagnostics local;
    auto scenario = read_scenario(file, display, local);
    if (!scenario || local.has_errors()) {
      for (const auto& d : local.entries()) diag.add(d);
      ok = false;
      continue;
    }
    ScenarioRow row;
    row.name = scenario->name.empty() ? file.stem().string() : scenario->name;
    row.description = scenario->description;
    auto result = run_whatif(g, *scenario, local);
    for (const auto& d : local.entries())
      if (d.severity == Severity::warning) warnings.push_back(d);
    if (!result) {
      row.applicable = false;
      std::vector<std::string> problems;
      for (const auto& d : local.entries())
        if (d.severity == Severity::error) problems.push_back(d.message);
      row.problem = fmt::format("does not apply to the {} snapshot: {}", year, list_text(problems, 3));
      rows.push_back(std::move(row));
      continue;
    }
    row.before = result->before;
    row.after = result->after;
    row.knocked_out = result->knocked_out.size();
    for (NodeId v : result->failed) row.failed.emplace_back(g.id(v));
    row.notes = result->notes;
    rows.push_back(std::move(row));
  }
  if (!ok) return std::nullopt;
  return rows;
}

double headline_of(const MetricMove& m, Metric metric) {
  switch (metric) {
    case Metric::nominal: return m.nominal;
    case Metric::effective: return m.effective;
    case Metric::localization: return m.localization;
  }
  return m.nominal;
}

ChangesSummary changes_summary(const SupplyGraph& from, const SupplyGraph& to, int from_year, int to_year, Metric metric) {
  DiffResult d = diff_snapshots(from, to);
  ChangesSummary s;
  s.from_year = from_year;
  s.to_year = to_year;
  s.total = headline_of(d.total, metric);
  s.per_change = d.per_change;
  s.node_changes = d.nodes.size();
  s.edge_changes = d.edges.size();
  for (std::size_t k = 0; k < change_group_count; ++k) {
    s.groups.push_back({std::string(to_string(static_cast<ChangeGroup>(k))), headline_of(d.by_group[k], metric)});
    s.group_sizes.push_back(d.group_sizes[k]);
  }
  std::vector<ChangeRow> rows;
  for (const auto& c : d.changes) {
    ChangeRow row{std::string(to_string(c.group)), c.subject, c.description, std::nullopt};
    if (c.contribution) row.contribution = headline_of(*c.contribution, metric);
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const ChangeRow& a, const ChangeRow& b) {
    return std::abs(a.contribution.value_or(0)) > std::abs(b.contribution.value_or(0));
  });
  if (rows.size() > 8) rows.resize(8);
  s.top = std::move(rows);
  return s;
}

// The folder holds an earlier report when it has the summary.json this writer puts there.
bool is_earlier_report(const fs::path& dir) {
  std::ifstream in(dir / "summary.json");
  if (!in) return false;
  try {
    auto j = nlohmann::json::parse(in);
    return j.value("schema", "") == "scgraph/1" && j.value("kind", "") == "report";
  } catch (const std::exception&) {
    return false;
  }
}

// Graphviz's SVG for inlining into the page: without the XML prologue and with a width that
// follows the page instead of a fixed size in points.
std::string inline_svg(const std::string& svg) {
  auto start = svg.find("<svg");
  if (start == std::string::npos) throw GraphvizError("Graphviz produced no SVG element");
  std::string body = svg.substr(start);
  auto end = body.find('>');
  std::string head = body.substr(0, end);
  for (const char* attribute : {"width=\"", "height=\""}) {
    auto at = head.find(attribute);
    if (at == std::string::npos) continue;
    auto close = head.find('"', at + std::string_view(attribute).size());
    head.erase(at, close - at + 1);
  }
  return head + " class=\"graph\" preserveAspectRatio=\"xMidYMin meet\"" + body.substr(end);
}

// cairo stamps a PDF with the time it was made; the report's identity is its data, so the stamp
// becomes 1 January of the snapshot year. The digits are overwritten in place: the PDF's byte
// offsets stay valid.
std::string stable_pdf(std::string pdf, int year) {
  static constexpr std::string_view key = "/CreationDate (D:";
  auto at = pdf.find(key);
  if (at == std::string::npos || at + key.size() + 14 > pdf.size()) return pdf;
  std::string stamp = fmt::format("{:04}0101000000", std::clamp(year, 0, 9999));
  for (std::size_t i = 0; i < 14; ++i)
    if (std::isdigit(static_cast<unsigned char>(pdf[at + key.size() + i]))) pdf[at + key.size() + i] = stamp[i];
  return pdf;
}

// The width in points Graphviz gave the drawing, so that the page never blows a small graph up.
double svg_width_points(const std::string& svg) {
  auto at = svg.find("width=\"");
  if (at == std::string::npos) return 0;
  return std::strtod(svg.c_str() + at + 7, nullptr);
}

// The first foreign row of each stage in the full ranking.
void stage_leaders(const SupplyGraph& g, const NodeValues& base, const ReportOptions& options, ReportModel& m) {
  if (g.node_count() > options.stage_leaders_max_nodes) {
    m.stage_leaders_note = fmt::format("left out: {} nodes, above the {} for which every foreign node is knocked out",
                                       g.node_count(), options.stage_leaders_max_nodes);
    return;
  }
  ChokepointOptions foreign;
  foreign.filter.origin = Origin::foreign;
  foreign.structure = false;
  std::vector<std::string> stages;
  for (const auto& ranked : rank_chokepoints(g, base, foreign).rows) {
    if (std::find(stages.begin(), stages.end(), ranked.stage) != stages.end()) continue;
    stages.push_back(ranked.stage);
    ChokepointRow row;
    row.rank = ranked.rank;
    row.id = ranked.id;
    row.name = ranked.name;
    row.kind = std::string(to_string(g.kind(ranked.members.front())));
    row.country = ranked.country;
    row.stage = ranked.stage;
    row.origin = "foreign";
    row.loss = ranked.impact.loss;
    row.domestic_loss = ranked.impact.domestic_loss;
    row.hard_dependents = ranked.impact.hard_dependents;
    row.sole_source = ranked.sole_source;
    row.reasons.push_back(ranked.reason);
    m.stage_leaders.push_back(std::move(row));
  }
  if (m.stage_leaders.empty()) m.stage_leaders_note = "no foreign node in this snapshot";
}

}  // namespace

std::optional<ReportModel> build_report_model(const Dataset& dataset, std::span<const SupplyGraph> graphs,
                                              std::size_t selected, std::vector<Diagnostic> snapshot_warnings,
                                              std::vector<YearWarnings> other_years, const ReportOptions& options,
                                              Diagnostics& diag) {
  const SupplyGraph& g = graphs[selected];
  ReportModel m;
  m.dataset_name = dataset.name.empty() ? dataset.display_root : dataset.name;
  m.dataset_path = dataset.display_root;
  m.home = dataset.home;
  m.source = dataset.source;
  m.licence = dataset.licence;
  m.year = dataset.snapshots[selected].year;
  m.weighted_by_value = g.has_value_column();
  m.nodes = g.node_count();
  m.relations = g.relation_count();
  m.supply_entries = g.entry_count();
  m.target = dataset.target;
  m.headline_metric = dataset.target ? dataset.target->metric : Metric::nominal;
  NodeValues base = evaluate(g);
  m.figures = summarize(g, base);

  for (std::size_t i = 0; i < graphs.size(); ++i) {
    Figures f = summarize(graphs[i], evaluate(graphs[i]));
    m.years.push_back({dataset.snapshots[i].year, f.nominal, f.effective, f.localization});
  }
  m.projection = project(m.years, m.headline_metric, m.target);
  if (selected > 0)
    m.changes = changes_summary(graphs[selected - 1], g, dataset.snapshots[selected - 1].year, m.year, m.headline_metric);

  ChokepointOptions ranking;
  ranking.top = options.top;
  ranking.structure = false;  // betweenness and connectivity are not on the page
  auto ranked = rank_chokepoints(g, base, ranking).rows;
  std::vector<NodeId> top;
  for (const auto& r : ranked) top.push_back(r.members.front());
  // Each chokepoint's picture needs every node's a after its knockout: a wave of knockouts at a
  // time (e is not drawn), each read off its lane.
  KnockoutEngine engine(g, base);
  std::vector<double> after(g.node_count());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const NodeId x = top[i];
    const std::size_t lane = i % knockout_lanes;
    if (lane == 0) {
      const std::size_t count = std::min(knockout_lanes, top.size() - i);
      std::vector<std::span<const NodeId>> wave;
      for (std::size_t j = i; j < i + count; ++j) wave.emplace_back(&top[j], 1);
      engine.knock_out_together(wave, KnockoutFigures::availability_only);
    }
    for (NodeId v = 0; v < g.node_count(); ++v) after[v] = engine.availability_after(v, lane);
    ChokepointRow row = chokepoint_row(g, base, ranked[i], after);
    FocusOptions fo;
    fo.graph_id = fmt::format("focus{:02}", i + 1);
    DotGraph focus = focus_dot(g, base, x, row.rank, after, fo);
    row.focus_note = focus.note;
    m.focus.push_back({fmt::format("#{} {}", row.rank, row.name), fmt::format("focus-{:02}", i + 1), std::move(focus.dot),
                       focus.note, false, focus.nodes, focus.edges});
    m.chokepoints.push_back(std::move(row));
  }
  m.ranking = std::string(chokepoint_ranking_formula);
  stage_leaders(g, base, options, m);
  MapOptions mo;
  mo.max_nodes = options.map_max_nodes;
  DotGraph map = map_dot(g, base, top, mo);
  m.map = {"Supply-chain map", "map", std::move(map.dot), map.note, map.aggregated, map.nodes, map.edges};
  m.countries = country_exposure(g, base);

  m.warnings = std::move(snapshot_warnings);
  auto scenarios = scenario_rows(dataset, g, m.year, diag, m.warnings);
  if (!scenarios) return std::nullopt;
  m.scenarios = std::move(*scenarios);
  m.other_years = std::move(other_years);
  return m;
}

void check_output_folder(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec)) return;
  if (!fs::is_directory(out, ec)) throw std::runtime_error(out.string() + " exists and is not a folder");
  if (fs::is_empty(out, ec) || is_earlier_report(out)) return;
  throw std::runtime_error(out.string() +
                           " exists and does not hold an earlier report; choose another --out or remove the folder");
}

std::vector<std::string> write_report(const ReportModel& model, const fs::path& out, const ReportOptions& options) {
  check_output_folder(out);
  StagedDirectory staged(out, /*replace_existing=*/true);
  std::vector<std::string> files;
  auto write = [&](const std::string& name, std::string_view content) {
    std::ofstream file(staged.path() / name, std::ios::binary | std::ios::trunc);
    file.write(content.data(), static_cast<std::streamsize>(content.size()));
    file.flush();
    if (!file) throw std::runtime_error("cannot write " + (out / name).string());
    files.push_back(name);
  };

  PageAssets assets;
  ProgressChart chart{model.years, model.headline_metric, model.target, model.projection};
  assets.progress_svg = progress_chart_svg(chart, "progress");
  write("progress.svg", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + assets.progress_svg);

  auto render_figure = [&](const GraphFigure& figure) {
    write(figure.file_stem + ".dot", figure.dot);
    Rendered svg = render_dot(figure.dot, "svg");
    write(figure.file_stem + ".svg", svg.data);
    for (const auto& format : options.formats)
      if (format == "pdf") write(figure.file_stem + ".pdf", stable_pdf(render_dot(figure.dot, format).data, model.year));
      else if (format != "svg") write(figure.file_stem + "." + format, render_dot(figure.dot, format).data);
    return RenderedFigure{inline_svg(svg.data), svg_width_points(svg.data)};
  };
  assets.map = render_figure(model.map);
  for (const auto& f : model.focus) assets.focus.push_back(render_figure(f));

  // The summaries and the page list every file, themselves included.
  std::vector<std::string> all = files;
  for (const char* name : {"index.html", "summary.json", "summary.md"}) all.emplace_back(name);
  std::sort(all.begin(), all.end());
  write("summary.json", summary_json(model, all));
  write("summary.md", summary_markdown(model, all));
  write("index.html", html_page(model, assets, all));
  staged.commit();
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace scgraph::out
