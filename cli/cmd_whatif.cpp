// scgraph whatif: one scenario (from the command line, a named scenario file, or both) applied
// to a snapshot, with the figures before and after.
#include <fmt/format.h>
#include <ostream>

#include "commands.hpp"
#include "graph/numbers.hpp"
#include "graph/queries.hpp"
#include "graph/whatif.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

namespace fs = std::filesystem;

struct WhatIfArgs {
  DatasetArgs data;
  std::vector<std::string> ban, ban_kinds, remove, domesticize, add_edges;
  bool direct_only = false;
  std::string substitution;  // empty: as the scenario says (none by default)
  std::string scenario;
  std::size_t moved = 10;
};

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : std::string(separator)) + i;
  return s;
}

// "SUPPLIER,CONSUMER,INPUT,SHARE[,EFFICIENCY]"; nullopt with a message when malformed.
std::optional<AddedEdge> parse_added_edge(const std::string& text, std::string& problem) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    auto comma = text.find(',', start);
    fields.emplace_back(trim(std::string_view(text).substr(start, comma == std::string::npos ? comma : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (fields.size() != 4 && fields.size() != 5) {
    problem = fmt::format("--add-edge '{}': expected SUPPLIER,CONSUMER,INPUT,SHARE[,EFFICIENCY]", text);
    return std::nullopt;
  }
  AddedEdge e;
  e.supplier = fields[0];
  e.consumer = fields[1];
  e.input = fields[2].empty() ? fields[0] : fields[2];
  auto fraction = [&](const std::string& cell, const char* what, double& out) {
    auto v = parse_fraction(cell);
    if (!v || !(*v > 0 && *v <= 1)) {
      problem = fmt::format("--add-edge '{}': {} '{}' must be a number in (0,1] or a percentage", text, what, cell);
      return false;
    }
    out = *v;
    return true;
  };
  if (e.supplier.empty() || e.consumer.empty()) {
    problem = fmt::format("--add-edge '{}': supplier and consumer ids are required", text);
    return std::nullopt;
  }
  if (e.supplier == e.consumer) {
    problem = fmt::format("--add-edge '{}': a node cannot supply itself", text);
    return std::nullopt;
  }
  if (!fraction(fields[3], "share", e.share)) return std::nullopt;
  if (fields.size() == 5 && !fraction(fields[4], "efficiency", e.efficiency)) return std::nullopt;
  return e;
}

// The command line's own part of the scenario; problems are usage errors.
std::optional<Scenario> command_line_scenario(const WhatIfArgs& args, Context& ctx) {
  Scenario s;
  s.name = "command line";
  s.file = "command line";
  for (const auto& c : args.ban) {
    if (!is_country_code(c)) {
      usage_error(ctx, fmt::format("--ban: '{}' is not an ISO 3166-1 alpha-3 code (write e.g. USA,NLD)", c));
      return std::nullopt;
    }
    s.ban.push_back(c);
  }
  for (const auto& k : args.ban_kinds) {
    auto kind = parse_kind(k);
    if (!kind) {
      usage_error(ctx, fmt::format("--ban-kinds: unknown kind '{}'; kinds: material, equipment, eda, ip, design, fab, "
                                   "packaging, chip, category",
                                   k));
      return std::nullopt;
    }
    s.ban_kinds.push_back(*kind);
  }
  s.direct_only = args.direct_only;
  s.remove = args.remove;
  s.domesticize = args.domesticize;
  if (args.substitution == "proportional") s.substitution = Substitution::proportional;
  for (const auto& text : args.add_edges) {
    std::string problem;
    auto e = parse_added_edge(text, problem);
    if (!e) {
      usage_error(ctx, problem);
      return std::nullopt;
    }
    s.add_edges.push_back(std::move(*e));
  }
  return s;
}

// Ids typed on the command line must exist: an unknown one is a usage error with a guess.
bool command_line_ids_known(const SupplyGraph& g, const Scenario& s, Context& ctx) {
  auto known = [&](const std::string& id, const char* option) {
    NodeLookup found = lookup_node(g, id);
    if (found.node) return true;
    usage_error(ctx, fmt::format("{}: {}", option, describe_unknown_node(id, found)));
    return false;
  };
  for (const auto& id : s.remove)
    if (!known(id, "--remove")) return false;
  for (const auto& id : s.domesticize)
    if (!known(id, "--domesticize")) return false;
  for (const auto& e : s.add_edges)
    if (!known(e.supplier, "--add-edge") || !known(e.consumer, "--add-edge")) return false;
  return true;
}

// Adds the command line's changes to a named scenario.
void add_to(Scenario& named, const Scenario& extra, const WhatIfArgs& args) {
  named.ban.insert(named.ban.end(), extra.ban.begin(), extra.ban.end());
  named.ban_kinds.insert(named.ban_kinds.end(), extra.ban_kinds.begin(), extra.ban_kinds.end());
  named.direct_only = named.direct_only || extra.direct_only;
  named.remove.insert(named.remove.end(), extra.remove.begin(), extra.remove.end());
  named.domesticize.insert(named.domesticize.end(), extra.domesticize.begin(), extra.domesticize.end());
  named.add_edges.insert(named.add_edges.end(), extra.add_edges.begin(), extra.add_edges.end());
  if (!args.substitution.empty()) named.substitution = extra.substitution;
}

nlohmann::ordered_json figures_json(const Figures& f) {
  return {{"nominal", number_or_null(f.nominal)},
          {"effective", number_or_null(f.effective)},
          {"availability", number_or_null(f.availability)},
          {"localization", number_or_null(f.localization)}};
}

std::string id_list(const SupplyGraph& g, const std::vector<NodeId>& nodes, std::size_t shown) {
  std::string s;
  for (std::size_t i = 0; i < nodes.size() && i < shown; ++i) s += (i ? ", " : "") + std::string(g.id(nodes[i]));
  if (nodes.size() > shown) s += fmt::format(" and {} more", nodes.size() - shown);
  return s.empty() ? "none" : s;
}

void write_output(const Loaded& loaded, const Scenario& s, const WhatIfResult& r, Context& ctx, Format format) {
  const SupplyGraph& g = loaded.graph;
  struct Line {
    const char* name;
    std::optional<double> before, after;
  };
  const Line lines[] = {{"nominal", r.before.nominal, r.after.nominal},
                        {"effective", r.before.effective, r.after.effective},
                        {"availability", r.before.availability, r.after.availability},
                        {"localization", r.before.localization, r.after.localization}};
  auto delta = [](const Line& l) {
    return l.before && l.after ? std::optional<double>(*l.after - *l.before) : std::nullopt;
  };
  switch (format) {
    case Format::json: {
      nlohmann::ordered_json doc;
      doc["schema"] = schema;
      doc["dataset"] = loaded.dataset.name;
      doc["year"] = loaded.snapshot.year ? nlohmann::ordered_json(loaded.snapshot.year) : nlohmann::ordered_json(nullptr);
      doc["home"] = loaded.dataset.home;
      doc["scenario"] = s.name;
      doc["description"] = s.description;
      doc["before"] = figures_json(r.before);
      doc["after"] = figures_json(r.after);
      doc["failed"] = nlohmann::ordered_json::array();
      for (NodeId v : r.failed) doc["failed"].push_back(g.id(v));
      doc["knocked_out"] = nlohmann::ordered_json::array();
      for (NodeId v : r.knocked_out) doc["knocked_out"].push_back(g.id(v));
      doc["cut_edges"] = r.cut_edges;
      doc["moved"] = nlohmann::ordered_json::array();
      for (const auto& m : r.moved)
        doc["moved"].push_back({{"id", g.id(m.node)},
                                {"availability_before", m.availability_before},
                                {"availability_after", m.availability_after},
                                {"effective_before", m.effective_before},
                                {"effective_after", m.effective_after}});
      doc["notes"] = r.notes;
      ctx.out << dump(doc);
      break;
    }
    case Format::csv: {
      // One long table: the figures, then the nodes that failed, were knocked out or moved most.
      out::Table t({"section", "id", "before", "after", "delta"});
      for (const auto& l : lines) t.add_row({"figure", l.name, out::cell(l.before), out::cell(l.after), out::cell(delta(l))});
      for (NodeId v : r.failed) t.add_row({"failed", std::string(g.id(v)), {}, {}, {}});
      for (NodeId v : r.knocked_out) t.add_row({"knocked_out", std::string(g.id(v)), {}, {}, {}});
      for (const auto& m : r.moved) {
        t.add_row({"moved_availability", std::string(g.id(m.node)), m.availability_before, m.availability_after,
                   m.availability_after - m.availability_before});
        t.add_row({"moved_effective", std::string(g.id(m.node)), m.effective_before, m.effective_after,
                   m.effective_after - m.effective_before});
      }
      ctx.out << t.to_csv();
      break;
    }
    case Format::table: {
      ctx.out << "scenario: " << s.name << (s.description.empty() ? "" : " - " + s.description) << "\n"
              << loaded.dataset.name << ", "
              << (loaded.snapshot.year ? std::to_string(loaded.snapshot.year) : std::string("snapshot")) << ", home "
              << loaded.dataset.home << "\n\n";
      out::Table t({"figure", "before", "after", "delta"});
      for (const auto& l : lines) t.add_row({l.name, out::cell(l.before), out::cell(l.after), out::cell(delta(l))});
      ctx.out << t.to_text() << "\n";
      ctx.out << "knocked out (" << r.knocked_out.size() << "): " << id_list(g, r.knocked_out, 15) << "\n";
      if (s.direct_only) ctx.out << "edges cut (direct-only): " << r.cut_edges << "\n";
      ctx.out << "failed (" << r.failed.size() << "): " << id_list(g, r.failed, 30) << "\n";
      if (!r.moved.empty()) {
        ctx.out << "\nlargest moves:\n";
        out::Table m({"id", "availability_before", "availability_after", "effective_before", "effective_after"});
        for (const auto& x : r.moved)
          m.add_row({std::string(g.id(x.node)), x.availability_before, x.availability_after, x.effective_before,
                     x.effective_after});
        ctx.out << m.to_text();
      }
      if (!r.notes.empty()) {
        ctx.out << "\nnotes:\n";
        for (const auto& n : r.notes) ctx.out << "- " << n << "\n";
      }
      break;
    }
  }
}

std::vector<std::string> available_scenarios(const Dataset& dataset) {
  std::vector<std::string> names;
  for (const auto& f : scenario_files(dataset)) names.push_back(f.stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

void run_whatif_command(const WhatIfArgs& args, Context& ctx) {
  auto typed = command_line_scenario(args, ctx);
  if (!typed) return;
  auto loaded = load(args.data, ctx);
  if (!loaded) return;
  const SupplyGraph& g = loaded->graph;
  if (!command_line_ids_known(g, *typed, ctx)) return;

  Scenario scenario = *typed;
  std::vector<std::string> skipped;
  if (!args.scenario.empty()) {
    auto names = available_scenarios(loaded->dataset);
    if (std::find(names.begin(), names.end(), args.scenario) == names.end())
      return usage_error(ctx, fmt::format("unknown scenario '{}'; available: {}", args.scenario,
                                          names.empty() ? "none (the dataset has no scenarios/ folder)" : joined(names, ", ")));
    fs::path file = loaded->dataset.scenarios_dir / (args.scenario + ".toml");
    std::string display =
        (fs::path(loaded->dataset.display_root) / "scenarios" / file.filename()).lexically_normal().generic_string();
    Diagnostics diag;
    auto named = read_scenario(file, display, diag);
    report_diagnostics(diag, ctx, args.data.quiet);
    if (!named || diag.has_errors()) {
      ctx.exit_code = exit_invalid;
      return;
    }
    skipped = skip_absent_ids(g, *named);
    for (const auto& note : skipped)
      if (!args.data.quiet) ctx.err << display << ": warning: " << note << "\n";
    add_to(*named, *typed, args);
    scenario = std::move(*named);
  }

  Diagnostics diag;
  auto result = run_whatif(g, scenario, diag, args.moved);
  report_diagnostics(diag, ctx, args.data.quiet);
  if (!result) {
    ctx.exit_code = exit_invalid;
    return;
  }
  result->notes.insert(result->notes.begin(), skipped.begin(), skipped.end());
  write_output(*loaded, scenario, *result, ctx, resolve_format(args.data, ctx));
}

}  // namespace

void add_whatif_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<WhatIfArgs>();
  CLI::App* cmd = app.add_subcommand("whatif", "apply a scenario (bans, removals, substitutes) and compare the figures");
  add_dataset_args(*cmd, args->data);
  cmd->add_option("--ban", args->ban, "knock out every node of these countries (ISO alpha-3)")->delimiter(',');
  cmd->add_option("--ban-kinds", args->ban_kinds, "ban only nodes of these kinds")->delimiter(',');
  cmd->add_flag("--direct-only", args->direct_only, "cut only the banned nodes' edges into domestic producers");
  cmd->add_option("--remove", args->remove, "knock out these node ids")->delimiter(',');
  cmd->add_option("--domesticize", args->domesticize, "make these nodes domestic")->delimiter(',');
  cmd->add_option("--add-edge", args->add_edges, "SUPPLIER,CONSUMER,INPUT,SHARE[,EFFICIENCY]; repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--substitution", args->substitution, "none or proportional (survivors fill the lost share)")
      ->check(CLI::IsMember({"none", "proportional"}));
  cmd->add_option("--scenario", args->scenario, "start from DATASET/scenarios/NAME.toml; other options add to it");
  cmd->add_option("--moved", args->moved, "list this many nodes that moved most")->capture_default_str();
  cmd->callback([args, &ctx] { run_whatif_command(*args, ctx); });
}

}  // namespace scgraph::cli
