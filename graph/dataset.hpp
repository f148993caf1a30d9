#pragma once
// A dataset on disk: dataset.toml with its yearly snapshots, the single-snapshot layout, or a bare
// nodes.csv/edges.csv pair given a home country. Only locates files; loading is the loader's job.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.hpp"

namespace scgraph {

enum class Metric { nominal, effective, localization };
std::optional<Metric> parse_metric(std::string_view text);
std::string_view to_string(Metric m);

struct Target {
  double share = 0.7;
  int year = 0;
  Metric metric = Metric::nominal;
};

struct SnapshotFiles {
  int year = 0;  // 0 when the data says no year (a bare CSV pair)
  std::filesystem::path nodes, edges;
  std::string nodes_display, edges_display;  // how diagnostics name the files
};

struct Dataset {
  std::filesystem::path root;
  std::string display_root;  // the path as the user wrote it
  std::string name;
  std::string home;
  std::optional<Target> target;
  std::vector<SnapshotFiles> snapshots;  // ascending by year
  std::filesystem::path scenarios_dir;   // may not exist
  std::string source, licence;           // provenance, when dataset.toml records it
};

// Locates the dataset at `path` (a folder, or a nodes.csv file of a bare pair). home_override
// replaces dataset.toml's home (and is required for a bare pair). Problems go to diagnostics;
// nullopt when the dataset cannot be used at all.
std::optional<Dataset> open_dataset(const std::filesystem::path& path,
                                    const std::optional<std::string>& home_override,
                                    Diagnostics& diagnostics);

// The snapshot of `year`, or the latest when year is empty; nullptr (with a diagnostic) if absent.
const SnapshotFiles* select_snapshot(const Dataset& dataset, std::optional<int> year,
                                     Diagnostics& diagnostics);

bool is_country_code(std::string_view s);  // three upper-case ASCII letters

}  // namespace scgraph
