#pragma once
// Proven bounds on what a drop entering a cyclic component costs, member by member, where the
// one-pass linear series diverges (members that buy from each other in several requirements).
//
// Inside the component a drop obeys delta(c) <= (M delta)(c) = max over requirements r of
// sum p * delta(s), over the suppliers s in the component (p = share x efficiency; slack and the
// cap at 1 only lower it). Bounding the drop by the least solution of E = M E + (what enters), a
// unit entering at c costs at most G(c) = own . E_c, own(v) being what a unit at v costs by
// itself (its weight and its consumers outside). E is subadditive in what enters, so
//   G(c) <= own(c) + sum over c's consumers c' inside of q * G(c')        (one step)
// (q: c's largest p among c''s requirements); the trouble is only the loops. Split the links into
// D, to a later member in the component's order, and F, to an earlier one (the few links that
// close the loops): M <= M_D + M_F, and D has no cycle. Call the members that F links enter the
// ends. For each end t:
//  * its spread S_D(1_t) through D is computed exactly, keeping the max over requirements, in
//    member order, until the drop times what a unit there may cost is negligible (what is left
//    is charged in full: its linear reach through D, which is finite, and what it may send back
//    into the ends);
//  * what re-enters the ends after that spread is at most y(t'') = sum over F links into t'' of
//    p * S_D(1_t)(s); a unit entering every end at once costs Psi = own . X, X the least solution
//    of X = M X + 1_ends (found once, from below, and checked), so G(t) <= own . S_D(1_t) +
//    max(y) * Psi;
//  * and G(t) <= own . S_D(1_t) + sum over y(t'') * G(t''): steps of that from the bounds above
//    can only lower them, and keep them bounds.
// Every member then takes the one-step relation in reverse member order, an F consumer t at its
// end's bound. The same pass, each consumer charged the smaller of its linear reach times what it
// loses and what losing all of its own costs, bounds what a member losing all of a costs. No
// bound (false) when X does not settle: a set of members that can keep a drop going round.
#include <cstdint>
#include <span>
#include <vector>

#include "model.hpp"
#include "weight_pair.hpp"

namespace scgraph {

// What the component's members cost by themselves, by member index.
struct CycleCosts {
  std::span<const WeightPair> own;           // a unit drop at the member: its weight and its consumers outside
  std::span<const WeightPair> own_absolute;  // the member losing all of a: the same, capped like the one-pass bound
  std::span<const double> availability;      // a, per member
  WeightPair all_lost;                       // the whole component and its downstream lost
};

// Per member: linear, a bound for a unit drop entering it (any drop t costs at most t * linear);
// absolute, a bound for the member losing all of its availability.
struct CycleReach {
  std::vector<WeightPair> linear, absolute;
};

// position[v] is v's index in `members`, for every member v. A spread stops at a member where
// the drop times what a unit there may cost (all weights) is at most `negligible`. Returns false,
// leaving `out` as it was, when a drop can go round the loops without fading.
bool bound_cycle_reach(const SupplyGraph& graph, std::uint32_t component, std::span<const NodeId> members,
                       std::span<const std::uint32_t> position, const CycleCosts& costs, double negligible,
                       unsigned threads, CycleReach& out);

}  // namespace scgraph
