// scgraph show: one node's card: what it is, what it needs and from whom, its reliance values,
// what its loss would cost, and who depends on it directly.
#include <cmath>
#include <fmt/format.h>
#include <ostream>

#include "commands.hpp"
#include "graph/chokepoints.hpp"
#include "graph/knockout.hpp"
#include "graph/queries.hpp"
#include "reports/table.hpp"

namespace scgraph::cli {

namespace {

struct ShowArgs {
  DatasetArgs data;
  std::string id;
};

// Everything on the card, computed once for all three formats.
struct Card {
  NodeId node;
  NodeValues values;
  std::optional<double> localization;
  KnockoutImpact impact;
  std::vector<SuppliedRequirement> supplied;
  std::uint32_t sole_source_requirements = 0;
};

Card make_card(const SupplyGraph& g, NodeId v) {
  Card c{v, evaluate(g), std::nullopt, {}, {}, 0};
  c.localization = node_localization(g, v, c.values);
  KnockoutEngine engine(g, c.values);
  NodeId one[] = {v};
  c.impact = engine.knock_out(one);
  NodeId members[] = {v};
  c.supplied = supplied_requirements(g, members);
  for (const auto& s : c.supplied) c.sole_source_requirements += s.sole_source ? 1 : 0;
  return c;
}

// Suppliers of a requirement, largest share first, then by id.
std::vector<SupplyEntry> ranked_suppliers(const SupplyGraph& g, ReqId r) {
  auto s = g.suppliers(r);
  std::vector<SupplyEntry> out(s.begin(), s.end());
  std::sort(out.begin(), out.end(), [&](const SupplyEntry& a, const SupplyEntry& b) {
    if (a.share != b.share) return a.share > b.share;
    return g.id(a.supplier) < g.id(b.supplier);
  });
  return out;
}

nlohmann::ordered_json card_json(const Loaded& loaded, const Card& c) {
  const SupplyGraph& g = loaded.graph;
  const NodeId v = c.node;
  nlohmann::ordered_json doc;
  doc["schema"] = schema;
  doc["dataset"] = loaded.dataset.name;
  doc["year"] = loaded.snapshot.year ? nlohmann::ordered_json(loaded.snapshot.year) : nlohmann::ordered_json(nullptr);
  doc["home"] = loaded.dataset.home;
  nlohmann::ordered_json node;
  node["id"] = g.id(v);
  node["name"] = g.name(v);
  node["kind"] = to_string(g.kind(v));
  node["stage"] = g.stage(v);
  node["country"] = g.country(v);
  node["origin"] = to_string(g.origin(v));
  node["owner"] = g.owner(v);
  node["value_musd"] = g.has_value_column() ? nlohmann::ordered_json(g.weight(v)) : nlohmann::ordered_json(nullptr);
  node["attributes"] = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < g.attribute_names().size(); ++k) node["attributes"][g.attribute_names()[k]] = g.attribute(k, v);
  doc["node"] = node;
  doc["metrics"] = {{"direct", c.values.direct[v]},
                    {"availability", c.values.availability[v]},
                    {"effective", c.values.effective[v]},
                    {"localization", number_or_null(c.localization)}};
  doc["knockout"] = {{"loss", c.impact.loss},
                     {"domestic_loss", c.impact.domestic_loss},
                     {"effective_loss", c.impact.effective_loss},
                     {"hard_dependents", c.impact.hard_dependents},
                     {"sole_source", c.sole_source_requirements > 0},
                     {"sole_source_requirements", c.sole_source_requirements}};
  doc["requirements"] = nlohmann::ordered_json::array();
  for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
    RequirementConcentration k = requirement_concentration(g, r);
    nlohmann::ordered_json j;
    j["input"] = g.input(r);
    j["unmapped"] = k.unmapped;
    j["hhi"] = k.hhi;
    j["top_share"] = k.top_share;
    j["foreign_share"] = k.foreign_share;
    j["countries_to_75"] = k.countries_to_75 ? nlohmann::ordered_json(*k.countries_to_75) : nlohmann::ordered_json(nullptr);
    j["suppliers"] = nlohmann::ordered_json::array();
    for (const auto& s : ranked_suppliers(g, r))
      j["suppliers"].push_back({{"id", g.id(s.supplier)},
                                {"name", g.name(s.supplier)},
                                {"country", g.country(s.supplier)},
                                {"origin", to_string(g.origin(s.supplier))},
                                {"share", s.share},
                                {"efficiency", s.efficiency}});
    doc["requirements"].push_back(j);
  }
  doc["dependents"] = nlohmann::ordered_json::array();
  for (const auto& s : c.supplied)
    doc["dependents"].push_back({{"id", g.id(s.consumer)},
                                 {"name", g.name(s.consumer)},
                                 {"kind", to_string(g.kind(s.consumer))},
                                 {"input", g.input(s.requirement)},
                                 {"share", s.share},
                                 {"sole_source", s.sole_source}});
  return doc;
}

void write_csv(const SupplyGraph& g, const Card& c, Context& ctx) {
  // A card is not one table: a long table of (section, input, id, field, value) rows.
  const NodeId v = c.node;
  const std::string id(g.id(v));
  out::Table t({"section", "input", "id", "field", "value"});
  auto text = [&](const char* section, const std::string& input, const std::string& who, const char* field,
                  std::string_view value) { t.add_row({section, input, who, field, std::string(value)}); };
  auto number = [&](const char* section, const std::string& input, const std::string& who, const char* field,
                    out::Cell value) { t.add_row({section, input, who, field, std::move(value)}); };
  text("node", "", id, "name", g.name(v));
  text("node", "", id, "kind", to_string(g.kind(v)));
  text("node", "", id, "stage", g.stage(v));
  text("node", "", id, "country", g.country(v));
  text("node", "", id, "origin", to_string(g.origin(v)));
  text("node", "", id, "owner", g.owner(v));
  number("node", "", id, "value_musd", g.has_value_column() ? out::Cell(g.weight(v)) : out::Cell());
  for (std::size_t k = 0; k < g.attribute_names().size(); ++k)
    text("attribute", "", id, g.attribute_names()[k].c_str(), g.attribute(k, v));
  number("metric", "", id, "direct", c.values.direct[v]);
  number("metric", "", id, "availability", c.values.availability[v]);
  number("metric", "", id, "effective", c.values.effective[v]);
  number("metric", "", id, "localization", out::cell(c.localization));
  number("knockout", "", id, "loss", c.impact.loss);
  number("knockout", "", id, "domestic_loss", c.impact.domestic_loss);
  number("knockout", "", id, "effective_loss", c.impact.effective_loss);
  number("knockout", "", id, "hard_dependents", static_cast<std::int64_t>(c.impact.hard_dependents));
  number("knockout", "", id, "sole_source", c.sole_source_requirements > 0);
  for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
    std::string input(g.input(r));
    RequirementConcentration k = requirement_concentration(g, r);
    number("requirement", input, id, "unmapped", k.unmapped);
    number("requirement", input, id, "hhi", k.hhi);
    number("requirement", input, id, "top_share", k.top_share);
    number("requirement", input, id, "foreign_share", k.foreign_share);
    number("requirement", input, id, "countries_to_75",
           k.countries_to_75 ? out::Cell(static_cast<std::int64_t>(*k.countries_to_75)) : out::Cell());
    for (const auto& s : ranked_suppliers(g, r)) {
      number("supplier", input, std::string(g.id(s.supplier)), "share", s.share);
      number("supplier", input, std::string(g.id(s.supplier)), "efficiency", s.efficiency);
    }
  }
  for (const auto& s : c.supplied) {
    std::string input(g.input(s.requirement)), consumer(g.id(s.consumer));
    number("dependent", input, consumer, "share", s.share);
    number("dependent", input, consumer, "sole_source", s.sole_source);
  }
  ctx.out << t.to_csv();
}

void write_table(const Loaded& loaded, const Card& c, Context& ctx) {
  const SupplyGraph& g = loaded.graph;
  const NodeId v = c.node;
  ctx.out << g.id(v) << (g.name(v) != g.id(v) ? " - " + std::string(g.name(v)) : std::string()) << "\n";
  out::Table about({"field", "value"});
  about.add_row({"kind", std::string(to_string(g.kind(v)))});
  about.add_row({"stage", std::string(g.stage(v))});
  about.add_row({"country", std::string(g.country(v))});
  about.add_row({"origin", std::string(to_string(g.origin(v)))});
  about.add_row({"owner", std::string(g.owner(v))});
  about.add_row({"value_musd", g.has_value_column() ? out::Cell(g.weight(v)) : out::Cell()});
  for (std::size_t k = 0; k < g.attribute_names().size(); ++k)
    about.add_row({g.attribute_names()[k], std::string(g.attribute(k, v))});
  about.add_row({"direct (d)", c.values.direct[v]});
  about.add_row({"availability (a)", c.values.availability[v]});
  about.add_row({"effective (e)", c.values.effective[v]});
  about.add_row({"localization", out::cell(c.localization)});
  about.add_row({"knockout loss", c.impact.loss});
  about.add_row({"knockout domestic_loss", c.impact.domestic_loss});
  about.add_row({"knockout effective_loss", c.impact.effective_loss});
  about.add_row({"hard dependents", static_cast<std::int64_t>(c.impact.hard_dependents)});
  about.add_row({"sole source of", fmt::format("{} requirement{}", c.sole_source_requirements,
                                               c.sole_source_requirements == 1 ? "" : "s")});
  ctx.out << "\n" << about.to_text(100);

  ctx.out << "\nrequirements (" << g.requirement_count(v) << ", all needed; suppliers of one are alternatives):\n";
  if (g.requirement_count(v) == 0) {
    ctx.out << "none: a leaf of the graph\n";
  } else {
    out::Table reqs({"input", "supplier", "country", "origin", "share", "efficiency", "unmapped", "hhi", "foreign",
                     "ctry75"});
    for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
      RequirementConcentration k = requirement_concentration(g, r);
      bool first = true;
      for (const auto& s : ranked_suppliers(g, r)) {
        reqs.add_row({first ? std::string(g.input(r)) : std::string(), std::string(g.id(s.supplier)),
                      std::string(g.country(s.supplier)), std::string(to_string(g.origin(s.supplier))), s.share,
                      s.efficiency, first ? out::Cell(k.unmapped) : out::Cell(), first ? out::Cell(static_cast<std::int64_t>(std::lround(k.hhi))) : out::Cell(),
                      first ? out::Cell(k.foreign_share) : out::Cell(),
                      first && k.countries_to_75 ? out::Cell(static_cast<std::int64_t>(*k.countries_to_75)) : out::Cell()});
        first = false;
      }
    }
    ctx.out << reqs.to_text();
  }

  ctx.out << "\ndirect dependents (" << c.supplied.size() << " requirement" << (c.supplied.size() == 1 ? "" : "s")
          << " of other nodes):\n";
  if (c.supplied.empty()) {
    ctx.out << "none\n";
  } else {
    out::Table deps({"consumer", "kind", "input", "share", "sole_source"});
    for (const auto& s : c.supplied)
      deps.add_row({std::string(g.id(s.consumer)), std::string(to_string(g.kind(s.consumer))),
                    std::string(g.input(s.requirement)), s.share, s.sole_source});
    ctx.out << deps.to_text();
  }
}

void run_show(const ShowArgs& args, Context& ctx) {
  auto loaded = load(args.data, ctx);
  if (!loaded) return;
  const SupplyGraph& g = loaded->graph;
  NodeLookup found = lookup_node(g, args.id);
  if (!found.node) return usage_error(ctx, describe_unknown_node(args.id, found));
  Card card = make_card(g, *found.node);
  switch (resolve_format(args.data, ctx)) {
    case Format::json: ctx.out << dump(card_json(*loaded, card)); break;
    case Format::csv: write_csv(g, card, ctx); break;
    case Format::table: write_table(*loaded, card, ctx); break;
  }
}

}  // namespace

void add_show_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand("show", "one node's card: attributes, requirements, reliance, knockout impact");
  add_dataset_args(*cmd, args->data);
  cmd->add_option("ID", args->id, "the node's id")->required();
  cmd->callback([args, &ctx] { run_show(*args, ctx); });
}

}  // namespace scgraph::cli
