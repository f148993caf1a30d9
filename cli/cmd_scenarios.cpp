// scgraph scenarios: the dataset's named what-if scenarios, listed, or (--run) each applied to one
// snapshot with its headline figures before and after.
#include <algorithm>
#include <ostream>

#include "commands.hpp"
#include "graph/whatif.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

namespace fs = std::filesystem;

struct ScenariosArgs {
  DatasetArgs data;
  bool run = false;
};

struct Named {
  std::string name, display;
  std::optional<Scenario> scenario;  // empty when the file has errors
};

std::vector<Named> read_all(const Dataset& dataset, Diagnostics& diag) {
  std::vector<Named> out;
  for (const auto& file : scenario_files(dataset)) {
    Named n;
    n.name = file.stem().string();
    n.display = (fs::path(dataset.display_root) / "scenarios" / file.filename()).lexically_normal().generic_string();
    n.scenario = read_scenario(file, n.display, diag);
    out.push_back(std::move(n));
  }
  // By name: file order puts "ban-nld-direct-only.toml" before "ban-nld.toml".
  std::sort(out.begin(), out.end(), [](const Named& a, const Named& b) { return a.name < b.name; });
  return out;
}

struct Outcome {
  const Named* named;
  std::optional<WhatIfResult> result;
};

nlohmann::ordered_json figures_json(const Figures& f) {
  return {{"nominal", number_or_null(f.nominal)},
          {"effective", number_or_null(f.effective)},
          {"availability", number_or_null(f.availability)},
          {"localization", number_or_null(f.localization)}};
}

void list_scenarios(const ScenariosArgs& args, Context& ctx) {
  auto dataset = open(args.data, ctx);
  if (!dataset) return;
  Diagnostics diag;
  auto all = read_all(*dataset, diag);
  report_diagnostics(diag, ctx, args.data.quiet);
  Format format = resolve_format(args.data, ctx);
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = schema;
    doc["dataset"] = dataset->name;
    doc["scenarios"] = nlohmann::ordered_json::array();
    for (const auto& n : all)
      doc["scenarios"].push_back({{"name", n.name},
                                  {"description", n.scenario ? n.scenario->description : ""},
                                  {"file", n.display},
                                  {"valid", n.scenario.has_value()}});
    ctx.out << dump(doc);
  } else {
    out::Table t({"name", "description"});
    for (const auto& n : all)
      t.add_row({n.name, n.scenario ? n.scenario->description : std::string("(invalid: see the errors above)")});
    ctx.out << (format == Format::csv ? t.to_csv() : t.to_text(100));
  }
  if (diag.has_errors()) ctx.exit_code = exit_invalid;
}

void run_scenarios(const ScenariosArgs& args, Context& ctx) {
  auto loaded = load(args.data, ctx);
  if (!loaded) return;
  const SupplyGraph& g = loaded->graph;
  Diagnostics diag;
  auto all = read_all(loaded->dataset, diag);
  std::vector<Outcome> outcomes;
  for (const auto& n : all) {
    if (!n.scenario) continue;
    Scenario s = *n.scenario;
    auto skipped = skip_absent_ids(g, s);
    for (const auto& note : skipped) diag.warning(n.display, 0, 0, "scenario-unknown-id", note);
    auto result = run_whatif(g, s, diag);
    if (result) result->notes.insert(result->notes.begin(), skipped.begin(), skipped.end());
    outcomes.push_back({&n, std::move(result)});
  }
  report_diagnostics(diag, ctx, args.data.quiet);
  if (diag.has_errors()) ctx.exit_code = exit_invalid;

  switch (resolve_format(args.data, ctx)) {
    case Format::json: {
      nlohmann::ordered_json doc;
      doc["schema"] = schema;
      doc["dataset"] = loaded->dataset.name;
      doc["year"] = loaded->snapshot.year ? nlohmann::ordered_json(loaded->snapshot.year) : nlohmann::ordered_json(nullptr);
      doc["home"] = loaded->dataset.home;
      doc["scenarios"] = nlohmann::ordered_json::array();
      for (const auto& o : outcomes) {
        nlohmann::ordered_json j;
        j["name"] = o.named->name;
        j["description"] = o.named->scenario->description;
        if (!o.result) {
          j["error"] = "the scenario could not be applied; see standard error";
          doc["scenarios"].push_back(j);
          continue;
        }
        j["before"] = figures_json(o.result->before);
        j["after"] = figures_json(o.result->after);
        j["failed"] = nlohmann::ordered_json::array();
        for (NodeId v : o.result->failed) j["failed"].push_back(g.id(v));
        j["knocked_out"] = o.result->knocked_out.size();
        j["cut_edges"] = o.result->cut_edges;
        j["notes"] = o.result->notes;
        doc["scenarios"].push_back(j);
      }
      ctx.out << dump(doc);
      break;
    }
    case Format::csv:
    case Format::table: {
      out::Table t({"scenario", "nominal_before", "nominal_after", "effective_before", "effective_after",
                    "availability_before", "availability_after", "knocked_out", "failed"});
      for (const auto& o : outcomes) {
        if (!o.result) {
          t.add_row({o.named->name, {}, {}, {}, {}, {}, {}, {}, {}});
          continue;
        }
        const auto& r = *o.result;
        t.add_row({o.named->name, out::cell(r.before.nominal), out::cell(r.after.nominal), out::cell(r.before.effective),
                   out::cell(r.after.effective), out::cell(r.before.availability), out::cell(r.after.availability),
                   static_cast<std::int64_t>(r.knocked_out.size()), static_cast<std::int64_t>(r.failed.size())});
      }
      if (resolve_format(args.data, ctx) == Format::csv) {
        ctx.out << t.to_csv();
      } else {
        ctx.out << loaded->dataset.name << ", "
                << (loaded->snapshot.year ? std::to_string(loaded->snapshot.year) : std::string("snapshot"))
                << ", home " << loaded->dataset.home << ": every scenario\n\n"
                << t.to_text() << "\n'scgraph whatif DATASET --scenario NAME' shows one in full\n";
      }
      break;
    }
  }
}

}  // namespace

void add_scenarios_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ScenariosArgs>();
  CLI::App* cmd = app.add_subcommand("scenarios", "list the dataset's named what-if scenarios, or run them all");
  add_dataset_args(*cmd, args->data);
  cmd->add_flag("--run", args->run, "apply every scenario to the snapshot: one row each, before and after");
  cmd->callback([args, &ctx] {
    if (args->run) run_scenarios(*args, ctx);
    else list_scenarios(*args, ctx);
  });
}

}  // namespace scgraph::cli
