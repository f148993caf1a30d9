#include "dataset.hpp"

#include <algorithm>
#include <system_error>
#include <toml++/toml.h>

namespace scgraph {

namespace fs = std::filesystem;

std::optional<Metric> parse_metric(std::string_view text) {
  if (text == "nominal") return Metric::nominal;
  if (text == "effective") return Metric::effective;
  if (text == "localization") return Metric::localization;
  return std::nullopt;
}

std::string_view to_string(Metric m) {
  switch (m) {
    case Metric::nominal: return "nominal";
    case Metric::effective: return "effective";
    case Metric::localization: return "localization";
  }
  return "nominal";
}

bool is_country_code(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

namespace {

std::string join_display(const std::string& root, const std::string& rest) {
  if (root.empty() || root == ".") return rest;
  return (fs::path(root) / rest).lexically_normal().generic_string();
}

bool is_year_name(const std::string& s) {
  return s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t line_of(const toml::node* n) { return n ? n->source().begin.line : 0; }
std::size_t column_of(const toml::node* n) { return n ? n->source().begin.column : 0; }

// Reads dataset.toml into `out`; every problem becomes a diagnostic.
void read_manifest(const fs::path& file, const std::string& display, Dataset& out, Diagnostics& diag) {
  toml::table doc;
  try {
    doc = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    diag.error(display, e.source().begin.line, e.source().begin.column, "toml-syntax",
               std::string(e.description()), "dataset.toml must be valid TOML (see data/FORMAT.md)");
    return;
  }
  auto text_field = [&](const char* key, std::string& dest) {
    const toml::node* n = doc.get(key);
    if (!n) return;
    if (auto s = n->value<std::string>()) dest = *s;
    else
      diag.error(display, line_of(n), column_of(n), "toml-type", std::string("'") + key + "' must be a string");
  };
  text_field("name", out.name);
  text_field("home", out.home);
  text_field("source", out.source);
  text_field("licence", out.licence);
  if (out.licence.empty()) text_field("license", out.licence);
  if (const toml::node* home = doc.get("home"); home && !out.home.empty() && !is_country_code(out.home))
    diag.error(display, line_of(home), column_of(home), "bad-home",
               "home '" + out.home + "' is not an ISO 3166-1 alpha-3 code",
               "write three upper-case letters, e.g. home = \"CHN\"");

  if (const toml::node* year = doc.get("year")) {
    if (auto y = year->value<int64_t>()) out.snapshots.push_back({static_cast<int>(*y), {}, {}, {}, {}});
    else diag.error(display, line_of(year), column_of(year), "toml-type", "'year' must be an integer");
  }

  const toml::node* target_node = doc.get("target");
  if (!target_node) return;
  const toml::table* target = target_node->as_table();
  if (!target) {
    diag.error(display, line_of(target_node), column_of(target_node), "toml-type", "'target' must be a table");
    return;
  }
  Target t;
  bool ok = true;
  if (const toml::node* s = target->get("share")) {
    auto v = s->value<double>();
    if (!v || !(*v > 0 && *v <= 1)) {
      diag.error(display, line_of(s), column_of(s), "bad-target", "target share must be a number in (0,1]",
                 "write the share as a fraction, e.g. share = 0.70 for 70 %");
      ok = false;
    } else {
      t.share = *v;
    }
  }
  if (const toml::node* y = target->get("year")) {
    if (auto v = y->value<int64_t>()) t.year = static_cast<int>(*v);
    else {
      diag.error(display, line_of(y), column_of(y), "bad-target", "target year must be an integer");
      ok = false;
    }
  }
  if (const toml::node* m = target->get("metric")) {
    auto v = m->value<std::string>();
    auto metric = v ? parse_metric(*v) : std::nullopt;
    if (!metric) {
      diag.error(display, line_of(m), column_of(m), "bad-target",
                 "target metric must be one of nominal, effective, localization");
      ok = false;
    } else {
      t.metric = *metric;
    }
  }
  if (ok) out.target = t;
}

void find_snapshots(const fs::path& root, Dataset& out, Diagnostics& diag) {
  fs::path dir = root / "snapshots";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::vector<SnapshotFiles> found;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string year = entry.path().filename().string();
    std::string display = join_display(out.display_root, "snapshots/" + year);
    if (!entry.is_directory(ec)) continue;
    if (!is_year_name(year)) {
      diag.warning(display, 0, 0, "snapshot-name", "folder is not a year and is ignored",
                   "name snapshot folders by their four-digit year, e.g. snapshots/2024");
      continue;
    }
    SnapshotFiles s;
    s.year = std::stoi(year);
    s.nodes = entry.path() / "nodes.csv";
    s.edges = entry.path() / "edges.csv";
    s.nodes_display = display + "/nodes.csv";
    s.edges_display = display + "/edges.csv";
    found.push_back(std::move(s));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.year < b.year; });
  if (!found.empty()) out.snapshots = std::move(found);
}

}  // namespace

std::optional<Dataset> open_dataset(const fs::path& path, const std::optional<std::string>& home_override,
                                    Diagnostics& diag) {
  Dataset out;
  out.display_root = path.generic_string();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    diag.error(out.display_root, 0, 0, "dataset-missing", "no such file or directory",
               "give a dataset folder (with dataset.toml) or a nodes.csv file");
    return std::nullopt;
  }
  bool bare_file = fs::is_regular_file(path, ec);
  out.root = bare_file ? path.parent_path() : path;
  if (bare_file) out.display_root = path.parent_path().generic_string();
  if (out.root.empty()) out.root = ".";

  fs::path manifest = out.root / "dataset.toml";
  bool has_manifest = !bare_file && fs::is_regular_file(manifest, ec);
  if (has_manifest) read_manifest(manifest, join_display(out.display_root, "dataset.toml"), out, diag);

  if (home_override) {
    if (!is_country_code(*home_override)) {
      diag.error("--home", 0, 0, "bad-home", "'" + *home_override + "' is not an ISO 3166-1 alpha-3 code",
                 "write three upper-case letters, e.g. --home CHN");
      return std::nullopt;
    }
    out.home = *home_override;
  }
  if (out.home.empty()) {
    if (has_manifest)
      diag.error(join_display(out.display_root, "dataset.toml"), 0, 0, "missing-home",
                 "dataset.toml does not say which country is home", "add a line: home = \"CHN\"");
    else
      diag.error(out.display_root, 0, 0, "missing-home", "no dataset.toml here, so the home country is unknown",
                 "add a dataset.toml with home = \"CHN\", or pass --home CHN for a bare CSV pair");
    return std::nullopt;
  }
  if (out.name.empty()) {
    // The folder's own name: "." (a bare pair in the current folder) names nothing.
    fs::path folder = fs::weakly_canonical(out.root, ec);
    out.name = (ec ? out.root : folder).filename().string();
  }

  if (!bare_file) find_snapshots(out.root, out, diag);
  bool has_snapshot_folders = !out.snapshots.empty() && !out.snapshots.front().nodes.empty();
  if (!has_snapshot_folders) {
    // Single-snapshot layout or bare pair: nodes.csv and edges.csv beside dataset.toml.
    SnapshotFiles s;
    s.year = out.snapshots.empty() ? 0 : out.snapshots.front().year;
    s.nodes = bare_file ? path : out.root / "nodes.csv";
    s.edges = out.root / "edges.csv";
    s.nodes_display = bare_file ? path.generic_string() : join_display(out.display_root, "nodes.csv");
    s.edges_display = join_display(out.display_root, "edges.csv");
    out.snapshots.assign(1, std::move(s));
  }
  out.scenarios_dir = out.root / "scenarios";
  if (diag.has_errors()) return std::nullopt;
  return out;
}

const SnapshotFiles* select_snapshot(const Dataset& dataset, std::optional<int> year, Diagnostics& diag) {
  if (dataset.snapshots.empty()) return nullptr;
  if (!year) return &dataset.snapshots.back();
  for (const auto& s : dataset.snapshots)
    if (s.year == *year) return &s;
  std::string years;
  for (const auto& s : dataset.snapshots) years += (years.empty() ? "" : ", ") + std::to_string(s.year);
  diag.error(dataset.display_root, 0, 0, "unknown-year", "no snapshot for year " + std::to_string(*year),
             "available years: " + years);
  return nullptr;
}

}  // namespace scgraph
