#pragma once
// Proven upper bounds on every node's knockout loss from one pass over the graph, and the top K
// chokepoints certified exactly from them.
//
// Why it holds: a knockout lowers a consumer's availability by at most the share-weighted sum of
// what its suppliers lost (min and the cap at 1 are 1-Lipschitz; a max over requirements is at
// most their sum), so the loss spreads along supply paths diluted by share x efficiency. Summing
// those path products downstream, in reverse topological order, bounds every node's loss at
// once. Inside a cycle the dilution is not guaranteed, so a cyclic component is charged in full
// (every member lost) to anything that feeds it.
#include <cstddef>
#include <vector>

#include "knockout.hpp"
#include "model.hpp"
#include "reliance.hpp"

namespace scgraph {

struct LossBounds {
  std::vector<double> loss, domestic_loss;  // per node, same scale as KnockoutImpact (fraction of W)
};

LossBounds loss_upper_bounds(const SupplyGraph& graph, const NodeValues& base);

struct RankedImpact {
  NodeId node;
  KnockoutImpact impact;
};

// The ranking order of chokepoints: domestic_loss, then loss (both descending), then id.
bool ranks_before(const SupplyGraph& graph, const RankedImpact& a, const RankedImpact& b);

struct CertifiedTopK {
  std::vector<RankedImpact> top;  // exact, in ranking order; size min(k, nodes)
  std::size_t exact_evaluations = 0;
  // The largest bounds among nodes never evaluated exactly (0 when all were evaluated).
  double remaining_domestic_bound = 0, remaining_loss_bound = 0;
};

// Exact knockouts in bound order until the k-th exact result provably beats every bound left.
CertifiedTopK certified_top_k(const SupplyGraph& graph, const NodeValues& base, const LossBounds& bounds,
                              std::size_t k, unsigned threads = 0);

}  // namespace scgraph
