#pragma once
// Progress toward a self-reliance target across yearly snapshots: a least-squares line through
// (year, value) points, its value at the target year, and the yearly gain still needed.
// Pure functions over figures already computed; loading the snapshots is the caller's job.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dataset.hpp"

namespace scgraph {

struct YearPoint {
  double year = 0;
  double value = 0;
};

// value(year) = mean_value + slope * (year - mean_year); centred so that years near 2000 lose no
// precision in the sums.
struct LinearFit {
  double slope = 0;
  double mean_year = 0;
  double mean_value = 0;
  [[nodiscard]] double at(double year) const { return mean_value + slope * (year - mean_year); }
};

// Ordinary least squares; nullopt with fewer than two distinct years (no slope can be drawn).
std::optional<LinearFit> least_squares(std::span<const YearPoint> points);

// The three figures of one snapshot (empty when the snapshot has nothing to average).
struct YearFigures {
  int year = 0;
  std::optional<double> nominal, effective, localization;
  [[nodiscard]] std::optional<double> get(Metric m) const;
};

enum class Verdict {
  on_track,    // the trend reaches the target share by the target year
  off_track,   // it does not
  met,         // the target year has come and the latest snapshot is at or above the share
  missed,      // the target year has come and the latest snapshot is below the share
  unknown,     // a single snapshot (no trend) before the target year, or no target
};
std::string_view to_string(Verdict v);

struct Projection {
  std::optional<double> slope_per_year;   // least squares over the years with a value
  std::optional<double> at_target_year;   // the line at the target year
  std::optional<double> needed_per_year;  // (share - latest) / (target year - latest year), >= 0
  std::optional<bool> on_track;           // at_target_year >= share (measured value once the year has come)
  Verdict verdict = Verdict::unknown;
  int latest_year = 0;
  std::optional<double> latest_value;
  std::optional<double> gap;              // share - latest value (negative: above target)
  std::vector<std::string> notes;         // why a figure is missing, in words
};

// years must be ascending by year. Years whose metric is empty are left out of the fit.
Projection project(std::span<const YearFigures> years, Metric metric, const std::optional<Target>& target);

}  // namespace scgraph
