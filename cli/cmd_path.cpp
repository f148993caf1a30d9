// scgraph path: the supply paths by which one node reaches another (FROM supplies ... supplies TO).
#include <fmt/format.h>
#include <ostream>

#include "commands.hpp"
#include "graph/queries.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

struct PathArgs {
  DatasetArgs data;
  std::string from, to;
  std::size_t max_paths = 20;
};

const char* stop_text(PathSearch::Stop stop) {
  switch (stop) {
    case PathSearch::Stop::exhausted: return "exhausted";
    case PathSearch::Stop::max_paths: return "max_paths";
    case PathSearch::Stop::step_limit: return "step_limit";
  }
  return "exhausted";
}

std::string path_text(const SupplyGraph& g, const SupplyPath& p) {
  std::string s;
  for (NodeId v : p.nodes) s += (s.empty() ? "" : " -> ") + std::string(g.id(v));
  return s;
}

void run_path(const PathArgs& args, Context& ctx) {
  auto loaded = load(args.data, ctx);
  if (!loaded) return;
  const SupplyGraph& g = loaded->graph;
  NodeLookup from = lookup_node(g, args.from), to = lookup_node(g, args.to);
  if (!from.node) return usage_error(ctx, "FROM: " + describe_unknown_node(args.from, from));
  if (!to.node) return usage_error(ctx, "TO: " + describe_unknown_node(args.to, to));
  if (*from.node == *to.node) return usage_error(ctx, "FROM and TO are the same node");
  PathSearch search = supply_paths(g, *from.node, *to.node, args.max_paths);

  switch (resolve_format(args.data, ctx)) {
    case Format::json: {
      nlohmann::ordered_json doc;
      doc["schema"] = schema;
      doc["dataset"] = loaded->dataset.name;
      doc["year"] = loaded->snapshot.year ? nlohmann::ordered_json(loaded->snapshot.year) : nlohmann::ordered_json(nullptr);
      doc["from"] = g.id(*from.node);
      doc["to"] = g.id(*to.node);
      doc["max_paths"] = args.max_paths;
      doc["stopped"] = stop_text(search.stop);
      doc["complete"] = search.stop == PathSearch::Stop::exhausted;
      doc["paths"] = nlohmann::ordered_json::array();
      for (const auto& p : search.paths) {
        nlohmann::ordered_json j;
        j["nodes"] = nlohmann::ordered_json::array();
        for (NodeId v : p.nodes) j["nodes"].push_back(g.id(v));
        j["length"] = p.hops.size();
        j["share_product"] = p.share_product;
        j["hops"] = nlohmann::ordered_json::array();
        for (const auto& h : p.hops)
          j["hops"].push_back({{"supplier", g.id(h.supplier)}, {"consumer", g.id(h.consumer)}, {"input", h.input},
                               {"share", h.share}});
        doc["paths"].push_back(j);
      }
      ctx.out << dump(doc);
      break;
    }
    case Format::csv:
    case Format::table: {
      out::Table t({"rank", "length", "share_product", "path"});
      for (std::size_t i = 0; i < search.paths.size(); ++i)
        t.add_row({static_cast<std::int64_t>(i + 1), static_cast<std::int64_t>(search.paths[i].hops.size()),
                   search.paths[i].share_product, path_text(g, search.paths[i])});
      if (resolve_format(args.data, ctx) == Format::csv) {
        ctx.out << t.to_csv();
        break;
      }
      ctx.out << "supply paths from " << g.id(*from.node) << " to " << g.id(*to.node)
              << " (shortest first, then by ids; share_product = product of each hop's largest share)\n\n";
      if (search.paths.empty()) ctx.out << "no supply path\n";
      else ctx.out << t.to_text(200);
      if (search.stop == PathSearch::Stop::max_paths)
        ctx.out << fmt::format("\nstopped at {} paths; --max-paths N lists more\n", args.max_paths);
      if (search.stop == PathSearch::Stop::step_limit)
        ctx.out << "\nstopped: the search limit was reached before every path was listed\n";
      break;
    }
  }
}

}  // namespace

void add_path_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<PathArgs>();
  CLI::App* cmd = app.add_subcommand("path", "supply paths from one node to another (FROM supplies ... supplies TO)");
  add_dataset_args(*cmd, args->data);
  cmd->add_option("FROM", args->from, "the supplying end")->required();
  cmd->add_option("TO", args->to, "the consuming end")->required();
  cmd->add_option("--max-paths", args->max_paths, "list at most this many paths")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->callback([args, &ctx] { run_path(*args, ctx); });
}

}  // namespace scgraph::cli
