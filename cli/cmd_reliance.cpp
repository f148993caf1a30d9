// scgraph reliance: nominal, effective and localization self-reliance of one snapshot.
#include <ostream>

#include "commands.hpp"
#include "graph/reliance.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

struct RelianceArgs {
  DatasetArgs data;
  std::string by;
  bool nodes = false;
};

nlohmann::ordered_json figures_json(const Figures& f) {
  nlohmann::ordered_json j;
  j["nominal"] = number_or_null(f.nominal);
  j["effective"] = number_or_null(f.effective);
  j["localization"] = number_or_null(f.localization);
  j["availability"] = number_or_null(f.availability);
  j["weight"] = f.weight;
  j["nodes"] = f.nodes;
  return j;
}

void run_reliance(const RelianceArgs& args, Context& ctx) {
  auto loaded = load(args.data, ctx);
  if (!loaded) return;
  const SupplyGraph& g = loaded->graph;
  const Dataset& ds = loaded->dataset;
  NodeValues values = evaluate(g);
  Figures total = summarize(g, values);
  std::vector<GroupFigures> groups;
  if (!args.by.empty()) groups = summarize_by(g, values, *parse_group_by(args.by));

  switch (resolve_format(args.data, ctx)) {
    case Format::json: {
      nlohmann::ordered_json doc;
      doc["schema"] = schema;
      doc["dataset"] = ds.name;
      doc["year"] = loaded->snapshot.year ? nlohmann::ordered_json(loaded->snapshot.year) : nlohmann::ordered_json(nullptr);
      doc["home"] = ds.home;
      doc["nominal"] = number_or_null(total.nominal);
      doc["effective"] = number_or_null(total.effective);
      doc["localization"] = number_or_null(total.localization);
      doc["availability"] = number_or_null(total.availability);
      if (ds.target)
        doc["target"] = {{"share", ds.target->share}, {"year", ds.target->year}, {"metric", to_string(ds.target->metric)}};
      else
        doc["target"] = nullptr;
      doc["weights"] = g.has_value_column() ? "value_musd" : "count";
      if (!args.by.empty()) {
        doc["by"] = args.by;
        doc["groups"] = nlohmann::ordered_json::array();
        for (const auto& grp : groups) {
          nlohmann::ordered_json j{{"group", grp.group}};  // the group's name first
          j.update(figures_json(grp.figures));
          doc["groups"].push_back(j);
        }
      }
      if (args.nodes) {
        doc["nodes"] = nlohmann::ordered_json::array();
        for (NodeId v = 0; v < g.node_count(); ++v) {
          nlohmann::ordered_json n;
          n["id"] = g.id(v);
          n["direct"] = values.direct[v];
          n["availability"] = values.availability[v];
          n["effective"] = values.effective[v];
          n["localization"] = number_or_null(node_localization(g, v, values));
          n["kind"] = to_string(g.kind(v));
          n["origin"] = to_string(g.origin(v));
          n["weight"] = g.weight(v);
          doc["nodes"].push_back(n);
        }
      }
      ctx.out << dump(doc);
      break;
    }
    case Format::csv:
    case Format::table: {
      bool csv = resolve_format(args.data, ctx) == Format::csv;
      out::Table table({args.nodes ? "id" : (args.by.empty() ? "scope" : args.by), "nominal", "effective", "localization",
                        "availability", "weight", "nodes"});
      if (args.nodes) {
        out::Table nodes({"id", "kind", "origin", "direct", "availability", "effective", "localization", "weight"});
        for (NodeId v = 0; v < g.node_count(); ++v)
          nodes.add_row({std::string(g.id(v)), std::string(to_string(g.kind(v))), std::string(to_string(g.origin(v))),
                         values.direct[v], values.availability[v], values.effective[v],
                         out::cell(node_localization(g, v, values)), g.weight(v)});
        ctx.out << (csv ? nodes.to_csv() : nodes.to_text());
        break;
      }
      auto add = [&](const std::string& label, const Figures& f) {
        table.add_row({label, out::cell(f.nominal), out::cell(f.effective), out::cell(f.localization),
                       out::cell(f.availability), f.weight, static_cast<std::int64_t>(f.nodes)});
      };
      for (const auto& grp : groups) add(grp.group.empty() ? "(none)" : grp.group, grp.figures);
      add("total", total);
      if (csv) {
        ctx.out << table.to_csv();
      } else {
        ctx.out << ds.name << ", " << (loaded->snapshot.year ? std::to_string(loaded->snapshot.year) : "snapshot")
                << ", home " << ds.home << ", weights: " << (g.has_value_column() ? "value_musd" : "node count") << "\n\n";
        ctx.out << table.to_text();
        if (ds.target) {
          double headline = ds.target->metric == Metric::nominal     ? total.nominal.value_or(0)
                            : ds.target->metric == Metric::effective ? total.effective.value_or(0)
                                                                      : total.localization.value_or(0);
          ctx.out << "\ntarget: " << out::fixed4(ds.target->share) << " " << to_string(ds.target->metric) << " by "
                  << ds.target->year << "; now " << out::fixed4(headline) << ", gap " << out::fixed4(ds.target->share - headline)
                  << "\n";
        }
      }
      break;
    }
  }
}

}  // namespace

void add_reliance_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RelianceArgs>();
  CLI::App* cmd = app.add_subcommand("reliance", "self-reliance figures: nominal, effective, localization");
  add_dataset_args(*cmd, args->data);
  cmd->add_option("--by", args->by, "also per kind, stage or country")->check(CLI::IsMember({"kind", "stage", "country"}));
  cmd->add_flag("--nodes", args->nodes, "per-node direct share, availability and effective reliance");
  cmd->callback([args, &ctx] { run_reliance(*args, ctx); });
}

}  // namespace scgraph::cli
