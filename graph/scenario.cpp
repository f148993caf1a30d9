#include "scenario.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <toml++/toml.h>

namespace scgraph {

namespace fs = std::filesystem;

namespace {

std::size_t line_of(const toml::node* n) { return n ? n->source().begin.line : 0; }
std::size_t column_of(const toml::node* n) { return n ? n->source().begin.column : 0; }

bool read_string_list(const toml::table& t, const char* key, std::vector<std::string>& out, const std::string& file,
                      Diagnostics& diag) {
  const toml::node* n = t.get(key);
  if (!n) return true;
  const toml::array* a = n->as_array();
  if (!a) {
    diag.error(file, line_of(n), column_of(n), "scenario-type", fmt::format("'{}' must be a list of strings", key),
               fmt::format("write {} = [\"A\", \"B\"]", key));
    return false;
  }
  bool ok = true;
  for (const auto& item : *a) {
    if (auto s = item.value<std::string>()) out.push_back(*s);
    else {
      diag.error(file, line_of(&item), column_of(&item), "scenario-type", fmt::format("'{}' must hold strings only", key));
      ok = false;
    }
  }
  return ok;
}

bool read_fraction(const toml::table& t, const char* key, double& out, const std::string& file, Diagnostics& diag) {
  const toml::node* n = t.get(key);
  if (!n) return true;
  auto v = n->value<double>();
  if (!v || !(*v > 0 && *v <= 1)) {
    diag.error(file, line_of(n), column_of(n), "scenario-value", fmt::format("'{}' must be a number in (0,1]", key));
    return false;
  }
  out = *v;
  return true;
}

}  // namespace

std::optional<Scenario> read_scenario(const fs::path& file, const std::string& display, Diagnostics& diag) {
  toml::table doc;
  try {
    doc = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    diag.error(display, e.source().begin.line, e.source().begin.column, "toml-syntax", std::string(e.description()),
               "scenario files are TOML; see data/FORMAT.md");
    return std::nullopt;
  }
  Scenario s;
  s.name = file.stem().string();
  s.file = display;
  std::size_t errors = diag.error_count();
  static constexpr std::string_view known[] = {"description", "ban", "ban_kinds", "direct_only", "remove",
                                                "domesticize", "substitution", "add_edge"};
  for (const auto& [key, node] : doc) {
    if (std::find(std::begin(known), std::end(known), key.str()) == std::end(known)) {
      std::vector<std::string> names(std::begin(known), std::end(known));
      std::string guess = did_you_mean(key.str(), names);
      diag.error(display, line_of(&node), column_of(&node), "scenario-key", fmt::format("unknown key '{}'", key.str()),
                 guess.empty() ? "known keys: description, ban, ban_kinds, direct_only, remove, domesticize, substitution, add_edge"
                               : "did you mean '" + guess + "'?");
    }
  }
  if (auto d = doc["description"].value<std::string>()) s.description = *d;
  read_string_list(doc, "ban", s.ban, display, diag);
  for (const auto& c : s.ban)
    if (!is_country_code(c))
      diag.error(display, line_of(doc.get("ban")), column_of(doc.get("ban")), "bad-country",
                 fmt::format("ban names '{}', which is not an ISO 3166-1 alpha-3 code", c), "write e.g. \"USA\", \"NLD\"");
  std::vector<std::string> kinds;
  read_string_list(doc, "ban_kinds", kinds, display, diag);
  for (const auto& k : kinds) {
    if (auto kind = parse_kind(k)) s.ban_kinds.push_back(*kind);
    else
      diag.error(display, line_of(doc.get("ban_kinds")), column_of(doc.get("ban_kinds")), "unknown-kind",
                 fmt::format("ban_kinds names unknown kind '{}'", k),
                 "kinds: material, equipment, eda, ip, design, fab, packaging, chip, category");
  }
  if (const toml::node* n = doc.get("direct_only")) {
    if (auto b = n->value<bool>()) s.direct_only = *b;
    else diag.error(display, line_of(n), column_of(n), "scenario-type", "'direct_only' must be true or false");
  }
  read_string_list(doc, "remove", s.remove, display, diag);
  read_string_list(doc, "domesticize", s.domesticize, display, diag);
  if (const toml::node* n = doc.get("substitution")) {
    auto v = n->value<std::string>();
    if (v && *v == "none") s.substitution = Substitution::none;
    else if (v && *v == "proportional") s.substitution = Substitution::proportional;
    else diag.error(display, line_of(n), column_of(n), "scenario-value", "'substitution' must be \"none\" or \"proportional\"");
  }
  if (const toml::node* n = doc.get("add_edge")) {
    const toml::array* edges = n->as_array();
    if (!edges) {
      diag.error(display, line_of(n), column_of(n), "scenario-type", "'add_edge' must be a list of tables: [[add_edge]]");
    } else {
      for (const auto& item : *edges) {
        const toml::table* t = item.as_table();
        if (!t) {
          diag.error(display, line_of(&item), column_of(&item), "scenario-type", "each add_edge must be a table");
          continue;
        }
        AddedEdge e;
        auto text = [&](const char* key, std::string& out, bool required) {
          if (auto v = (*t)[key].value<std::string>()) out = *v;
          else if (required)
            diag.error(display, line_of(t), column_of(t), "scenario-value", fmt::format("add_edge needs a '{}' id", key));
        };
        text("supplier", e.supplier, true);
        text("consumer", e.consumer, true);
        text("input", e.input, false);
        if (e.input.empty()) e.input = e.supplier;
        read_fraction(*t, "share", e.share, display, diag);
        read_fraction(*t, "efficiency", e.efficiency, display, diag);
        s.add_edges.push_back(std::move(e));
      }
    }
  }
  if (diag.error_count() > errors) return std::nullopt;
  return s;
}

std::vector<fs::path> scenario_files(const Dataset& dataset) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dataset.scenarios_dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(dataset.scenarios_dir, ec))
    if (entry.is_regular_file(ec) && entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

void check_scenarios(const Dataset& dataset, const SupplyGraph& graph, int year, Diagnostics& diag) {
  for (const auto& file : scenario_files(dataset)) {
    std::string display = (fs::path(dataset.display_root) / "scenarios" / file.filename()).lexically_normal().generic_string();
    auto s = read_scenario(file, display, diag);
    if (!s) continue;
    auto check = [&](const std::string& id, const char* role) {
      if (!graph.find(id))
        diag.warning(display, 0, 0, "scenario-unknown-id",
                     fmt::format("{} '{}' is not a node of the {} snapshot; the scenario skips it there", role, id, year));
    };
    for (const auto& id : s->remove) check(id, "remove");
    for (const auto& id : s->domesticize) check(id, "domesticize");
    for (const auto& e : s->add_edges) {
      check(e.supplier, "add_edge supplier");
      check(e.consumer, "add_edge consumer");
    }
  }
}

}  // namespace scgraph
