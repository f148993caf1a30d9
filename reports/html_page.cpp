#include "html_page.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "chart_svg.hpp"
#include "dot_builder.hpp"
#include "escape.hpp"

namespace scgraph::out {

namespace {

constexpr const char* css = R"css(
:root { --ink: #1d1d1f; --muted: #5b5b60; --rule: #d9d9de; --bad: #b2182b; --good: #1a7837; --accent: #0072b2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "Noto Sans", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 12px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 24px 0 4px; }
p { margin: 6px 0 10px; max-width: 78ch; }
.sub { color: var(--muted); margin-top: 0; }
nav { font-size: 13px; color: var(--muted); margin: 8px 0 18px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 14px; }
.verdict { border-left: 8px solid var(--bad); background: #fbf1f2; padding: 14px 18px; margin: 12px 0 18px; }
.verdict.good { border-color: var(--good); background: #eef7f0; }
.verdict.neutral { border-color: var(--muted); background: #f4f4f6; }
.verdict .word { font-size: 24px; font-weight: bold; color: var(--bad); display: block; }
.verdict.good .word { color: var(--good); }
.verdict.neutral .word { color: var(--muted); }
.verdict p { font-size: 17px; margin: 4px 0 0; max-width: none; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 14px 0; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; }
.card .label { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 30px; font-weight: bold; line-height: 1.2; }
.card .value.small { font-size: 22px; }
.card .note { font-size: 13px; color: var(--muted); }
.card.headline { border: 2px solid var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; overflow-wrap: break-word; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td .id { color: var(--muted); font-size: 12px; }
tr.na td { color: var(--muted); }
.pos { color: var(--good); }
.neg { color: var(--bad); }
.bar { display: inline-block; height: 10px; background: var(--bad); vertical-align: middle; margin-right: 6px; }
.figure { margin: 10px 0 18px; overflow-x: auto; }
.figure svg { display: block; width: 100%; height: auto; }
.legend { font-size: 13px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; margin: 6px 0; }
.swatch { display: inline-block; width: 26px; height: 14px; border: 1px solid #888; vertical-align: middle; margin-right: 4px; }
.swatch.choke { background: #fff; border: 3px solid #b2182b; }
.swatch.reduced { background: #fff; border: 2px solid #e08214; }
.note-box { background: #f4f4f6; padding: 8px 12px; font-size: 14px; border-radius: 4px; max-width: 78ch; }
ul.warnings { font: 12px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; padding-left: 18px; }
footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: 13px; color: var(--muted); }
footer a { color: var(--accent); }
dl.defs { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 14px; margin: 8px 0; }
dl.defs dt { font-weight: bold; }
dl.defs dd { margin: 0; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  .figure, table, .verdict, .cards { break-inside: avoid; }
  .figure { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
)css";

std::string esc(std::string_view s) { return html_text(s); }

std::string opt_percent(std::optional<double> v, int decimals = 1) { return v ? percent(*v, decimals) : std::string("n/a"); }

std::string signed_points(double fraction, int decimals = 2) {
  std::string cls = fraction > 0 ? "pos" : fraction < 0 ? "neg" : "";
  return fmt::format("<span class=\"{}\">{:+.{}f}</span>", cls, fraction * 100, decimals);
}

std::string metric_title(Metric m) {
  switch (m) {
    case Metric::nominal: return "Nominal self-reliance";
    case Metric::effective: return "Effective self-reliance";
    case Metric::localization: return "Localization";
  }
  return "Nominal self-reliance";
}

std::string figure_html(const RenderedFigure& f, const std::string& label) {
  // Never wider than Graphviz drew it (1 pt = 4/3 px), so small graphs keep their text size.
  double max_px = std::max(200.0, f.width_points * 4.0 / 3.0);
  return fmt::format("<div class=\"figure\" role=\"img\" aria-label=\"{}\" style=\"max-width:{:.0f}px\">\n{}</div>\n",
                     esc(label), max_px, f.svg);
}

std::string share_legend() {
  std::string s = "<div class=\"legend\"><span>Fill = domestic share:</span>";
  for (const auto& b : share_bands())
    s += fmt::format("<span><span class=\"swatch\" style=\"background:{}\"></span>{}–{}</span>", b.fill, percent(b.from, 0),
                     percent(b.to, 0));
  return s;
}

void summary_section(std::string& h, const ReportModel& m) {
  const Projection& p = m.projection;
  std::string metric(to_string(m.headline_metric));
  auto headline = m.headline();
  std::string word, cls = "neutral", sentence;
  if (!m.target) {
    word = "No target";
    sentence = fmt::format("The dataset sets no target (dataset.toml [target]). {} is {} in {}.", metric_title(m.headline_metric),
                           opt_percent(headline), m.year);
  } else {
    std::string share = percent(m.target->share, 0);
    double gap = m.target->share - headline.value_or(0);
    sentence = fmt::format("{} is <strong>{}</strong> in {}, <strong>{}</strong> {} the {} target for {}.",
                           metric_title(m.headline_metric), opt_percent(headline), m.year, points(std::abs(gap)),
                           gap >= 0 ? "short of" : "above", share, m.target->year);
    std::string span = m.years.empty() ? "" : fmt::format("{}–{}", m.years.front().year, m.years.back().year);
    switch (p.verdict) {
      case Verdict::on_track:
      case Verdict::off_track:
        word = p.verdict == Verdict::on_track ? "On track" : "Off track";
        cls = p.verdict == Verdict::on_track ? "good" : "";
        sentence += fmt::format(" On the {} trend ({}) it would reach <strong>{}</strong> in {}", span,
                                points_per_year(*p.slope_per_year), percent(*p.at_target_year), m.target->year);
        if (p.needed_per_year)
          sentence += fmt::format("; reaching {} needs <strong>{}</strong> from {} on.", share, points_per_year(*p.needed_per_year),
                                  p.latest_year);
        else
          sentence += ".";
        break;
      case Verdict::met:
      case Verdict::missed:
        word = p.verdict == Verdict::met ? "Target met" : "Target missed";
        cls = p.verdict == Verdict::met ? "good" : "";
        sentence += fmt::format(" The target year has come: the {} snapshot decides.", p.latest_year);
        break;
      case Verdict::unknown:
        word = "No trend yet";
        sentence += " With a single snapshot there is no trend to project";
        if (p.needed_per_year) sentence += fmt::format("; reaching {} needs {}.", share, points_per_year(*p.needed_per_year));
        else sentence += ".";
        break;
    }
  }
  h += fmt::format("<section id=\"summary\" class=\"verdict {}\"><span class=\"word\">{}</span><p>{}</p></section>\n", cls,
                   esc(word), sentence);

  struct Card {
    std::string label, value, note;
    bool headline = false, small = false;
  };
  std::vector<Card> cards;
  auto metric_card = [&](Metric mt, std::optional<double> v, const char* note) {
    cards.push_back({metric_title(mt) + (mt == m.headline_metric && m.target ? " · target metric" : ""), opt_percent(v), note,
                     mt == m.headline_metric});
  };
  metric_card(Metric::nominal, m.figures.nominal, "value-weighted share of the chain that is made by domestic producers");
  metric_card(Metric::effective, m.figures.effective,
              "share that could still be delivered if every foreign supply stopped (domestic producers' own imports count)");
  metric_card(Metric::localization, m.figures.localization, "share of domestic producers' direct inputs that are made at home");
  if (m.target && headline) {
    double gap = m.target->share - *headline;
    cards.push_back({"Gap to target", points(gap), fmt::format("{} {} target minus {} in {}", percent(m.target->share, 0), metric,
                                                               percent(*headline), m.year), false, true});
  }
  if (m.target && p.needed_per_year)
    cards.push_back({"Gain needed", points_per_year(*p.needed_per_year),
                     p.slope_per_year ? fmt::format("against a trend of {}", points_per_year(*p.slope_per_year)) : "no trend yet",
                     false, true});
  h += "<div class=\"cards\">\n";
  for (const auto& c : cards)
    h += fmt::format("<div class=\"card{}\"><div class=\"label\">{}</div><div class=\"value{}\">{}</div><div class=\"note\">{}</div></div>\n",
                     c.headline ? " headline" : "", esc(c.label), c.small ? " small" : "", esc(c.value), esc(c.note));
  h += "</div>\n";
  for (const auto& note : p.notes) h += "<p class=\"note-box\">" + esc(note) + "</p>\n";
  h += fmt::format(
      "<p class=\"sub\">{} nodes and {} supplier relations in the {} snapshot; figures weighted by {}. Definitions: "
      "docs/METRICS.md of scgraph.</p>\n",
      m.nodes, m.relations, m.year, m.weighted_by_value ? "annual value (value_musd)" : "node count (no value column)");
}

void progress_section(std::string& h, const ReportModel& m, const PageAssets& a) {
  h += "<h2 id=\"progress\">Progress toward the target</h2>\n";
  std::string intro = "Each line is one self-reliance figure per snapshot year.";
  if (m.target) {
    std::string metric = esc(to_string(m.headline_metric));
    intro += fmt::format(" The target ({} {} by {}) is the red dashed line", percent(m.target->share, 0), metric, m.target->year);
    if (m.projection.slope_per_year)
      intro += fmt::format("; the grey dotted line is the least-squares trend of {} carried to {}", metric, m.target->year);
    if (m.projection.needed_per_year) intro += "; the red dotted line is the path the target still needs from the latest snapshot";
    intro += ".";
  }
  h += "<p>" + intro + "</p>\n";
  h += "<div class=\"figure\" style=\"max-width:1000px\">\n" + a.progress_svg + "</div>\n";
  h += "<table><thead><tr><th>year</th><th class=\"num\">nominal</th><th class=\"num\">effective</th><th class=\"num\">localization</th></tr></thead><tbody>\n";
  for (const auto& y : m.years)
    h += fmt::format("<tr><td>{}{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n", y.year,
                     y.year == m.year ? " (this report)" : "", opt_percent(y.nominal), opt_percent(y.effective),
                     opt_percent(y.localization));
  h += "</tbody></table>\n";
}

void changes_section(std::string& h, const ReportModel& m) {
  if (!m.changes) return;
  const auto& c = *m.changes;
  std::string metric(to_string(m.headline_metric));
  h += fmt::format("<h2 id=\"changes\">What moved {} from {} to {}</h2>\n", esc(metric), c.from_year, c.to_year);
  h += fmt::format("<p>{} moved by <strong>{} points</strong> ({} node changes, {} supply-edge changes). Each "
                   "change is credited with the move it caused when the changes are applied one at a time to the {} data "
                   "(nodes removed, nodes added, reclassified, values, supply), so the credits add up to the total.</p>\n",
                   esc(metric_title(m.headline_metric)), signed_points(c.total), c.node_changes, c.edge_changes, c.from_year);
  h += "<table><thead><tr><th>kind of change</th><th class=\"num\">changes</th><th class=\"num\">points</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < c.groups.size(); ++k)
    if (c.group_sizes[k])
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n", esc(c.groups[k].first),
                       c.group_sizes[k], signed_points(c.groups[k].second));
  h += fmt::format("<tr><td><strong>total</strong></td><td></td><td class=\"num\"><strong>{}</strong></td></tr>\n", signed_points(c.total));
  h += "</tbody></table>\n";
  if (c.per_change && !c.top.empty()) {
    h += "<h3>The largest single changes</h3>\n<table><thead><tr><th>change</th><th class=\"num\">points</th></tr></thead><tbody>\n";
    for (const auto& r : c.top)
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n", esc(r.description),
                       r.contribution ? signed_points(*r.contribution) : "n/a");
    h += "</tbody></table>\n";
  }
}

void map_section(std::string& h, const ReportModel& m, const PageAssets& a) {
  h += "<h2 id=\"map\">Supply-chain map</h2>\n";
  h += fmt::format("<p>Stages from raw materials to finished chips, {}. Arrows run from supplier to consumer.</p>\n",
                   m.map.aggregated ? "top to bottom" : "left to right");
  if (!m.map.note.empty()) h += "<p class=\"note-box\">" + esc(m.map.note) + "</p>\n";
  h += share_legend() +
       "<span><span class=\"swatch choke\"></span>top chokepoint</span></div>\n";
  h += figure_html(a.map, "supply-chain map");
}

void stage_leader_table(std::string& h, const ReportModel& m) {
  h += "<h3 id=\"stage-leaders\">The leading foreign chokepoint of each stage</h3>\n";
  if (m.stage_leaders.empty()) {
    h += fmt::format("<p class=\"sub\">Not shown: {}.</p>\n", esc(m.stage_leaders_note));
    return;
  }
  h += "<p>The ranking above weighs every node by its value, so the tools and materials that everything else needs come "
       "first. Here is the highest-ranked foreign supplier of every stage, with its overall rank: the import each "
       "segment depends on most.</p>\n";
  h += "<table><thead><tr><th>stage</th><th>node</th><th>country</th><th class=\"num\">rank</th>"
       "<th class=\"num\">domestic loss</th><th class=\"num\">loss</th><th>why it matters</th></tr></thead><tbody>\n";
  for (const auto& r : m.stage_leaders) {
    std::string why;
    for (const auto& reason : r.reasons) why += (why.empty() ? "" : "; ") + esc(reason);
    h += fmt::format("<tr><td>{}</td><td>{}<br><span class=\"id\">{} · {}</span></td><td>{}</td><td class=\"num\">{}</td>"
                     "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                     esc(r.stage.empty() ? "(no stage)" : r.stage), esc(r.name), esc(r.id), esc(r.kind), esc(r.country), r.rank,
                     percent(r.domestic_loss, 2), percent(r.loss, 2), why);
  }
  h += "</tbody></table>\n";
}

void chokepoint_section(std::string& h, const ReportModel& m, const PageAssets& a) {
  h += "<h2 id=\"chokepoints\">Top chokepoints</h2>\n";
  h += "<p>Each supplier is knocked out alone and availability recomputed downstream. <em>Loss</em>: the share of the whole "
       "chain's (value-weighted) availability that disappears; <em>domestic loss</em>: the part of it that falls on "
       "domestic producers, which ranks the table. <em>Cannot produce</em>: nodes left with no availability at all.</p>\n";
  h += "<table><thead><tr><th class=\"num\">#</th><th>node</th><th>country</th><th class=\"num\">domestic loss</th>"
       "<th class=\"num\">loss</th><th class=\"num\">cannot produce</th><th>why it matters</th></tr></thead><tbody>\n";
  for (const auto& r : m.chokepoints) {
    std::string why;
    for (const auto& reason : r.reasons) why += (why.empty() ? "" : "; ") + esc(reason);
    h += fmt::format("<tr><td class=\"num\">{}</td><td>{}<br><span class=\"id\">{} · {}</span></td><td>{}</td><td class=\"num\">{}</td>"
                     "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                     r.rank, esc(r.name), esc(r.id), esc(r.kind), esc(r.country.empty() ? r.origin : r.country),
                     percent(r.domestic_loss, 2), percent(r.loss, 2), r.hard_dependents, why);
  }
  h += "</tbody></table>\n";
  stage_leader_table(h, m);
  if (m.focus.empty()) return;
  h += "<h3>Each chokepoint's neighbourhood</h3>\n<p>Its direct suppliers on the left, everything that depends on it to the "
       "right, with each node's availability before and after the chokepoint is knocked out.</p>\n";
  h += share_legend() +
       "<span><span class=\"swatch reduced\"></span>loses availability</span>"
       "<span><span class=\"swatch choke\"></span>cannot produce at all</span></div>\n";
  for (std::size_t i = 0; i < m.focus.size() && i < a.focus.size(); ++i) {
    const auto& r = m.chokepoints[i];
    h += fmt::format("<h3>#{} {} <span class=\"id\">({})</span></h3>\n<p class=\"sub\">{}.</p>\n", r.rank, esc(r.name), esc(r.id),
                     esc(m.focus[i].note));
    h += figure_html(a.focus[i], "neighbourhood of " + r.id);
  }
}

void country_section(std::string& h, const ReportModel& m) {
  h += "<h2 id=\"countries\">Country exposure</h2>\n";
  h += "<p>What a complete stop of each foreign country's supply would cost: all of its nodes knocked out at once.</p>\n";
  double top = 0;
  for (const auto& c : m.countries) top = std::max(top, c.domestic_loss);
  h += "<table><thead><tr><th>country</th><th class=\"num\">nodes</th>";
  if (m.weighted_by_value) h += "<th class=\"num\">their value</th>";
  h += "<th>domestic loss</th><th class=\"num\">loss</th><th class=\"num\">cannot produce</th></tr></thead><tbody>\n";
  for (const auto& c : m.countries) {
    double width = top > 0 ? 120 * c.domestic_loss / top : 0;
    h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td>", esc(c.country), c.nodes);
    if (m.weighted_by_value) h += fmt::format("<td class=\"num\">{}</td>", money_musd(c.value));
    h += fmt::format("<td class=\"num\" style=\"text-align:left\"><span class=\"bar\" style=\"width:{:.0f}px\"></span>{}</td>"
                     "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                     width, percent(c.domestic_loss, 2), percent(c.loss, 2), c.hard_dependents);
  }
  h += "</tbody></table>\n";
}

void scenario_section(std::string& h, const ReportModel& m) {
  h += "<h2 id=\"scenarios\">Scenarios</h2>\n";
  if (m.scenarios.empty()) {
    h += "<p>The dataset has no scenarios (scenarios/*.toml).</p>\n";
    return;
  }
  h += fmt::format("<p>The dataset's named what-if scenarios, applied to the {} snapshot. <em>Availability</em> is the "
                   "value-weighted share of the chain that can still be delivered.</p>\n", m.year);
  h += "<table><thead><tr><th>scenario</th><th class=\"num\">nominal</th><th class=\"num\">effective</th>"
       "<th class=\"num\">availability</th><th class=\"num\">cannot produce</th></tr></thead><tbody>\n";
  // The after value coloured by direction when it moved by at least a tenth of a point.
  auto before_after = [](std::optional<double> b, std::optional<double> a) {
    const char* cls = "";
    if (a && b && *a < *b - 1e-3) cls = " class=\"neg\"";
    if (a && b && *a > *b + 1e-3) cls = " class=\"pos\"";
    return fmt::format("{} → <strong{}>{}</strong>", opt_percent(b), cls, opt_percent(a));
  };
  for (const auto& s : m.scenarios) {
    std::string what = "<strong>" + esc(s.name) + "</strong>";
    if (!s.description.empty()) what += "<br>" + esc(s.description);
    if (!s.applicable) {
      h += fmt::format("<tr class=\"na\"><td>{}</td><td colspan=\"4\">{}</td></tr>\n", what, esc(s.problem));
      continue;
    }
    std::string failed = std::to_string(s.failed.size());
    h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                     what, before_after(s.before.nominal, s.after.nominal), before_after(s.before.effective, s.after.effective),
                     before_after(s.before.availability, s.after.availability), failed);
  }
  h += "</tbody></table>\n";
}

void quality_section(std::string& h, const ReportModel& m) {
  h += "<h2 id=\"quality\">Data quality</h2>\n";
  h += fmt::format("<p>The validator's warnings for the {} snapshot and its scenarios: {}. Warnings do not stop the "
                   "analysis; they mark data an analyst should check.</p>\n",
                   m.year, m.warnings.empty() ? std::string("none") : std::to_string(m.warnings.size()));
  // Grouped by rule: an imported dataset can have a hundred warnings of one kind, and the reader
  // needs the kinds, their counts and the fix once, with the places folded away.
  std::map<std::string, std::vector<const Diagnostic*>> by_code;
  for (const auto& d : m.warnings) by_code[d.code].push_back(&d);
  constexpr std::size_t shown_per_code = 5;
  if (!by_code.empty()) {
    h += "<table><thead><tr><th>warning</th><th class=\"num\">count</th><th>what to do</th></tr></thead><tbody>\n";
    for (const auto& [code, list] : by_code)
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n", esc(code), list.size(),
                       esc(list.front()->hint));
    h += "</tbody></table>\n";
    for (const auto& [code, list] : by_code) {
      auto line = [](const Diagnostic& d) {
        std::string place = d.file;
        if (d.line) place += fmt::format(":{}", d.line);
        if (d.column) place += fmt::format(":{}", d.column);
        return "<li>" + esc(place.empty() ? d.message : place + ": " + d.message) + "</li>\n";
      };
      h += fmt::format("<details{}><summary>{} ({})</summary><ul class=\"warnings\">\n", list.size() <= shown_per_code ? " open" : "",
                       esc(code), list.size());
      for (const Diagnostic* d : list) h += line(*d);
      h += "</ul></details>\n";
    }
  }
  if (!m.other_years.empty()) {
    std::string years;
    for (const auto& y : m.other_years) years += fmt::format("{}{}: {}", years.empty() ? "" : ", ", y.year, y.warnings);
    h += "<p>Warnings in the other snapshots: " + esc(years) + ".</p>\n";
  }
}

}  // namespace

std::string points(double fraction, int decimals) {
  return fmt::format("{:.{}f} point{}", fraction * 100, decimals, std::abs(fraction * 100 - 1) < 1e-12 ? "" : "s");
}

std::string points_per_year(double fraction, int decimals) {
  return fmt::format("{:+.{}f} points a year", fraction * 100, decimals);
}

std::string html_page(const ReportModel& m, const PageAssets& a, const std::vector<std::string>& files) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // No script, no fetch: the page forbids both, so even a bug cannot make it load anything.
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
  h += fmt::format("<title>{} — self-reliance report {}</title>\n", esc(m.dataset_name), m.year);
  h += "<style>" + std::string(css) + "</style>\n</head>\n<body>\n<main>\n";
  h += fmt::format("<h1>{}</h1>\n", esc(m.dataset_name));
  std::string sub = fmt::format("Self-reliance report for the {} snapshot · home country {}", m.year, esc(m.home));
  if (m.target)
    sub += fmt::format(" · target {} {} self-reliance by {}", percent(m.target->share, 0), esc(to_string(m.target->metric)),
                       m.target->year);
  h += "<p class=\"sub\">" + sub + "</p>\n";
  h += "<nav><a href=\"#progress\">Progress</a>";
  if (m.changes) h += "<a href=\"#changes\">What moved</a>";
  h += "<a href=\"#map\">Map</a><a href=\"#chokepoints\">Chokepoints</a><a href=\"#countries\">Countries</a>"
       "<a href=\"#scenarios\">Scenarios</a><a href=\"#quality\">Data quality</a></nav>\n";
  summary_section(h, m);
  progress_section(h, m, a);
  changes_section(h, m);
  map_section(h, m, a);
  chokepoint_section(h, m, a);
  country_section(h, m);
  scenario_section(h, m);
  quality_section(h, m);
  h += "<footer>\n";
  h += fmt::format("<p>Generated by scgraph from {} (snapshot {}). ", esc(m.dataset_path), m.year);
  if (!m.source.empty()) h += "Data: " + esc(m.source) + " ";
  if (!m.licence.empty()) h += "Licence: " + esc(m.licence) + ".";
  h += "</p>\n<p>Files of this report: ";
  for (std::size_t i = 0; i < files.size(); ++i)
    h += fmt::format("{}<a href=\"{}\">{}</a>", i ? ", " : "", esc(files[i]), esc(files[i]));
  h += ".</p>\n</footer>\n</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace scgraph::out
