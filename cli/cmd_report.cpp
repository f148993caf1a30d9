// scgraph report: the one-page HTML report with Graphviz maps, summary.json, summary.md and the
// .dot sources, written to a folder that appears whole or not at all.
#include <algorithm>
#include <ostream>
#include <sstream>

#include "commands.hpp"
#include "graph/dataset.hpp"
#include "graph/loader.hpp"
#include "reports/graphviz_render.hpp"
#include "reports/report.hpp"

namespace scgraph::cli {

namespace {

struct ReportArgs {
  DatasetArgs data;
  std::string out;
  std::size_t top = 10;
  std::string formats = "svg";
  std::size_t map_max_nodes = 150;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

void run_report(const ReportArgs& args, Context& ctx) {
  out::ReportOptions options;
  options.top = args.top;
  options.map_max_nodes = args.map_max_nodes;
  options.formats = {"svg"};
  for (const auto& f : split_list(args.formats)) {
    const auto& known = out::render_formats();
    if (std::find(known.begin(), known.end(), f) == known.end())
      return usage_error(ctx, "--formats: unknown format '" + f + "' (svg, png, pdf)");
    if (std::find(options.formats.begin(), options.formats.end(), f) == options.formats.end()) options.formats.push_back(f);
  }
  try {
    out::check_output_folder(args.out);
  } catch (const std::exception& e) {
    ctx.err << "scgraph: " << e.what() << "\n";
    ctx.exit_code = exit_invalid;
    return;
  }

  auto dataset = open(args.data, ctx);
  if (!dataset) return;
  Diagnostics select;
  const SnapshotFiles* chosen = select_snapshot(*dataset, args.data.year, select);
  if (!chosen) {
    report_diagnostics(select, ctx, args.data.quiet);
    ctx.exit_code = exit_invalid;
    return;
  }
  // Every snapshot is needed for the progress chart; any error in any of them stops the report.
  std::vector<SupplyGraph> graphs;
  std::vector<out::YearWarnings> other_years;
  std::vector<Diagnostic> warnings;
  std::size_t selected = 0;
  Diagnostics all;
  for (const auto& snapshot : dataset->snapshots) {
    Diagnostics diag;
    auto graph = load_snapshot(snapshot, dataset->home, diag, args.data.limits, progress_sink(ctx, args.data.quiet));
    diag.sort();
    bool is_selected = snapshot.year == chosen->year;
    for (const auto& d : diag.entries())
      if (d.severity == Severity::error || is_selected) all.add(d);
    if (!graph || diag.has_errors()) continue;
    if (is_selected) {
      selected = graphs.size();
      warnings = diag.entries();
    } else {
      other_years.push_back({snapshot.year, diag.warning_count()});
    }
    graphs.push_back(std::move(*graph));
  }
  if (all.has_errors()) {
    report_diagnostics(all, ctx, args.data.quiet);
    ctx.err << "scgraph: " << all.error_count() << " error" << (all.error_count() == 1 ? "" : "s")
            << " in the data; no report was written\n";
    ctx.exit_code = exit_invalid;
    return;
  }
  Diagnostics scenario_diag;
  auto model = out::build_report_model(*dataset, graphs, selected, warnings, other_years, options, scenario_diag);
  for (const auto& d : scenario_diag.entries()) all.add(d);
  report_diagnostics(all, ctx, args.data.quiet);
  if (!model) {
    ctx.err << "scgraph: a scenario file has errors; no report was written\n";
    ctx.exit_code = exit_invalid;
    return;
  }
  try {
    auto files = out::write_report(*model, args.out, options);
    if (!args.data.quiet)
      ctx.err << "scgraph: wrote " << files.size() << " files to " << args.out << "; open "
              << (std::filesystem::path(args.out) / "index.html").string() << "\n";
  } catch (const std::exception& e) {
    ctx.err << "scgraph: no report was written: " << e.what() << "\n";
    ctx.exit_code = exit_invalid;
  }
}

}  // namespace

void add_report_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand("report", "write the HTML report with Graphviz maps, summary.json and summary.md");
  add_dataset_args(*cmd, args->data, /*with_format=*/false);
  cmd->add_option("--out", args->out, "folder to write (replaced whole if it holds an earlier report)")->required();
  cmd->add_option("--top", args->top, "chokepoints in the table, each with its own graph")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100}));
  cmd->add_option("--formats", args->formats, "rendered files besides the .dot sources: svg (always), png, pdf")
      ->capture_default_str();
  cmd->add_option("--map-max-nodes", args->map_max_nodes, "draw every node up to this many; above, group by stage and kind")
      ->capture_default_str();
  cmd->callback([args, &ctx] { run_report(*args, ctx); });
}

}  // namespace scgraph::cli
