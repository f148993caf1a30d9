#pragma once
// Proven upper bounds on every node's knockout loss from one pass over the graph, and the top K
// chokepoints certified exactly from them.
//
// Why they hold (delta = a - a' >= 0, p = share x efficiency):
//  * a consumer loses at most max over its requirements of sum p * delta(supplier) (the cap at 1
//    and the min over requirements are 1-Lipschitz, and the binding requirement after the
//    knockout bounds the drop), hence at most sum over suppliers of q * delta, q = a supplier's
//    largest p among the consumer's requirements (not the sum: one supplier in three
//    requirements of one consumer counts once);
//  * a requirement whose supply exceeds the consumer's availability by `slack` absorbs that much
//    of the knocked-out node's own loss (first hop only: deeper, several losses may share it);
//  * a node never loses more than its own a. So G_v(t), the weighted loss caused by v losing t,
//    is at most min(t * linear(v), absolute(v)), both summed over consumers in reverse
//    topological order; losses reaching one node along several branches are summed (subadditive,
//    never below the truth);
//  * cycles: the greatest fixed point a' is at least a - D for any D that is a super-solution of
//    D >= min(a, q-weighted sums), so a cyclic component's linear reach is solved by iteration
//    and accepted only after checking it is a super-solution; where that series diverges, the
//    component is bounded lap by lap (cycle_reach.hpp), and where a drop could go round it
//    forever, as one block (every member lowered by the same amount).
// A margin covers rounding, and the fixed-point tolerance where the downstream holds a cycle.
#include <cstddef>
#include <vector>

#include "knockout.hpp"
#include "model.hpp"
#include "reliance.hpp"
#include "work_progress.hpp"

namespace scgraph {

struct LossBounds {
  std::vector<double> loss, domestic_loss;  // per node, same scale as KnockoutImpact (fraction of W)
  // Which of equal bounds to try first (larger first): the domestic linear reach without the links
  // that close cycles, times a. An estimate, not a bound.
  std::vector<double> priority;
};

// `threads` for the large cycles' spreads (0: every core); the bounds do not depend on it.
LossBounds loss_upper_bounds(const SupplyGraph& graph, const NodeValues& base, unsigned threads = 0);

struct RankedImpact {
  NodeId node;
  KnockoutImpact impact;
};

// The ranking order of chokepoints: domestic_loss, then loss (both descending), then id.
bool ranks_before(const SupplyGraph& graph, const RankedImpact& a, const RankedImpact& b);

struct CertifiedTopK {
  std::vector<RankedImpact> top;  // exact, in ranking order; size min(k, nodes)
  std::size_t exact_evaluations = 0;  // single nodes knocked out
  std::size_t set_evaluations = 0;    // sets of nodes knocked out together to bound their members
  // The largest figures, exact or proven bounds, among the nodes outside the top (0 when none).
  double remaining_domestic_bound = 0, remaining_loss_bound = 0;
};

// Exact knockouts in bound order until the k-th exact result provably beats every bound left;
// right after the first k, the k nodes with the most consumers that may still beat the k-th, to
// raise the bar early.
// Candidates whose one-pass bound is too loose to rule them out are knocked out in sets first
// (a set's loss bounds each member's, as losses only grow with what is knocked out); only sets
// that stay above the k-th result are split, down to single nodes.
// The result and the number of knockouts do not depend on the thread count.
CertifiedTopK certified_top_k(const SupplyGraph& graph, const NodeValues& base, const LossBounds& bounds,
                              std::size_t k, unsigned threads = 0, WorkProgress* progress = nullptr);

}  // namespace scgraph
