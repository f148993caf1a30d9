#pragma once
// Everything the report shows, computed once from the library and then written as the HTML page,
// summary.json and summary.md, so that the three always agree.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "graph/dataset.hpp"
#include "graph/diagnostics.hpp"
#include "graph/diff.hpp"
#include "graph/progress.hpp"
#include "graph/reliance.hpp"

namespace scgraph::out {

struct ChokepointRow {
  std::size_t rank = 0;
  std::string id, name, kind, country, origin, stage;
  double loss = 0, domestic_loss = 0;
  std::size_t hard_dependents = 0;
  bool sole_source = false;
  std::vector<std::string> reasons;  // why it ranks here, in words
  std::string focus_note;            // what its focus graph shows
};

struct CountryRow {
  std::string country;
  std::size_t nodes = 0;
  double value = 0;
  double loss = 0, domestic_loss = 0;
  std::size_t hard_dependents = 0;
};

struct ScenarioRow {
  std::string name, description;
  bool applicable = true;
  std::string problem;  // why it does not apply to this snapshot
  Figures before, after;
  std::size_t knocked_out = 0;
  std::vector<std::string> failed;  // ids, ascending
  std::vector<std::string> notes;
};

struct ChangeRow {
  std::string group, subject, description;
  std::optional<double> contribution;  // to the headline metric
};

struct ChangesSummary {
  int from_year = 0, to_year = 0;
  double total = 0;  // move of the headline metric
  std::vector<std::pair<std::string, double>> groups;  // group name, contribution
  std::vector<std::size_t> group_sizes;
  std::vector<ChangeRow> top;  // largest contributions first
  std::size_t node_changes = 0, edge_changes = 0;
  bool per_change = true;
};

struct GraphFigure {
  std::string title;
  std::string file_stem;  // e.g. "map", "focus-01"
  std::string dot;
  std::string note;
  bool aggregated = false;
  std::size_t nodes = 0, edges = 0;
};

struct YearWarnings {
  int year = 0;
  std::size_t warnings = 0;
};

struct ReportModel {
  std::string dataset_name, dataset_path, home, source, licence;
  int year = 0;
  bool weighted_by_value = false;
  std::size_t nodes = 0, relations = 0, supply_entries = 0;
  std::optional<Target> target;
  Metric headline_metric = Metric::nominal;
  Figures figures;
  std::vector<YearFigures> years;
  Projection projection;
  std::optional<ChangesSummary> changes;
  GraphFigure map;
  std::vector<GraphFigure> focus;  // one per chokepoint row, same order
  std::string ranking;  // how the chokepoints are ordered, in words
  std::vector<ChokepointRow> chokepoints;
  // The highest-ranked foreign node of each stage, in ranking order: a value-weighted ranking puts
  // the upstream tools first, and this shows the leading import of every segment beside them.
  std::vector<ChokepointRow> stage_leaders;
  std::string stage_leaders_note;  // why the table is empty, when it is
  std::vector<CountryRow> countries;
  std::vector<ScenarioRow> scenarios;
  std::vector<Diagnostic> warnings;  // of the report's snapshot and its scenarios
  std::vector<YearWarnings> other_years;

  [[nodiscard]] std::optional<double> headline() const {
    switch (headline_metric) {
      case Metric::nominal: return figures.nominal;
      case Metric::effective: return figures.effective;
      case Metric::localization: return figures.localization;
    }
    return figures.nominal;
  }
};

}  // namespace scgraph::out
