// scgraph upstream / downstream: everything a node depends on, or everything that depends on it,
// with the number of supply steps in between.
#include <ostream>

#include "commands.hpp"
#include "graph/queries.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

struct ReachArgs {
  DatasetArgs data;
  std::string id;
  std::optional<std::uint32_t> depth;
};

void run_reach(const ReachArgs& args, Direction direction, Context& ctx) {
  auto loaded = load(args.data, ctx);
  if (!loaded) return;
  const SupplyGraph& g = loaded->graph;
  NodeLookup start = lookup_node(g, args.id);
  if (!start.node) return usage_error(ctx, describe_unknown_node(args.id, start));
  auto rows = reachable(g, *start.node, direction, args.depth);
  const char* name = direction == Direction::upstream ? "upstream" : "downstream";

  switch (resolve_format(args.data, ctx)) {
    case Format::json: {
      nlohmann::ordered_json doc;
      doc["schema"] = schema;
      doc["dataset"] = loaded->dataset.name;
      doc["year"] = loaded->snapshot.year ? nlohmann::ordered_json(loaded->snapshot.year) : nlohmann::ordered_json(nullptr);
      doc["node"] = g.id(*start.node);
      doc["direction"] = name;
      doc["max_depth"] = args.depth ? nlohmann::ordered_json(*args.depth) : nlohmann::ordered_json(nullptr);
      doc["nodes"] = nlohmann::ordered_json::array();
      for (const auto& r : rows)
        doc["nodes"].push_back({{"id", g.id(r.node)},
                                {"name", g.name(r.node)},
                                {"kind", to_string(g.kind(r.node))},
                                {"country", g.country(r.node)},
                                {"depth", r.depth}});
      ctx.out << dump(doc);
      break;
    }
    case Format::csv:
    case Format::table: {
      out::Table t({"id", "name", "kind", "country", "depth"});
      for (const auto& r : rows)
        t.add_row({std::string(g.id(r.node)), std::string(g.name(r.node)), std::string(to_string(g.kind(r.node))),
                   std::string(g.country(r.node)), static_cast<std::int64_t>(r.depth)});
      if (resolve_format(args.data, ctx) == Format::csv) {
        ctx.out << t.to_csv();
      } else {
        ctx.out << name << " of " << g.id(*start.node) << " (" << g.name(*start.node) << ")"
                << (args.depth ? ", depth <= " + std::to_string(*args.depth) : std::string()) << ": " << rows.size()
                << " node" << (rows.size() == 1 ? "" : "s") << "\n"
                << (direction == Direction::upstream ? "depth 1 = direct suppliers\n\n" : "depth 1 = direct consumers\n\n")
                << t.to_text();
      }
      break;
    }
  }
}

void add_reach_command(CLI::App& app, Context& ctx, Direction direction) {
  auto args = std::make_shared<ReachArgs>();
  bool up = direction == Direction::upstream;
  CLI::App* cmd = app.add_subcommand(up ? "upstream" : "downstream",
                                     up ? "every node a node depends on, by supply steps"
                                        : "every node that depends on a node, by supply steps");
  add_dataset_args(*cmd, args->data);
  cmd->add_option("ID", args->id, "the node's id")->required();
  cmd->add_option("--depth", args->depth, "at most this many supply steps away")->check(CLI::PositiveNumber);
  cmd->callback([args, &ctx, direction] { run_reach(*args, direction, ctx); });
}

}  // namespace

void add_upstream_command(CLI::App& app, Context& ctx) { add_reach_command(app, ctx, Direction::upstream); }
void add_downstream_command(CLI::App& app, Context& ctx) { add_reach_command(app, ctx, Direction::downstream); }

}  // namespace scgraph::cli
