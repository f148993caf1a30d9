#include "knockout_layout.hpp"

namespace scgraph {

KnockoutLayout::KnockoutLayout(const SupplyGraph& g) {
  const auto order = g.topological_order();
  req_begin_.reserve(g.node_count() + 1);
  entry_begin_.reserve(g.requirement_count() + 1);
  unmapped_.reserve(g.requirement_count());
  supplier_.reserve(g.entry_count());
  product_.reserve(g.entry_count());
  inside_begin_.reserve(g.requirement_count());
  position_.resize(g.node_count());
  kind_.resize(g.node_count());
  weight_.resize(g.node_count());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    const NodeId v = order[i];
    position_[v] = i;
    weight_[i] = g.weight(v);
    const bool aggregate = g.is_aggregate(v), domestic = g.is_domestic(v);
    kind_[i] = static_cast<std::uint8_t>((aggregate || domestic ? sums_e : 0) | (domestic ? is_domestic : 0) |
                                         (aggregate ? is_aggregate : 0));
  }
  auto add = [&](const SupplyEntry& e) {
    supplier_.push_back(position_[e.supplier]);
    product_.push_back(e.share * e.efficiency);
  };
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    const NodeId v = order[i];
    req_begin_.push_back(static_cast<std::uint32_t>(unmapped_.size()));
    for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
      entry_begin_.push_back(static_cast<std::uint32_t>(product_.size()));
      unmapped_.push_back(g.unmapped(r));
      // node_supply()'s summation order: inside a cycle, suppliers outside it first.
      const EntryId first = g.entry_begin(r), last = first + static_cast<EntryId>(g.suppliers(r).size());
      for (EntryId e = first; e < last; ++e)
        if (!g.supplier_in_own_cycle(e)) add(g.suppliers(r)[e - first]);
      inside_begin_.push_back(static_cast<std::uint32_t>(product_.size()));
      for (EntryId e = first; e < last; ++e)
        if (g.supplier_in_own_cycle(e)) add(g.suppliers(r)[e - first]);
    }
  }
  req_begin_.push_back(static_cast<std::uint32_t>(unmapped_.size()));
  entry_begin_.push_back(static_cast<std::uint32_t>(product_.size()));
}

}  // namespace scgraph
