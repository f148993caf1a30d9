#include "chart_svg.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "dot_builder.hpp"
#include "escape.hpp"

namespace scgraph::out {

namespace {

constexpr double width = 900, height = 400;
constexpr double left = 58, right = 230, top = 58, bottom = 42;
constexpr const char* target_colour = "#b2182b";
constexpr const char* trend_colour = "#555555";

struct Label {
  double x, y;
  std::string text;
  const char* colour;
  bool bold = false;
};

// Pushes labels of one column apart so that none overlaps (12 px apart), keeping their order.
void spread(std::vector<Label*>& column) {
  std::sort(column.begin(), column.end(), [](const Label* a, const Label* b) { return a->y < b->y; });
  for (std::size_t i = 1; i < column.size(); ++i)
    column[i]->y = std::max(column[i]->y, column[i - 1]->y + 13);
  // If the last one went below the plot, shift the column up.
  if (!column.empty() && column.back()->y > height - bottom) {
    double shift = column.back()->y - (height - bottom);
    for (auto* l : column) l->y -= shift;
  }
}

std::string metric_name(Metric m) { return std::string(to_string(m)); }

}  // namespace

const char* metric_colour(Metric m) {
  switch (m) {
    case Metric::nominal: return "#0072b2";
    case Metric::effective: return "#d55e00";
    case Metric::localization: return "#009e73";
  }
  return "#0072b2";
}

std::string progress_chart_svg(const ProgressChart& c, const std::string& id) {
  int first = c.years.empty() ? 2000 : c.years.front().year;
  int last = c.years.empty() ? 2001 : c.years.back().year;
  int end = std::max(last, c.target ? c.target->year : last);
  if (end == first) end = first + 1;
  double x0 = first - 0.4, x1 = end + 0.4;
  auto X = [&](double year) { return left + (year - x0) / (x1 - x0) * (width - left - right); };
  auto Y = [&](double value) { return top + (1 - std::clamp(value, 0.0, 1.0)) * (height - top - bottom); };

  std::string headline = metric_name(c.headline);
  std::string title = "Self-reliance by year";
  if (c.target) title += fmt::format(" and the target of {} {} by {}", percent(c.target->share, 0), headline, c.target->year);
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{0}\" viewBox=\"0 0 {1} {2}\" role=\"img\" "
      "aria-labelledby=\"{0}-title\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<title id=\"{0}-title\">{3}</title>\n"
      "<rect x=\"0\" y=\"0\" width=\"{1}\" height=\"{2}\" fill=\"#ffffff\"/>\n",
      html_text(id), width, height, html_text(title));

  // Verdict line at the top.
  const Projection& p = c.projection;
  std::string verdict;
  if (c.target) {
    switch (p.verdict) {
      case Verdict::on_track:
        verdict = fmt::format("On track: the trend reaches {} by {} (target {})", percent(*p.at_target_year),
                              c.target->year, percent(c.target->share, 0));
        break;
      case Verdict::off_track:
        verdict = fmt::format("Off track: the trend reaches {} by {}, short of the {} target", percent(*p.at_target_year),
                              c.target->year, percent(c.target->share, 0));
        break;
      case Verdict::met: verdict = fmt::format("Target met in {}", p.latest_year); break;
      case Verdict::missed: verdict = fmt::format("Target missed: {} in {}", percent(p.latest_value.value_or(0)), p.latest_year); break;
      case Verdict::unknown: verdict = "One snapshot only: no trend yet"; break;
    }
  }
  const char* verdict_colour = p.verdict == Verdict::on_track || p.verdict == Verdict::met ? "#1a7837" : target_colour;
  if (!verdict.empty())
    s += fmt::format("<text x=\"{}\" y=\"24\" font-size=\"16\" font-weight=\"bold\" fill=\"{}\">{}</text>\n", left,
                     verdict_colour, html_text(verdict));

  // Grid and axes.
  s += "<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n";
  for (int k = 0; k <= 10; ++k) s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n", X(x0), Y(k / 10.0), X(x1), Y(k / 10.0));
  s += "</g>\n<g fill=\"#555555\" text-anchor=\"end\">\n";
  for (int k = 0; k <= 10; k += 2)
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", left - 6, Y(k / 10.0) + 4, percent(k / 10.0, 0));
  s += "</g>\n<g fill=\"#555555\" text-anchor=\"middle\">\n";
  for (int y = first; y <= end; ++y) {
    bool is_target = c.target && y == c.target->year;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\"{}>{}</text>\n", X(y), height - bottom + 18,
                     is_target ? " font-weight=\"bold\" fill=\"" + std::string(target_colour) + "\"" : "", y);
  }
  s += "</g>\n";
  s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#888888\"/>\n", X(x0), Y(0), X(x1));

  std::vector<Label> labels;
  // Target: a dashed horizontal line and a marker at the target year.
  if (c.target) {
    double ty = Y(c.target->share);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"1.5\" "
                     "stroke-dasharray=\"6 4\"/>\n",
                     X(x0), ty, X(c.target->year), ty, target_colour);
    double tx = X(c.target->year);
    s += fmt::format("<path d=\"M{:.1f} {:.1f} l7 7 l-7 7 l-7 -7 z\" fill=\"{}\"/>\n", tx, ty - 7, target_colour);
    labels.push_back({tx + 12, ty + 4, fmt::format("target {} by {}", percent(c.target->share, 0), c.target->year),
                      target_colour, true});
  }
  // Least-squares projection of the headline metric, from the first year to the target year.
  if (c.target && p.slope_per_year && p.at_target_year) {
    auto fit_at = [&](double year) { return *p.at_target_year + *p.slope_per_year * (year - c.target->year); };
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"1.5\" "
                     "stroke-dasharray=\"2 4\"/>\n",
                     X(first), Y(fit_at(first)), X(c.target->year), Y(*p.at_target_year), trend_colour);
    s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                     X(c.target->year), Y(*p.at_target_year), trend_colour);
    labels.push_back({X(c.target->year) + 12, Y(*p.at_target_year) + 4,
                      fmt::format("trend {} in {}", percent(*p.at_target_year), c.target->year), trend_colour, false});
  }
  // The path still needed: from the latest value straight to the target.
  if (c.target && p.needed_per_year && p.latest_value && p.latest_year < c.target->year) {
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2\" "
                     "stroke-dasharray=\"1 5\" stroke-linecap=\"round\"/>\n",
                     X(p.latest_year), Y(*p.latest_value), X(c.target->year), Y(c.target->share), target_colour);
    labels.push_back({X(c.target->year) + 12, Y(c.target->share) + 18,
                      fmt::format("needed: +{:.1f} points a year", *p.needed_per_year * 100), target_colour, false});
  }
  // The three figures.
  for (Metric m : {Metric::localization, Metric::effective, Metric::nominal}) {
    bool main = m == c.headline;
    std::string points;
    std::optional<std::pair<int, double>> latest;
    for (const auto& y : c.years)
      if (auto v = y.get(m)) {
        points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", X(y.year), Y(*v));
        latest = {y.year, *v};
      }
    if (!latest) continue;
    const char* colour = metric_colour(m);
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n", points, colour,
                     main ? 3 : 2, m == Metric::effective ? " stroke-dasharray=\"8 3\"" : "");
    s += fmt::format("<g fill=\"{}\">\n", colour);
    for (const auto& y : c.years)
      if (auto v = y.get(m)) s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\"/>\n", X(y.year), Y(*v), main ? 4 : 3);
    s += "</g>\n";
    // The latest value just above its point, left of it: the line arrives from the lower left
    // and the trend and needed lines leave to the right.
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\" text-anchor=\"end\"{}>{}</text>\n", X(latest->first) - 6,
                     Y(latest->second) - 9, colour, main ? " font-weight=\"bold\" font-size=\"14\"" : "",
                     html_text(percent(latest->second)));
  }
  // Labels, each column spread so that none overlaps.
  std::vector<double> columns;
  for (const auto& l : labels)
    if (std::find(columns.begin(), columns.end(), l.x) == columns.end()) columns.push_back(l.x);
  for (double cx : columns) {
    std::vector<Label*> column;
    for (auto& l : labels)
      if (l.x == cx) column.push_back(&l);
    spread(column);
  }
  for (const auto& l : labels)
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\"{}>{}</text>\n", l.x, l.y, l.colour,
                     l.bold ? " font-weight=\"bold\"" : "", html_text(l.text));
  // Legend under the verdict.
  double lx = left;
  for (Metric m : {Metric::nominal, Metric::effective, Metric::localization}) {
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"42\" x2=\"{:.1f}\" y2=\"42\" stroke=\"{}\" stroke-width=\"3\"{}/>\n", lx, lx + 22,
                     metric_colour(m), m == Metric::effective ? " stroke-dasharray=\"8 3\"" : "");
    std::string name = metric_name(m) + (m == c.headline ? " (target metric)" : "");
    s += fmt::format("<text x=\"{:.1f}\" y=\"46\" fill=\"#333333\">{}</text>\n", lx + 27, html_text(name));
    lx += 40 + 7.0 * static_cast<double>(name.size());
  }
  if (c.target && p.slope_per_year) {
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"42\" x2=\"{:.1f}\" y2=\"42\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/>\n",
                     lx, lx + 22, trend_colour);
    s += fmt::format("<text x=\"{:.1f}\" y=\"46\" fill=\"#333333\">least-squares trend of {}</text>\n", lx + 27, html_text(headline));
  }
  s += "</svg>\n";
  return s;
}

}  // namespace scgraph::out
