#pragma once
// `scgraph report`: the one-page HTML report with its Graphviz maps, summary.json, summary.md and
// the .dot sources. Everything is computed from the library into a ReportModel first, then
// rendered; the folder is built under a temporary name and moved into place only when complete.
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "graph/dataset.hpp"
#include "graph/diagnostics.hpp"
#include "graph/model.hpp"
#include "report_model.hpp"

namespace scgraph::out {

struct ReportOptions {
  std::size_t top = 10;                      // chokepoints in the table, each with a focus graph
  std::vector<std::string> formats{"svg"};   // svg always; png, pdf add rendered files
  std::size_t map_max_nodes = 150;           // above this the map is aggregated
  // Every foreign node is knocked out to find each stage's leading foreign chokepoint; above this
  // many nodes that table is left out (the page says so).
  std::size_t stage_leaders_max_nodes = 20'000;
};

// graphs[i] is the snapshot dataset.snapshots[i]; selected is the report's snapshot.
// snapshot_warnings are the loader's warnings for the selected snapshot; other_years counts the
// warnings of the others. Scenario files that cannot be read are errors in diagnostics (nullopt).
std::optional<ReportModel> build_report_model(const Dataset& dataset, std::span<const SupplyGraph> graphs,
                                              std::size_t selected, std::vector<Diagnostic> snapshot_warnings,
                                              std::vector<YearWarnings> other_years, const ReportOptions& options,
                                              Diagnostics& diagnostics);

// Throws std::runtime_error when `out` exists and is neither empty nor an earlier scgraph report,
// so that a mistyped --out never replaces someone's folder.
void check_output_folder(const std::filesystem::path& out);

// Renders everything and writes it to `out` (replacing an earlier report there) atomically.
// Returns the names of the files written. Throws on any failure, leaving `out` as it was.
std::vector<std::string> write_report(const ReportModel& model, const std::filesystem::path& out,
                                      const ReportOptions& options);

}  // namespace scgraph::out
