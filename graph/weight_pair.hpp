#pragma once
// The loss bounds' two weightings at once, and the rule that caps what a loss costs: shared by
// the one-pass bound (loss_bounds.cpp) and the cycles' laps (cycle_reach.cpp).
#include <algorithm>

namespace scgraph {

// Every node's weight (loss) and domestic producers' weight only.
struct WeightPair {
  double all = 0, domestic = 0;
};

// What a loss of t at a node costs, at most: t times its linear reach, and never more than
// losing all of its availability costs; 0 for t = 0 even when the linear reach is unbounded.
inline double capped_cost(double t, double linear, double absolute) { return t <= 0 ? 0.0 : std::min(absolute, t * linear); }

inline WeightPair capped_cost(double t, const WeightPair& linear, const WeightPair& absolute) {
  return {capped_cost(t, linear.all, absolute.all), capped_cost(t, linear.domestic, absolute.domestic)};
}

}  // namespace scgraph
