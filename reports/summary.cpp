#include "summary.hpp"

#include <fmt/format.h>

#include "dot_builder.hpp"

namespace scgraph::out {

using json = nlohmann::ordered_json;

std::string json_text(const json& doc) { return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

json optional_number(std::optional<double> value) { return value ? json(*value) : json(nullptr); }

json figures_json(const Figures& f) {
  json j;
  j["nominal"] = optional_number(f.nominal);
  j["effective"] = optional_number(f.effective);
  j["localization"] = optional_number(f.localization);
  j["availability"] = optional_number(f.availability);
  return j;
}

json target_json(const std::optional<Target>& target) {
  if (!target) return nullptr;
  return {{"share", target->share}, {"year", target->year}, {"metric", to_string(target->metric)}};
}

json progress_json(const std::vector<YearFigures>& years, Metric metric, const std::optional<Target>& target,
                   const Projection& p) {
  json j;
  j["metric"] = to_string(metric);
  j["target"] = target ? json{{"share", target->share}, {"year", target->year}} : json(nullptr);
  j["years"] = json::array();
  for (const auto& y : years)
    j["years"].push_back({{"year", y.year},
                          {"nominal", optional_number(y.nominal)},
                          {"effective", optional_number(y.effective)},
                          {"localization", optional_number(y.localization)}});
  json proj;
  proj["slope_per_year"] = optional_number(p.slope_per_year);
  proj["at_target_year"] = optional_number(p.at_target_year);
  proj["needed_per_year"] = optional_number(p.needed_per_year);
  proj["on_track"] = p.on_track ? json(*p.on_track) : json(nullptr);
  proj["verdict"] = to_string(p.verdict);
  proj["latest_year"] = p.latest_value ? json(p.latest_year) : json(nullptr);
  proj["latest_value"] = optional_number(p.latest_value);
  proj["gap"] = optional_number(p.gap);
  proj["notes"] = p.notes;
  j["projection"] = proj;
  return j;
}

namespace {

json graph_json(const GraphFigure& f) {
  return {{"title", f.title},   {"dot", f.file_stem + ".dot"}, {"svg", f.file_stem + ".svg"},
          {"nodes", f.nodes},   {"edges", f.edges},            {"aggregated", f.aggregated},
          {"note", f.note}};
}

json diagnostic_json(const Diagnostic& d) {
  return {{"file", d.file}, {"line", d.line},       {"column", d.column}, {"severity", d.severity == Severity::error ? "error" : "warning"},
          {"code", d.code}, {"message", d.message}, {"hint", d.hint}};
}

std::string md_escape(std::string_view text) {
  // Markdown table cells and inline text: neutralise the characters that make structure.
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']' || c == '#')
      out += '\\';
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
      continue;
    }
    // Other control characters would reach whoever cats the file on a terminal: shown, not sent.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
      continue;
    }
    out += c;
  }
  return out;
}

std::string opt_percent(std::optional<double> v) { return v ? percent(*v) : std::string("n/a"); }

}  // namespace

std::string summary_json(const ReportModel& m, const std::vector<std::string>& files) {
  json doc;
  doc["schema"] = "scgraph/1";
  doc["kind"] = "report";
  doc["dataset"] = {{"name", m.dataset_name}, {"path", m.dataset_path}, {"home", m.home}, {"source", m.source}, {"licence", m.licence}};
  doc["year"] = m.year;
  doc["weights"] = m.weighted_by_value ? "value_musd" : "count";
  doc["size"] = {{"nodes", m.nodes}, {"relations", m.relations}, {"supply_entries", m.supply_entries}};
  doc["target"] = target_json(m.target);
  json fig = figures_json(m.figures);
  fig["headline_metric"] = to_string(m.headline_metric);
  fig["headline"] = optional_number(m.headline());
  fig["gap"] = m.target && m.headline() ? json(m.target->share - *m.headline()) : json(nullptr);
  doc["figures"] = fig;
  doc["progress"] = progress_json(m.years, m.headline_metric, m.target, m.projection);
  if (m.changes) {
    const auto& c = *m.changes;
    json ch;
    ch["from"] = c.from_year;
    ch["to"] = c.to_year;
    ch["metric"] = to_string(m.headline_metric);
    ch["total"] = c.total;
    ch["method"] = attribution_method;
    ch["per_change"] = c.per_change;
    ch["node_changes"] = c.node_changes;
    ch["edge_changes"] = c.edge_changes;
    ch["groups"] = json::array();
    for (std::size_t k = 0; k < c.groups.size(); ++k)
      ch["groups"].push_back({{"group", c.groups[k].first}, {"changes", c.group_sizes[k]}, {"contribution", c.groups[k].second}});
    ch["top"] = json::array();
    for (const auto& r : c.top)
      ch["top"].push_back({{"group", r.group}, {"subject", r.subject}, {"description", r.description},
                           {"contribution", optional_number(r.contribution)}});
    doc["changes"] = ch;
  } else {
    doc["changes"] = nullptr;
  }
  doc["map"] = graph_json(m.map);
  json cp;
  cp["ranking"] = m.ranking;
  cp["items"] = json::array();
  for (std::size_t i = 0; i < m.chokepoints.size(); ++i) {
    const auto& r = m.chokepoints[i];
    json item{{"rank", r.rank},       {"id", r.id},
              {"name", r.name},       {"kind", r.kind},
              {"country", r.country}, {"origin", r.origin},
              {"loss", r.loss},       {"domestic_loss", r.domestic_loss},
              {"hard_dependents", r.hard_dependents}, {"sole_source", r.sole_source},
              {"reasons", r.reasons}};
    if (i < m.focus.size()) item["focus"] = graph_json(m.focus[i]);
    cp["items"].push_back(item);
  }
  doc["chokepoints"] = cp;
  json leaders;
  leaders["note"] = m.stage_leaders_note;
  leaders["items"] = json::array();
  for (const auto& r : m.stage_leaders)
    leaders["items"].push_back({{"stage", r.stage}, {"rank", r.rank}, {"id", r.id}, {"name", r.name}, {"kind", r.kind},
                                {"country", r.country}, {"loss", r.loss}, {"domestic_loss", r.domestic_loss},
                                {"hard_dependents", r.hard_dependents}, {"sole_source", r.sole_source},
                                {"reasons", r.reasons}});
  doc["stage_leaders"] = leaders;
  doc["countries"] = json::array();
  for (const auto& c : m.countries)
    doc["countries"].push_back({{"country", c.country}, {"nodes", c.nodes}, {"value", c.value}, {"loss", c.loss},
                                {"domestic_loss", c.domestic_loss}, {"hard_dependents", c.hard_dependents}});
  doc["scenarios"] = json::array();
  for (const auto& s : m.scenarios) {
    json j{{"name", s.name}, {"description", s.description}, {"applicable", s.applicable}};
    if (s.applicable) {
      j["before"] = figures_json(s.before);
      j["after"] = figures_json(s.after);
      j["knocked_out"] = s.knocked_out;
      j["failed"] = s.failed;
      j["notes"] = s.notes;
    } else {
      j["problem"] = s.problem;
    }
    doc["scenarios"].push_back(j);
  }
  json dq;
  dq["warnings"] = json::array();
  for (const auto& d : m.warnings) dq["warnings"].push_back(diagnostic_json(d));
  dq["other_years"] = json::array();
  for (const auto& y : m.other_years) dq["other_years"].push_back({{"year", y.year}, {"warnings", y.warnings}});
  doc["data_quality"] = dq;
  doc["files"] = files;
  return json_text(doc);
}

std::string summary_markdown(const ReportModel& m, const std::vector<std::string>& files) {
  std::string s;
  s += fmt::format("# {}: self-reliance report, {}\n\n", md_escape(m.dataset_name), m.year);
  std::string metric(to_string(m.headline_metric));
  if (m.target)
    s += fmt::format("Target: {} {} self-reliance by {}. Home country: {}.\n\n", percent(m.target->share, 0), metric,
                     m.target->year, md_escape(m.home));
  s += "## Headline figures\n\n| figure | value |\n|---|---|\n";
  s += fmt::format("| nominal self-reliance | {} |\n| effective self-reliance | {} |\n| localization | {} |\n",
                   opt_percent(m.figures.nominal), opt_percent(m.figures.effective), opt_percent(m.figures.localization));
  const Projection& p = m.projection;
  if (m.target && p.gap) s += fmt::format("| gap to target ({}) | {:.1f} points |\n", metric, *p.gap * 100);
  if (p.slope_per_year) s += fmt::format("| trend | {:+.1f} points a year |\n", *p.slope_per_year * 100);
  if (p.at_target_year && m.target) s += fmt::format("| trend value in {} | {} |\n", m.target->year, percent(*p.at_target_year));
  if (p.needed_per_year) s += fmt::format("| gain needed | {:+.1f} points a year |\n", *p.needed_per_year * 100);
  if (m.target) s += fmt::format("| verdict | {} |\n", to_string(p.verdict));
  for (const auto& note : p.notes) s += "\nNote: " + md_escape(note) + "\n";

  s += "\n## Progress by year\n\n| year | nominal | effective | localization |\n|---|---|---|---|\n";
  for (const auto& y : m.years)
    s += fmt::format("| {} | {} | {} | {} |\n", y.year, opt_percent(y.nominal), opt_percent(y.effective), opt_percent(y.localization));

  if (m.changes) {
    const auto& c = *m.changes;
    s += fmt::format("\n## What moved {} from {} to {}\n\nTotal: {:+.2f} points. Attribution: {}.\n\n", metric, c.from_year,
                     c.to_year, c.total * 100, attribution_method);
    s += "| change | contribution (points) |\n|---|---|\n";
    for (const auto& r : c.top)
      s += fmt::format("| {} | {} |\n", md_escape(r.description), r.contribution ? fmt::format("{:+.2f}", *r.contribution * 100) : "n/a");
  }

  s += fmt::format("\n## Top chokepoints\n\nEach node knocked out alone; ranking: {}.\n\n", m.ranking);
  s += "| # | node | country | loss | domestic loss | fail without it | why |\n|---|---|---|---|---|---|---|\n";
  for (const auto& r : m.chokepoints) {
    std::string why;
    for (const auto& reason : r.reasons) why += (why.empty() ? "" : "; ") + reason;
    s += fmt::format("| {} | {} ({}) | {} | {} | {} | {} | {} |\n", r.rank, md_escape(r.name), md_escape(r.id), md_escape(r.country),
                     percent(r.loss, 2), percent(r.domestic_loss, 2), r.hard_dependents, md_escape(why));
  }

  s += "\n## The leading foreign chokepoint of each stage\n\n";
  if (m.stage_leaders.empty()) {
    s += "Not shown: " + md_escape(m.stage_leaders_note) + ".\n";
  } else {
    s += "| stage | node | country | rank | loss | domestic loss |\n|---|---|---|---|---|---|\n";
    for (const auto& r : m.stage_leaders)
      s += fmt::format("| {} | {} ({}) | {} | {} | {} | {} |\n", md_escape(r.stage), md_escape(r.name), md_escape(r.id),
                       md_escape(r.country), r.rank, percent(r.loss, 2), percent(r.domestic_loss, 2));
  }

  s += "\n## Country exposure\n\nEach foreign country's nodes knocked out at once.\n\n";
  s += "| country | nodes | loss | domestic loss | fail |\n|---|---|---|---|---|\n";
  for (const auto& c : m.countries)
    s += fmt::format("| {} | {} | {} | {} | {} |\n", md_escape(c.country), c.nodes, percent(c.loss, 2), percent(c.domestic_loss, 2),
                     c.hard_dependents);

  if (!m.scenarios.empty()) {
    s += "\n## Scenarios\n\n| scenario | nominal before → after | effective before → after | availability before → after | failed |\n|---|---|---|---|---|\n";
    for (const auto& sc : m.scenarios) {
      if (!sc.applicable) {
        s += fmt::format("| {} | {} | | | |\n", md_escape(sc.name), md_escape(sc.problem));
        continue;
      }
      s += fmt::format("| {} | {} → {} | {} → {} | {} → {} | {} |\n", md_escape(sc.name), opt_percent(sc.before.nominal),
                       opt_percent(sc.after.nominal), opt_percent(sc.before.effective), opt_percent(sc.after.effective),
                       opt_percent(sc.before.availability), opt_percent(sc.after.availability), sc.failed.size());
    }
  }

  s += fmt::format("\n## Data quality\n\n{} warning{} in the {} snapshot and its scenarios.\n", m.warnings.size(),
                   m.warnings.size() == 1 ? "" : "s", m.year);
  for (const auto& d : m.warnings) s += "- " + md_escape(format_diagnostic(d)) + "\n";

  s += "\n## Files\n\n";
  for (const auto& f : files) s += "- " + md_escape(f) + "\n";
  return s;
}

}  // namespace scgraph::out
