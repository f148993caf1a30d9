#pragma once
// Chokepoints: every node (or every country, or every owner, knocked out as a group) ranked by
// what its loss costs, with the facts that explain the rank: whether it supplies something
// alone, how concentrated the requirement it matters most to is, its place in the graph, and a
// sentence saying why it matters.
//
// Ranking: domestic_loss (largest first), then loss, then id in byte order. There is no
// composite score; `ranking_formula` says so in words for every output.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "knockout.hpp"
#include "model.hpp"
#include "reliance.hpp"
#include "structure.hpp"

namespace scgraph {

enum class ChokepointGroup { node, country, owner };
std::optional<ChokepointGroup> parse_chokepoint_group(std::string_view text);
std::string_view to_string(ChokepointGroup group);

inline constexpr std::string_view chokepoint_ranking = "domestic_loss";
inline constexpr std::string_view chokepoint_ranking_formula =
    "domestic_loss descending, then loss descending, then id (no composite score)";

// Supply shares at or below this are "nothing left": the threshold of sole source.
inline constexpr double sole_source_tolerance = 1e-9;

// How concentrated one requirement's supply is.
struct RequirementConcentration {
  ReqId requirement = 0;
  double hhi = 0;            // 10000 * sum of share^2 (unmapped supply is no supplier)
  double top_share = 0;      // the largest single share
  double foreign_share = 0;  // sum of the shares of foreign producers
  double unmapped = 0;
  // Countries (by their summed shares, largest first) needed to reach 75 % of the requirement;
  // nullopt when the suppliers with a country never reach 75 % (unmapped supply or aggregates
  // without a country make up the rest).
  std::optional<std::uint32_t> countries_to_75;
};
RequirementConcentration requirement_concentration(const SupplyGraph& graph, ReqId requirement);

// One requirement of a node outside `members` that members supply: their summed share in it, and
// whether they supply it alone (the other suppliers' shares plus unmapped supply < 1e-9).
struct SuppliedRequirement {
  NodeId consumer;
  ReqId requirement;
  double share;
  bool sole_source;
};
// Ordered by consumer (NodeId), then requirement.
std::vector<SuppliedRequirement> supplied_requirements(const SupplyGraph& graph, std::span<const NodeId> members);

// Rows shown; the computation always covers everything. For a group row a condition holds when
// any member meets it.
struct ChokepointFilter {
  std::vector<Kind> kinds;
  std::vector<std::string> stages;
  std::optional<Origin> origin;
  std::vector<std::string> countries;
  double min_loss = 0;  // loss >= min_loss
  [[nodiscard]] bool empty() const {
    return kinds.empty() && stages.empty() && !origin && countries.empty() && min_loss <= 0;
  }
};

struct ChokepointOptions {
  ChokepointGroup group = ChokepointGroup::node;
  ChokepointFilter filter;
  std::size_t top = 0;  // rows kept after filtering; 0 = all
  unsigned threads = 0;  // 0 = all cores; results do not depend on it
  bool structure = true;  // betweenness (node rows) and leaf connectivity (chips)
  std::size_t structure_node_limit = default_structure_node_limit;
  // Every node knocked out exactly even when only the top rows are shown (otherwise an unfiltered
  // --top ranking is certified from loss bounds, see loss_bounds.hpp).
  bool exact_all = false;
  WorkProgress* progress = nullptr;  // how far the knockouts are; not owned
};

// Where a chokepoint's share of a requirement is largest (ties: the heavier consumer, then id).
struct LargestShare {
  NodeId consumer = 0;
  std::string input;
  double share = 0;  // the chokepoint's (the group's summed) share
  RequirementConcentration concentration;
};

struct ChokepointRow {
  std::size_t rank = 0;  // 1-based position in the full ranking, before filters
  std::string id, name;  // a group: its country code or owner name
  std::optional<Kind> kind;      // node rows only
  std::optional<Origin> origin;  // node rows only
  std::string stage, country, owner;  // a group's country: the one all members share, else empty
  std::vector<NodeId> members;        // the node itself, or the group's members by id
  KnockoutImpact impact;
  bool sole_source = false;
  std::uint32_t sole_source_requirements = 0;  // requirements of others it supplies alone
  std::vector<std::string> sole_source_inputs;  // their distinct inputs, ascending
  std::optional<LargestShare> largest_share;    // empty when it supplies nobody outside itself
  std::optional<double> betweenness;            // node rows, when computed
  std::optional<std::uint32_t> connectivity;    // chips, when computed (see structure.hpp)
  std::string reason;                           // why it matters, in one sentence
};

struct ChokepointRanking {
  ChokepointGroup group = ChokepointGroup::node;
  std::size_t candidates = 0;       // rows in the full ranking
  bool certified_top = false;       // top rows found from loss bounds without knocking out all
  std::size_t knockouts = 0;        // exact knockouts computed (of single nodes and of sets)
  std::size_t set_knockouts = 0;    // of those, sets of nodes whose figures bound each member's
  // With certified_top: proven upper bounds on the domestic_loss and the loss of every node
  // outside the rows (their figures were not computed exactly).
  double remaining_domestic_bound = 0, remaining_loss_bound = 0;
  std::string betweenness_note, connectivity_note;
  std::vector<ChokepointRow> rows;  // shown rows, in ranking order
};

ChokepointRanking rank_chokepoints(const SupplyGraph& graph, const NodeValues& base, const ChokepointOptions& options);

}  // namespace scgraph
