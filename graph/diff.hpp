#pragma once
// What changed between two snapshots, and how much each change moved the self-reliance figures.
//
// Attribution is sequential: starting from the earlier snapshot, the changes are applied one at a
// time in a fixed order (groups in ChangeGroup order, then by id within a group) and each change
// is credited with the move of the figures it caused. The credits telescope, so they add up to the
// total move exactly (up to floating-point rounding); a change applied later is credited with its
// interactions with the changes before it. Every intermediate state is a valid graph: a node's
// attributes, a node's value and a requirement's suppliers are each taken whole from one snapshot
// or the other, and supply entries naming a node that is absent in the state are dropped.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"

namespace scgraph {

enum class ChangeKind { added, removed, changed };
std::string_view to_string(ChangeKind k);

struct FieldChange {
  std::string field;  // name, kind, stage, country, origin, owner, value
  std::string before, after;
};

struct NodeDiff {
  std::string id;
  ChangeKind change = ChangeKind::changed;
  std::vector<FieldChange> fields;  // for changed nodes: the fields that differ
};

struct EdgeDiff {
  std::string supplier, consumer, input;
  ChangeKind change = ChangeKind::changed;
  std::optional<double> share_before, share_after, efficiency_before, efficiency_after;
};

// The order in which change groups are applied.
enum class ChangeGroup { nodes_removed, nodes_added, nodes_reclassified, values, supply };
inline constexpr std::size_t change_group_count = 5;
std::string_view to_string(ChangeGroup g);

// The move of the three figures (a figure that cannot be computed in a state counts as 0).
struct MetricMove {
  double nominal = 0, effective = 0, localization = 0;
  MetricMove& operator+=(const MetricMove& o) {
    nominal += o.nominal;
    effective += o.effective;
    localization += o.localization;
    return *this;
  }
};

// One unit of attribution: a node added or removed, a node's attributes (origin, country, kind,
// stage, name, owner) changed, a node's value changed, or the suppliers of one requirement
// (consumer, input) changed.
struct AttributedChange {
  ChangeGroup group = ChangeGroup::supply;
  std::string subject;  // node id, or "consumer / input" for supply
  std::string description;
  std::optional<MetricMove> contribution;  // empty when attributed per group only
};

struct DiffOptions {
  // Attribution per change costs one evaluation of the graph per change; above this many
  // (changes x graph size) it is done per group instead (one evaluation per group).
  double per_change_budget = 5e7;
};

struct DiffResult {
  std::vector<NodeDiff> nodes;  // by id
  std::vector<EdgeDiff> edges;  // by consumer, input, supplier
  std::vector<AttributedChange> changes;  // in the order applied
  std::array<MetricMove, change_group_count> by_group{};
  std::array<std::size_t, change_group_count> group_sizes{};
  MetricMove total;       // figures of the later snapshot minus the earlier, as the attribution computed them
  bool per_change = true;  // false: only by_group is attributed
};

DiffResult diff_snapshots(const SupplyGraph& from, const SupplyGraph& to, const DiffOptions& options = {});

inline constexpr const char* attribution_method =
    "sequential: changes applied one at a time from the earlier snapshot, in the order nodes removed, "
    "nodes added, nodes reclassified (origin, country, kind, stage, name, owner), values, supply "
    "(suppliers of one requirement), by id within each group; each change is credited with the move it "
    "caused, so the credits add up to the total move";

}  // namespace scgraph
