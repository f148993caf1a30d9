// scgraph diff: what changed between two snapshots and how much each change moved the figures.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <ostream>

#include "commands.hpp"
#include "graph/diff.hpp"
#include "graph/reliance.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

struct DiffArgs {
  DatasetArgs data;
  std::optional<int> from, to;
};

double pick(const MetricMove& m, Metric metric) {
  switch (metric) {
    case Metric::nominal: return m.nominal;
    case Metric::effective: return m.effective;
    case Metric::localization: return m.localization;
  }
  return m.nominal;
}

nlohmann::ordered_json move_json(const MetricMove& m) {
  return {{"nominal", m.nominal}, {"effective", m.effective}, {"localization", m.localization}};
}

const SnapshotFiles* find_year(const Dataset& ds, int year, Context& ctx) {
  for (const auto& s : ds.snapshots)
    if (s.year == year) return &s;
  std::string years;
  for (const auto& s : ds.snapshots) years += (years.empty() ? "" : ", ") + std::to_string(s.year);
  ctx.err << "scgraph: " << ds.display_root << " has no snapshot for " << year << " (it has " << years << ")\n";
  ctx.exit_code = exit_invalid;
  return nullptr;
}

void run_diff(const DiffArgs& args, Context& ctx) {
  if (args.data.year) return usage_error(ctx, "diff takes --from and --to, not --year");
  auto dataset = open(args.data, ctx);
  if (!dataset) return;
  const auto& snaps = dataset->snapshots;
  const SnapshotFiles *from = nullptr, *to = nullptr;
  if (args.to) {
    if (!(to = find_year(*dataset, *args.to, ctx))) return;
  } else {
    to = &snaps.back();
  }
  if (args.from) {
    if (!(from = find_year(*dataset, *args.from, ctx))) return;
  } else {
    for (const auto& s : snaps)
      if (s.year < to->year) from = &s;
    if (!from) {
      ctx.err << "scgraph: diff needs two snapshots; " << dataset->display_root << " has none before " << to->year
              << " (give --from and --to)\n";
      ctx.exit_code = exit_invalid;
      return;
    }
  }
  auto before = load_year(*dataset, *from, args.data, ctx);
  if (!before) return;
  auto after = load_year(*dataset, *to, args.data, ctx);
  if (!after) return;
  DiffResult d = diff_snapshots(*before, *after);
  Figures fb = summarize(*before, evaluate(*before)), fa = summarize(*after, evaluate(*after));
  const Metric metric = dataset->target ? dataset->target->metric : Metric::nominal;

  switch (resolve_format(args.data, ctx)) {
    case Format::json: {
      using json = nlohmann::ordered_json;
      json doc;
      doc["schema"] = schema;
      doc["dataset"] = dataset->name;
      doc["from"] = from->year;
      doc["to"] = to->year;
      doc["metric"] = to_string(metric);
      doc["figures"] = {{"from", {{"nominal", number_or_null(fb.nominal)}, {"effective", number_or_null(fb.effective)},
                                  {"localization", number_or_null(fb.localization)}}},
                        {"to", {{"nominal", number_or_null(fa.nominal)}, {"effective", number_or_null(fa.effective)},
                                {"localization", number_or_null(fa.localization)}}}};
      doc["total"] = move_json(d.total);
      json attribution;
      attribution["method"] = attribution_method;
      attribution["per_change"] = d.per_change;
      attribution["groups"] = json::array();
      for (std::size_t k = 0; k < change_group_count; ++k) {
        json g{{"group", to_string(static_cast<ChangeGroup>(k))}, {"changes", d.group_sizes[k]}};
        g["contribution"] = move_json(d.by_group[k]);
        attribution["groups"].push_back(g);
      }
      doc["attribution"] = attribution;
      doc["changes"] = json::array();
      for (std::size_t i = 0; i < d.changes.size(); ++i) {
        const auto& c = d.changes[i];
        doc["changes"].push_back({{"order", i + 1},
                                  {"group", to_string(c.group)},
                                  {"subject", c.subject},
                                  {"description", c.description},
                                  {"contribution", c.contribution ? move_json(*c.contribution) : json(nullptr)}});
      }
      doc["nodes"] = json::array();
      for (const auto& n : d.nodes) {
        json j{{"id", n.id}, {"change", to_string(n.change)}, {"fields", json::array()}};
        for (const auto& f : n.fields) j["fields"].push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
        doc["nodes"].push_back(j);
      }
      doc["edges"] = json::array();
      for (const auto& e : d.edges)
        doc["edges"].push_back({{"supplier", e.supplier},
                                {"consumer", e.consumer},
                                {"input", e.input},
                                {"change", to_string(e.change)},
                                {"share_before", number_or_null(e.share_before)},
                                {"share_after", number_or_null(e.share_after)},
                                {"efficiency_before", number_or_null(e.efficiency_before)},
                                {"efficiency_after", number_or_null(e.efficiency_after)}});
      ctx.out << dump(doc);
      break;
    }
    case Format::csv: {
      out::Table t({"order", "group", "subject", "description", "nominal", "effective", "localization"});
      for (std::size_t i = 0; i < d.changes.size(); ++i) {
        const auto& c = d.changes[i];
        t.add_row({static_cast<std::int64_t>(i + 1), std::string(to_string(c.group)), c.subject, c.description,
                   c.contribution ? out::Cell(c.contribution->nominal) : out::Cell{},
                   c.contribution ? out::Cell(c.contribution->effective) : out::Cell{},
                   c.contribution ? out::Cell(c.contribution->localization) : out::Cell{}});
      }
      ctx.out << t.to_csv();
      break;
    }
    case Format::table: {
      std::string m(to_string(metric));
      ctx.out << fmt::format("{}: {} -> {}; {} nodes changed, {} supply edges changed\n", dataset->name, from->year, to->year,
                             d.nodes.size(), d.edges.size());
      auto as_move = [](const Figures& f) {
        return MetricMove{f.nominal.value_or(0), f.effective.value_or(0), f.localization.value_or(0)};
      };
      ctx.out << fmt::format("{} {} -> {} ({:+.4f}); attribution: {}\n\n", m, out::fixed4(pick(as_move(fb), metric)),
                             out::fixed4(pick(as_move(fa), metric)), pick(d.total, metric), attribution_method);
      out::Table groups({"group", "changes", m});
      for (std::size_t k = 0; k < change_group_count; ++k)
        groups.add_row({std::string(to_string(static_cast<ChangeGroup>(k))), static_cast<std::int64_t>(d.group_sizes[k]),
                        pick(d.by_group[k], metric)});
      groups.add_row({std::string("total"), static_cast<std::int64_t>(d.changes.size()), pick(d.total, metric)});
      ctx.out << groups.to_text() << "\n";
      if (d.per_change && !d.changes.empty()) {
        std::vector<std::size_t> order(d.changes.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return std::abs(pick(*d.changes[a].contribution, metric)) > std::abs(pick(*d.changes[b].contribution, metric));
        });
        out::Table changes({m, "change"});
        for (std::size_t i : order) changes.add_row({pick(*d.changes[i].contribution, metric), d.changes[i].description});
        ctx.out << changes.to_text(120);
      }
      break;
    }
  }
}

}  // namespace

void add_diff_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand("diff", "what changed between two snapshots and how much each change moved the figures");
  add_dataset_args(*cmd, args->data);
  cmd->add_option("--from", args->from, "earlier snapshot year (default: the one before --to)");
  cmd->add_option("--to", args->to, "later snapshot year (default: the latest)");
  cmd->callback([args, &ctx] { run_diff(*args, ctx); });
}

}  // namespace scgraph::cli
