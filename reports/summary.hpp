#pragma once
// The report's figures for scripts (summary.json) and for plain-text readers (summary.md), and the
// JSON of progress and diff shared with their subcommands.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "graph/dataset.hpp"
#include "graph/diff.hpp"
#include "graph/progress.hpp"
#include "graph/reliance.hpp"
#include "report_model.hpp"

namespace scgraph::out {

// Two-space indent, stable key order, invalid UTF-8 replaced.
std::string json_text(const nlohmann::ordered_json& doc);

nlohmann::ordered_json optional_number(std::optional<double> value);
nlohmann::ordered_json figures_json(const Figures& f);
nlohmann::ordered_json target_json(const std::optional<Target>& target);

// FORMAT.md section 6's progress document (without "schema"): metric, target, years, projection.
nlohmann::ordered_json progress_json(const std::vector<YearFigures>& years, Metric metric,
                                     const std::optional<Target>& target, const Projection& projection);

std::string summary_json(const ReportModel& model, const std::vector<std::string>& files);
std::string summary_markdown(const ReportModel& model, const std::vector<std::string>& files);

}  // namespace scgraph::out
