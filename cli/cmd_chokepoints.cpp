// scgraph chokepoints: every node (or country, or owner) knocked out, ranked by what it costs.
#include <cmath>
#include <fmt/format.h>
#include <ostream>

#include "commands.hpp"
#include "graph/chokepoints.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

struct ChokepointArgs {
  DatasetArgs data;
  std::string group = "node";
  std::size_t top = 0;
  std::vector<std::string> kinds, stages, countries;
  std::string origin;
  double min_loss = 0;
  unsigned threads = 0;
  bool no_structure = false;
  bool exact_all = false;
};

// What was computed exactly, in words: a certified top K says which figures are bounds.
std::string exactness_note(const ChokepointRanking& r) {
  if (!r.certified_top)
    return fmt::format("exact: every {} knocked out ({} knockouts)", r.group == ChokepointGroup::node ? "node" : "group",
                       r.knockouts);
  const std::string sets =
      r.set_knockouts == 0 ? "" : fmt::format(" ({} of them of sets of nodes, whose loss bounds each member's)", r.set_knockouts);
  return fmt::format(
      "exact: the rows shown, certified from proven loss bounds with {} knockouts{}; every other node's domestic_loss "
      "is at most {:.6f} and its loss at most {:.6f} (proven bounds, not computed; --all computes every node)",
      r.knockouts, sets, r.remaining_domestic_bound, r.remaining_loss_bound);
}

nlohmann::ordered_json optional_json(const auto& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json row_json(const SupplyGraph& g, const ChokepointRow& r, bool group) {
  nlohmann::ordered_json j;
  j["rank"] = r.rank;
  j["id"] = r.id;
  j["loss"] = r.impact.loss;
  j["domestic_loss"] = r.impact.domestic_loss;
  j["hard_dependents"] = r.impact.hard_dependents;
  j["sole_source"] = r.sole_source;
  j["effective_loss"] = r.impact.effective_loss;
  j["name"] = r.name;
  j["kind"] = r.kind ? nlohmann::ordered_json(to_string(*r.kind)) : nlohmann::ordered_json(nullptr);
  j["origin"] = r.origin ? nlohmann::ordered_json(to_string(*r.origin)) : nlohmann::ordered_json(nullptr);
  j["stage"] = r.stage;
  j["country"] = r.country;
  j["owner"] = r.owner;
  if (group) {
    auto members = nlohmann::ordered_json::array();
    for (NodeId m : r.members) members.push_back(g.id(m));
    j["members"] = members;
  }
  j["sole_source_requirements"] = r.sole_source_requirements;
  j["sole_source_inputs"] = r.sole_source_inputs;
  if (r.largest_share) {
    const auto& s = *r.largest_share;
    j["concentration"] = {{"consumer", g.id(s.consumer)},
                          {"input", s.input},
                          {"share", s.share},
                          {"hhi", s.concentration.hhi},
                          {"top_share", s.concentration.top_share},
                          {"foreign_share", s.concentration.foreign_share},
                          {"unmapped", s.concentration.unmapped},
                          {"countries_to_75", optional_json(s.concentration.countries_to_75)}};
  } else {
    j["concentration"] = nullptr;
  }
  j["betweenness"] = optional_json(r.betweenness);
  j["connectivity"] = optional_json(r.connectivity);
  j["reason"] = r.reason;
  return j;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : separator) + i;
  return s;
}

out::Cell optional_cell(const auto& value) {
  if (!value) return std::monostate{};
  if constexpr (std::is_floating_point_v<std::decay_t<decltype(*value)>>) return static_cast<double>(*value);
  else return static_cast<std::int64_t>(*value);
}

void write_csv(const SupplyGraph& g, const ChokepointRanking& ranking, Context& ctx) {
  out::Table t({"rank", "id", "name", "kind", "origin", "stage", "country", "owner", "members", "loss", "domestic_loss",
                "effective_loss", "hard_dependents", "sole_source", "sole_source_requirements", "sole_source_inputs",
                "concentration_consumer", "concentration_input", "share", "hhi", "top_share", "foreign_share",
                "countries_to_75", "betweenness", "connectivity", "reason"});
  for (const auto& r : ranking.rows) {
    std::vector<std::string> members;
    for (NodeId m : r.members) members.emplace_back(g.id(m));
    const auto* s = r.largest_share ? &*r.largest_share : nullptr;
    t.add_row({static_cast<std::int64_t>(r.rank), r.id, r.name, r.kind ? std::string(to_string(*r.kind)) : "",
               r.origin ? std::string(to_string(*r.origin)) : "", r.stage, r.country, r.owner, joined(members, ";"),
               r.impact.loss, r.impact.domestic_loss, r.impact.effective_loss,
               static_cast<std::int64_t>(r.impact.hard_dependents), r.sole_source,
               static_cast<std::int64_t>(r.sole_source_requirements), joined(r.sole_source_inputs, ";"),
               s ? std::string(g.id(s->consumer)) : "", s ? s->input : "", s ? out::Cell(s->share) : out::Cell(),
               s ? out::Cell(s->concentration.hhi) : out::Cell(), s ? out::Cell(s->concentration.top_share) : out::Cell(),
               s ? out::Cell(s->concentration.foreign_share) : out::Cell(),
               s ? optional_cell(s->concentration.countries_to_75) : out::Cell(), optional_cell(r.betweenness),
               optional_cell(r.connectivity), r.reason});
  }
  ctx.out << t.to_csv();
}

void write_table(const Loaded& loaded, const ChokepointRanking& ranking, Context& ctx) {
  bool group = ranking.group != ChokepointGroup::node;
  ctx.out << loaded.dataset.name << ", "
          << (loaded.snapshot.year ? std::to_string(loaded.snapshot.year) : std::string("snapshot")) << ", home "
          << loaded.dataset.home << ": chokepoints, " << to_string(ranking.group) << " knockouts\n"
          << "ranking: " << chokepoint_ranking_formula << "\n"
          << "loss: value-weighted availability lost, sum w(a - a') / W over all nodes; domestic_loss: the same sum "
             "over domestic producers, same W\n\n";
  out::Table t({"rank", "id", group ? "members" : "kind", "country", "domestic_loss", "loss", "hard", "sole", "hhi",
                "top_share", "foreign", "ctry75", "betweenness", "conn"});
  for (const auto& r : ranking.rows) {
    const auto* s = r.largest_share ? &*r.largest_share : nullptr;
    out::Cell third = group ? out::Cell(static_cast<std::int64_t>(r.members.size()))
                            : out::Cell(std::string(to_string(*r.kind)));
    t.add_row({static_cast<std::int64_t>(r.rank), r.id, third, r.country, r.impact.domestic_loss, r.impact.loss,
               static_cast<std::int64_t>(r.impact.hard_dependents), r.sole_source,
               s ? out::Cell(static_cast<std::int64_t>(std::lround(s->concentration.hhi))) : out::Cell(),
               s ? out::Cell(s->concentration.top_share) : out::Cell(),
               s ? out::Cell(s->concentration.foreign_share) : out::Cell(),
               s ? optional_cell(s->concentration.countries_to_75) : out::Cell(), optional_cell(r.betweenness),
               optional_cell(r.connectivity)});
  }
  ctx.out << t.to_text() << "\n";
  for (const auto& r : ranking.rows) ctx.out << r.rank << ". " << r.id << ": " << r.reason << "\n";
  ctx.out << "\nhhi, top_share, foreign, ctry75: concentration of the requirement where the row's share is largest "
             "(ctry75 = countries needed to reach 75 % of it; empty when listed supply never does)\n";
  ctx.out << ranking.betweenness_note << "\n";
  if (ranking.connectivity_note != ranking.betweenness_note) ctx.out << ranking.connectivity_note << "\n";
  ctx.out << exactness_note(ranking) << "\n";
  ctx.out << "shown: " << ranking.rows.size() << " of " << ranking.candidates << " rows\n";
}

void run_chokepoints(const ChokepointArgs& args, Context& ctx) {
  ChokepointOptions options;
  options.group = *parse_chokepoint_group(args.group);
  options.top = args.top;
  options.threads = args.threads;
  options.structure = !args.no_structure;
  options.exact_all = args.exact_all;
  options.progress = progress_sink(ctx, args.data.quiet);
  for (const auto& k : args.kinds) {
    auto kind = parse_kind(k);
    if (!kind) {
      std::vector<std::string> names(std::begin(kind_names), std::end(kind_names));
      std::string guess = did_you_mean(k, names);
      return usage_error(ctx, fmt::format("--kind: unknown kind '{}'{}; kinds: {}", k,
                                          guess.empty() ? "" : " (did you mean '" + guess + "'?)", joined(names, ", ")));
    }
    options.filter.kinds.push_back(*kind);
  }
  options.filter.stages = args.stages;
  options.filter.countries = args.countries;
  if (!args.origin.empty())
    options.filter.origin = args.origin == "domestic" ? Origin::domestic
                            : args.origin == "foreign" ? Origin::foreign
                                                       : Origin::aggregate;
  options.filter.min_loss = args.min_loss;

  auto loaded = load(args.data, ctx);
  if (!loaded) return;
  const SupplyGraph& g = loaded->graph;
  NodeValues base = evaluate(g);
  ChokepointRanking ranking = rank_chokepoints(g, base, options);
  const bool group = options.group != ChokepointGroup::node;

  switch (resolve_format(args.data, ctx)) {
    case Format::json: {
      nlohmann::ordered_json doc;
      doc["schema"] = schema;
      doc["dataset"] = loaded->dataset.name;
      doc["year"] = loaded->snapshot.year ? nlohmann::ordered_json(loaded->snapshot.year) : nlohmann::ordered_json(nullptr);
      doc["home"] = loaded->dataset.home;
      doc["group"] = to_string(options.group);
      doc["ranking"] = chokepoint_ranking;
      doc["ranking_formula"] = chokepoint_ranking_formula;
      doc["weights"] = g.has_value_column() ? "value_musd" : "count";
      doc["rows_total"] = ranking.candidates;
      // Top rows of an unfiltered node ranking come from loss bounds: only the knockouts needed
      // to prove them exact are computed.
      doc["exact_knockouts"] = ranking.knockouts;
      doc["set_knockouts"] = ranking.set_knockouts;
      doc["exact"] = ranking.certified_top ? "shown rows (certified top)" : "all";
      if (ranking.certified_top)
        doc["bounds_on_rest"] = {{"domestic_loss", ranking.remaining_domestic_bound},
                                 {"loss", ranking.remaining_loss_bound}};
      else
        doc["bounds_on_rest"] = nullptr;
      doc["exactness"] = exactness_note(ranking);
      doc["betweenness"] = ranking.betweenness_note;
      doc["connectivity"] = ranking.connectivity_note;
      doc["chokepoints"] = nlohmann::ordered_json::array();
      for (const auto& r : ranking.rows) doc["chokepoints"].push_back(row_json(g, r, group));
      ctx.out << dump(doc);
      break;
    }
    case Format::csv: write_csv(g, ranking, ctx); break;
    case Format::table: write_table(*loaded, ranking, ctx); break;
  }
}

}  // namespace

void add_chokepoints_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ChokepointArgs>();
  CLI::App* cmd = app.add_subcommand("chokepoints", "rank nodes, countries or owners by what knocking them out costs");
  add_dataset_args(*cmd, args->data);
  cmd->add_option("--group", args->group, "knock out single nodes, whole countries or whole owners")
      ->check(CLI::IsMember({"node", "country", "owner"}))
      ->capture_default_str();
  cmd->add_option("--top", args->top, "show the first N rows after filtering (0: all)")->capture_default_str();
  cmd->add_option("--kind", args->kinds, "show only rows of these kinds (a group: any member)")->delimiter(',');
  cmd->add_option("--stage", args->stages, "show only rows of these stages")->delimiter(',');
  cmd->add_option("--origin", args->origin, "show only domestic, foreign or aggregate rows")
      ->check(CLI::IsMember({"domestic", "foreign", "aggregate"}));
  cmd->add_option("--country", args->countries, "show only rows of these countries")->delimiter(',');
  cmd->add_option("--min-loss", args->min_loss, "show only rows with loss >= X")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threads", args->threads, "threads for the knockouts (0: all cores)")->capture_default_str();
  cmd->add_flag("--no-structure", args->no_structure, "skip betweenness and connectivity");
  cmd->add_flag("--all", args->exact_all,
                "knock out every node exactly even with --top (otherwise an unfiltered --top ranking is certified from "
                "proven loss bounds)");
  cmd->callback([args, &ctx] { run_chokepoints(*args, ctx); });
}

}  // namespace scgraph::cli
