#pragma once
// The progress chart as hand-made SVG: one line per self-reliance figure over the snapshot years,
// the target, the least-squares projection to the target year and the path still needed.
// Deterministic text, no script, no external resource; valid XML to embed in HTML or save alone.
#include <optional>
#include <string>
#include <vector>

#include "graph/dataset.hpp"
#include "graph/progress.hpp"

namespace scgraph::out {

struct ProgressChart {
  std::vector<YearFigures> years;  // ascending
  Metric headline = Metric::nominal;
  std::optional<Target> target;
  Projection projection;
};

// An <svg> element with a viewBox (it scales to its container); `id` prefixes its element ids.
std::string progress_chart_svg(const ProgressChart& chart, const std::string& id);

// The metric's colour in the chart, for legends elsewhere on the page.
const char* metric_colour(Metric m);

}  // namespace scgraph::out
