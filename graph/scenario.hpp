#pragma once
// What-if scenarios: changes to a snapshot, given on the command line or kept in the dataset as
// scenarios/NAME.toml so that a team asks the same question of every year's data.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dataset.hpp"
#include "diagnostics.hpp"
#include "model.hpp"

namespace scgraph {

struct AddedEdge {
  std::string supplier, consumer, input;
  double share = 1;
  double efficiency = 1;
};

enum class Substitution { none, proportional };

struct Scenario {
  std::string name;  // file stem, or "command line"
  std::string description;
  std::vector<std::string> ban;        // countries
  std::vector<Kind> ban_kinds;         // empty: every kind of the banned countries
  bool direct_only = false;
  std::vector<std::string> remove;     // node ids
  std::vector<std::string> domesticize;
  Substitution substitution = Substitution::none;
  std::vector<AddedEdge> add_edges;
  std::string file;                    // where it was read from, for diagnostics
};

// Reads scenarios/NAME.toml; every problem goes to diagnostics; nullopt when unusable.
std::optional<Scenario> read_scenario(const std::filesystem::path& file, const std::string& display,
                                      Diagnostics& diagnostics);
// The dataset's scenario files, sorted by name.
std::vector<std::filesystem::path> scenario_files(const Dataset& dataset);
// Parses and checks every scenario of the dataset against one snapshot (unknown ids are warnings
// there: a scenario may name a node that only some years have).
void check_scenarios(const Dataset& dataset, const SupplyGraph& graph, int year, Diagnostics& diagnostics);

}  // namespace scgraph
