#pragma once
// Reads one snapshot's nodes.csv and edges.csv, checks every rule of the format, and builds the
// immutable SupplyGraph. Every problem is reported (not only the first); no graph is returned
// when any error stands.
#include <cstddef>
#include <optional>
#include <string>

#include "dataset.hpp"
#include "diagnostics.hpp"
#include "model.hpp"
#include "work_progress.hpp"

namespace scgraph {

struct LoadLimits {
  std::size_t max_field_bytes = 1 << 20;
  std::size_t max_nodes = 100'000'000;
  std::size_t max_edges = 1'000'000'000;
};

std::optional<SupplyGraph> load_snapshot(const SnapshotFiles& files, const std::string& home,
                                         Diagnostics& diagnostics, const LoadLimits& limits = {},
                                         WorkProgress* progress = nullptr);

}  // namespace scgraph
