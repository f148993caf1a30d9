#include "common.hpp"

#include <ostream>

namespace scgraph::cli {

void add_dataset_args(CLI::App& command, DatasetArgs& args, bool with_format) {
  command.add_option("DATASET", args.path, "dataset folder (with dataset.toml), or a nodes.csv with --home")
      ->required();
  command.add_option("--year", args.year, "snapshot year (default: the latest)");
  command.add_option("--home", args.home, "home country (ISO alpha-3); overrides dataset.toml");
  if (with_format)
    command.add_option("--format", args.format, "table, json or csv (default: table on a terminal, json otherwise)")
        ->check(CLI::IsMember({"table", "json", "csv"}));
  command.add_flag("--quiet,-q", args.quiet, "no warnings or progress on standard error");
  command.add_option("--max-nodes", args.limits.max_nodes, "refuse data with more nodes")->capture_default_str();
  command.add_option("--max-edges", args.limits.max_edges, "refuse data with more edges")->capture_default_str();
  command.add_option("--max-field-bytes", args.limits.max_field_bytes, "refuse CSV fields longer than this")
      ->capture_default_str();
}

Format resolve_format(const DatasetArgs& args, const Context& ctx) {
  if (args.format == "json") return Format::json;
  if (args.format == "csv") return Format::csv;
  if (args.format == "table") return Format::table;
  return ctx.out_is_terminal ? Format::table : Format::json;
}

void report_diagnostics(Diagnostics& diagnostics, Context& ctx, bool quiet, std::size_t warning_limit) {
  diagnostics.sort();
  std::size_t warnings_shown = 0, warnings_hidden = 0;
  for (const auto& d : diagnostics.entries()) {
    if (d.severity == Severity::warning) {
      if (quiet) continue;
      if (warnings_shown >= warning_limit) {
        ++warnings_hidden;
        continue;
      }
      ++warnings_shown;
    }
    ctx.err << format_diagnostic(d) << '\n';
  }
  if (!quiet) warnings_hidden += diagnostics.unstored_warning_count();
  if (warnings_hidden)
    ctx.err << "scgraph: " << warnings_hidden << " more warning" << (warnings_hidden == 1 ? "" : "s")
            << " not shown; 'scgraph validate' lists them all\n";
}

std::optional<Dataset> open(const DatasetArgs& args, Context& ctx) {
  Diagnostics diag;
  auto dataset = open_dataset(args.path, args.home, diag);
  report_diagnostics(diag, ctx, args.quiet);
  if (!dataset || diag.has_errors()) {
    ctx.exit_code = exit_invalid;
    return std::nullopt;
  }
  return dataset;
}

std::optional<SupplyGraph> load_year(const Dataset& dataset, const SnapshotFiles& snapshot, const DatasetArgs& args,
                                     Context& ctx) {
  Diagnostics diag;
  // Analysis commands show a few warnings: the rest of a systematic one is only counted.
  diag.set_warning_cap_per_code(warnings_kept_per_code);
  auto graph = load_snapshot(snapshot, dataset.home, diag, args.limits, progress_sink(ctx, args.quiet));
  report_diagnostics(diag, ctx, args.quiet);
  if (!graph || diag.has_errors()) {
    ctx.err << "scgraph: " << diag.error_count() << " error" << (diag.error_count() == 1 ? "" : "s")
            << " in the data; nothing was computed\n";
    ctx.exit_code = exit_invalid;
    return std::nullopt;
  }
  return graph;
}

std::optional<Loaded> load(const DatasetArgs& args, Context& ctx) {
  auto dataset = open(args, ctx);
  if (!dataset) return std::nullopt;
  Diagnostics diag;
  const SnapshotFiles* snapshot = select_snapshot(*dataset, args.year, diag);
  if (!snapshot) {
    report_diagnostics(diag, ctx, args.quiet);
    ctx.exit_code = exit_invalid;
    return std::nullopt;
  }
  auto graph = load_year(*dataset, *snapshot, args, ctx);
  if (!graph) return std::nullopt;
  SnapshotFiles files = *snapshot;
  return Loaded{std::move(*dataset), std::move(files), std::move(*graph)};
}

std::string dump(const nlohmann::ordered_json& doc) {
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

nlohmann::ordered_json number_or_null(std::optional<double> value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

void usage_error(Context& ctx, const std::string& message) {
  ctx.err << "scgraph: " << message << "\n";
  ctx.exit_code = exit_usage;
}

}  // namespace scgraph::cli
