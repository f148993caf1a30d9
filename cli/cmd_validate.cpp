// scgraph validate: every problem of a dataset at once, for people or for tooling.
#include <ostream>

#include "commands.hpp"
#include "graph/scenario.hpp"

namespace scgraph::cli {

namespace {

struct ValidateArgs {
  DatasetArgs data;
  bool all_years = false;
};

nlohmann::ordered_json to_json(const Diagnostic& d) {
  nlohmann::ordered_json j;
  j["file"] = d.file;
  j["line"] = d.line;
  j["column"] = d.column;
  j["severity"] = d.severity == Severity::error ? "error" : "warning";
  j["code"] = d.code;
  j["message"] = d.message;
  j["hint"] = d.hint;
  return j;
}

void run_validate(const ValidateArgs& args, Context& ctx) {
  Format format = resolve_format(args.data, ctx);
  if (format == Format::csv) return usage_error(ctx, "validate writes table or json, not csv");
  Diagnostics diag;
  auto dataset = open_dataset(args.data.path, args.data.home, diag);
  auto years = nlohmann::ordered_json::array();  // a snapshot without a year is null
  if (dataset) {
    std::vector<const SnapshotFiles*> chosen;
    if (args.all_years) {
      for (const auto& s : dataset->snapshots) chosen.push_back(&s);
    } else if (const SnapshotFiles* s = select_snapshot(*dataset, args.data.year, diag)) {
      chosen.push_back(s);
    }
    for (const SnapshotFiles* s : chosen) {
      years.push_back(s->year ? nlohmann::ordered_json(s->year) : nlohmann::ordered_json(nullptr));
      auto graph = load_snapshot(*s, dataset->home, diag, args.data.limits, progress_sink(ctx, args.data.quiet));
      if (graph) check_scenarios(*dataset, *graph, s->year, diag);
    }
  }
  diag.sort();
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = schema;
    doc["dataset"] = args.data.path;
    doc["years"] = years;
    doc["valid"] = !diag.has_errors();
    doc["errors"] = diag.error_count();
    doc["warnings"] = diag.warning_count();
    doc["diagnostics"] = nlohmann::ordered_json::array();
    for (const auto& d : diag.entries()) doc["diagnostics"].push_back(to_json(d));
    ctx.out << dump(doc);
  } else {
    for (const auto& d : diag.entries()) ctx.out << format_diagnostic(d) << '\n';
    std::string year_text;
    for (const auto& y : years)
      year_text += (year_text.empty() ? "" : ", ") + (y.is_null() ? std::string("(no year)") : std::to_string(y.get<int>()));
    ctx.out << args.data.path << ": " << diag.error_count() << " error" << (diag.error_count() == 1 ? "" : "s")
            << ", " << diag.warning_count() << " warning" << (diag.warning_count() == 1 ? "" : "s");
    if (!years.empty()) ctx.out << " (snapshot" << (years.size() == 1 ? " " : "s ") << year_text << ")";
    ctx.out << '\n';
  }
  ctx.exit_code = diag.has_errors() ? exit_invalid : exit_ok;
}

}  // namespace

void add_validate_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand("validate", "check a dataset against the format and report every problem");
  add_dataset_args(*cmd, args->data);
  auto* all = cmd->add_flag("--all-years", args->all_years, "validate every snapshot");
  cmd->get_option("--year")->excludes(all);
  cmd->callback([args, &ctx] { run_validate(*args, ctx); });
}

}  // namespace scgraph::cli
