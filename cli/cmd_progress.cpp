// scgraph progress: the headline metric per snapshot year, its least-squares trend, the value the
// trend reaches in the target year, the yearly gain still needed, and the on-track verdict.
#include <fmt/format.h>
#include <ostream>

#include "commands.hpp"
#include "graph/progress.hpp"
#include "graph/reliance.hpp"
#include "reports/summary.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

void run_progress(const DatasetArgs& args, Context& ctx) {
  if (args.year) return usage_error(ctx, "progress uses every snapshot; --year does not apply");
  auto dataset = open(args, ctx);
  if (!dataset) return;
  // Errors of any year are shown in full; warnings, repeated from year to year, only counted.
  std::vector<YearFigures> years;
  std::size_t warnings = 0;
  for (const auto& snapshot : dataset->snapshots) {
    Diagnostics diag;
    auto graph = load_snapshot(snapshot, dataset->home, diag, args.limits, progress_sink(ctx, args.quiet));
    warnings += diag.warning_count();
    if (!graph || diag.has_errors()) {
      report_diagnostics(diag, ctx, /*quiet=*/true);
      ctx.err << "scgraph: " << diag.error_count() << " error" << (diag.error_count() == 1 ? "" : "s") << " in the "
              << snapshot.year << " snapshot; nothing was computed\n";
      ctx.exit_code = exit_invalid;
      return;
    }
    Figures f = summarize(*graph, evaluate(*graph));
    years.push_back({snapshot.year, f.nominal, f.effective, f.localization});
  }
  if (warnings && !args.quiet)
    ctx.err << "scgraph: " << warnings << " warning" << (warnings == 1 ? "" : "s") << " in " << years.size()
            << " snapshot" << (years.size() == 1 ? "" : "s") << "; 'scgraph validate --all-years' lists them\n";
  const Metric metric = dataset->target ? dataset->target->metric : Metric::nominal;
  Projection p = project(years, metric, dataset->target);
  for (const auto& note : p.notes)
    if (!args.quiet) ctx.err << "scgraph: note: " << note << "\n";

  switch (resolve_format(args, ctx)) {
    case Format::json: {
      nlohmann::ordered_json doc;
      doc["schema"] = schema;
      doc["dataset"] = dataset->name;
      nlohmann::ordered_json progress = out::progress_json(years, metric, dataset->target, p);
      for (auto& [key, value] : progress.items()) doc[key] = value;
      ctx.out << dump(doc);
      break;
    }
    case Format::csv: {
      // One row per snapshot; a last row "trend" holds the trend's value at the target year in
      // the headline metric's column.
      out::Table t({"year", "source", "nominal", "effective", "localization"});
      for (const auto& y : years)
        t.add_row({static_cast<std::int64_t>(y.year), std::string("snapshot"), out::cell(y.nominal), out::cell(y.effective),
                   out::cell(y.localization)});
      if (dataset->target && p.at_target_year) {
        std::vector<out::Cell> row{static_cast<std::int64_t>(dataset->target->year), std::string("trend"), out::Cell{},
                                   out::Cell{}, out::Cell{}};
        row[2 + static_cast<std::size_t>(metric)] = *p.at_target_year;
        t.add_row(std::move(row));
      }
      ctx.out << t.to_csv();
      break;
    }
    case Format::table: {
      out::Table t({"year", "nominal", "effective", "localization"});
      for (const auto& y : years)
        t.add_row({static_cast<std::int64_t>(y.year), out::cell(y.nominal), out::cell(y.effective), out::cell(y.localization)});
      ctx.out << dataset->name << ": " << to_string(metric) << " self-reliance";
      if (dataset->target)
        ctx.out << ", target " << out::fixed4(dataset->target->share) << " by " << dataset->target->year;
      ctx.out << "\n\n" << t.to_text() << "\n";
      auto line = [&](const std::string& label, const std::string& value) { ctx.out << fmt::format("{:<16}{}\n", label, value); };
      if (p.slope_per_year)
        line("trend", fmt::format("{:+.4f} per year (least squares, {}-{})", *p.slope_per_year, years.front().year,
                                  years.back().year));
      else
        line("trend", "none (a single snapshot)");
      if (dataset->target) {
        if (p.at_target_year) line(fmt::format("at {}", dataset->target->year), out::fixed4(*p.at_target_year));
        if (p.gap) line("gap", fmt::format("{} (target {} - {} in {})", out::fixed4(*p.gap), out::fixed4(dataset->target->share),
                                           out::fixed4(p.latest_value.value_or(0)), p.latest_year));
        if (p.needed_per_year) line("needed", fmt::format("{:+.4f} per year from {}", *p.needed_per_year, p.latest_year));
        line("verdict", std::string(to_string(p.verdict)));
      }
      break;
    }
  }
}

}  // namespace

void add_progress_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DatasetArgs>();
  CLI::App* cmd = app.add_subcommand("progress", "the headline metric per snapshot year, its trend and the on-track verdict");
  add_dataset_args(*cmd, *args);
  cmd->callback([args, &ctx] { run_progress(*args, ctx); });
}

}  // namespace scgraph::cli
