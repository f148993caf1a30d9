#pragma once
// What-if scenarios applied to a snapshot, in the format specification's order: domesticize and
// add edges, then knock out the banned countries' and removed nodes (or, with direct_only, cut
// only their edges into domestic producers), optionally letting the surviving suppliers of a
// requirement fill the lost share in proportion.
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "model.hpp"
#include "reliance.hpp"
#include "scenario.hpp"

namespace scgraph {

// Availability at or below this counts as zero (cycles converge to zero only approximately).
inline constexpr double zero_availability = 1e-9;

struct MovedNode {
  NodeId node;
  double availability_before, availability_after, effective_before, effective_after;
};

struct WhatIfResult {
  Figures before, after;
  std::vector<NodeId> knocked_out;  // ascending id text
  std::vector<NodeId> failed;       // a > 0 before and a = 0 after, ascending id text
  std::vector<MovedNode> moved;     // largest change of availability or effective reliance first
  std::size_t cut_edges = 0;        // with direct_only
  std::vector<std::string> notes;   // what the scenario did that a reader should know
};

// Applies the scenario; unknown ids and countries without nodes become diagnostics (errors for
// ids, which would make the answer misleading; a warning for a country with no nodes).
std::optional<WhatIfResult> run_whatif(const SupplyGraph& graph, const Scenario& scenario, Diagnostics& diagnostics,
                                       std::size_t moved_limit = 10);

// A scenario kept in the dataset may name nodes that only some years have (validate warns about
// them): drops those ids from s and returns one note per id dropped, so that run_whatif answers
// for the rest instead of refusing.
std::vector<std::string> skip_absent_ids(const SupplyGraph& graph, Scenario& s);

// The graph with domesticize and add_edge applied (shared with chokepoint ranking of scenarios).
SupplyGraph apply_structural_changes(const SupplyGraph& graph, const Scenario& scenario, std::vector<std::string>& notes);

// The nodes a ban of these countries (restricted to kinds, when given) knocks out.
std::vector<char> banned_nodes(const SupplyGraph& graph, const std::vector<std::string>& countries,
                               const std::vector<Kind>& kinds);

}  // namespace scgraph
