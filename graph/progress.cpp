#include "progress.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace scgraph {

std::optional<LinearFit> least_squares(std::span<const YearPoint> points) {
  if (points.size() < 2) return std::nullopt;
  double n = static_cast<double>(points.size());
  double sum_x = 0, sum_y = 0;
  for (const auto& p : points) {
    sum_x += p.year;
    sum_y += p.value;
  }
  LinearFit fit;
  fit.mean_year = sum_x / n;
  fit.mean_value = sum_y / n;
  double sxx = 0, sxy = 0;
  for (const auto& p : points) {
    double dx = p.year - fit.mean_year;
    sxx += dx * dx;
    sxy += dx * (p.value - fit.mean_value);
  }
  if (sxx == 0) return std::nullopt;  // every point in the same year
  fit.slope = sxy / sxx;
  return fit;
}

std::optional<double> YearFigures::get(Metric m) const {
  switch (m) {
    case Metric::nominal: return nominal;
    case Metric::effective: return effective;
    case Metric::localization: return localization;
  }
  return nominal;
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::on_track: return "on track";
    case Verdict::off_track: return "off track";
    case Verdict::met: return "met";
    case Verdict::missed: return "missed";
    case Verdict::unknown: return "unknown";
  }
  return "unknown";
}

Projection project(std::span<const YearFigures> years, Metric metric, const std::optional<Target>& target) {
  Projection p;
  std::vector<YearPoint> points;
  for (const auto& y : years)
    if (auto v = y.get(metric)) {
      points.push_back({static_cast<double>(y.year), *v});
      p.latest_year = y.year;
      p.latest_value = *v;
    }
  if (points.empty()) {
    p.notes.push_back(fmt::format("no snapshot has a {} figure", to_string(metric)));
    return p;
  }
  auto fit = least_squares(points);
  if (fit) p.slope_per_year = fit->slope;
  else p.notes.push_back("a single snapshot: no trend can be drawn, so there is no slope, projection or verdict");

  if (!target) {
    p.notes.push_back("the dataset sets no target");
    return p;
  }
  p.gap = target->share - *p.latest_value;
  if (fit) p.at_target_year = fit->at(target->year);
  if (p.latest_year >= target->year) {
    // The deadline has come: what counts is the measurement, not the trend, and no years are
    // left in which to gain.
    p.on_track = *p.latest_value >= target->share;
    p.verdict = *p.on_track ? Verdict::met : Verdict::missed;
    p.notes.push_back(fmt::format("the latest snapshot ({}) is at or past the target year ({}): the verdict is the "
                                  "measured value, and no yearly gain is needed or possible",
                                  p.latest_year, target->year));
    return p;
  }
  p.needed_per_year = std::max(0.0, *p.gap / static_cast<double>(target->year - p.latest_year));
  if (p.at_target_year) {
    p.on_track = *p.at_target_year >= target->share;
    p.verdict = *p.on_track ? Verdict::on_track : Verdict::off_track;
  }
  return p;
}

}  // namespace scgraph
