#pragma once
// Self-reliance: per-node direct domestic share d, availability a and effective domestic reliance
// e (the format specification's equations, cycles solved to their greatest fixed point), and the
// snapshot figures built from them.
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"

namespace scgraph {

struct NodeValues {
  std::vector<double> direct, availability, effective;
};

// A knockout forces a = e = 0 on some nodes and/or cuts single supply entries (an entry that is
// cut supplies nothing, but its share is not turned into unmapped supply). Empty vectors: none.
struct Knockout {
  std::vector<char> node_out;   // by NodeId
  std::vector<char> entry_cut;  // by EntryId
  [[nodiscard]] bool out(NodeId v) const { return !node_out.empty() && node_out[v]; }
  [[nodiscard]] bool cut(EntryId e) const { return !entry_cut.empty() && entry_cut[e]; }
};

inline constexpr double fixed_point_tolerance = 1e-12;

NodeValues evaluate(const SupplyGraph& graph, const Knockout& knockout = {});

// One node's equations given its suppliers' current values, used by evaluate(); the knockout
// engine repeats node_supply()'s arithmetic on its own layout and gets the same bits.
// Availability and effective reliance (what a knockout can change):
struct Supply {
  double availability, effective;
};
Supply node_supply(const SupplyGraph& graph, NodeId v, const NodeValues& values, const Knockout& knockout);
// Direct domestic share (a producer's own, an aggregate's from its suppliers'):
double node_direct(const SupplyGraph& graph, NodeId v, const double* direct);

// Localization of one domestic producer: the mean over its requirements of the direct domestic
// share of what supplies them. nullopt for other nodes and nodes without requirements.
std::optional<double> node_localization(const SupplyGraph& graph, NodeId v, const NodeValues& values);

struct Figures {
  std::optional<double> nominal, effective, localization, availability;  // empty: no weight to average
  double weight = 0;
  std::size_t nodes = 0;
};

// Figures over the nodes where include(v) holds (all nodes when include is empty).
Figures summarize(const SupplyGraph& graph, const NodeValues& values, const std::vector<char>& include = {});

enum class GroupBy { kind, stage, country };
std::optional<GroupBy> parse_group_by(std::string_view text);

struct GroupFigures {
  std::string group;
  Figures figures;
};
// One row per group value, sorted by group name (nodes without a stage/country form the group "").
std::vector<GroupFigures> summarize_by(const SupplyGraph& graph, const NodeValues& values, GroupBy by);

}  // namespace scgraph
