#pragma once
// The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched from
// anywhere, readable offline and in print. Every piece of data text is escaped.
#include <string>
#include <vector>

#include "report_model.hpp"

namespace scgraph::out {

struct RenderedFigure {
  std::string svg;           // an <svg> element ready to inline
  double width_points = 0;   // the drawing's natural width, so the page never enlarges it
};

struct PageAssets {
  std::string progress_svg;
  RenderedFigure map;
  std::vector<RenderedFigure> focus;  // one per chokepoint row
};

std::string html_page(const ReportModel& model, const PageAssets& assets, const std::vector<std::string>& files);

// Figures as the page prints them (tests look for them in the page).
std::string points(double fraction, int decimals = 1);           // 0.268 -> "26.8 points"
std::string points_per_year(double fraction, int decimals = 1);  // 0.031 -> "+3.1 points a year"

}  // namespace scgraph::out
