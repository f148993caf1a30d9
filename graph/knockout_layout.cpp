#include "knockout_layout.hpp"

namespace scgraph {

KnockoutLayout::KnockoutLayout(const SupplyGraph& g) {
  const auto order = g.topological_order();
  req_begin_.reserve(g.node_count() + 1);
  entry_begin_.reserve(g.requirement_count() + 1);
  unmapped_.reserve(g.requirement_count());
  supplier_.reserve(g.entry_count());
  product_.reserve(g.entry_count());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    const NodeId v = order[i];
    req_begin_.push_back(static_cast<std::uint32_t>(unmapped_.size()));
    for (ReqId r = g.req_begin(v); r < g.req_end(v); ++r) {
      entry_begin_.push_back(static_cast<std::uint32_t>(product_.size()));
      unmapped_.push_back(g.unmapped(r));
      for (const auto& e : g.suppliers(r)) {
        supplier_.push_back(e.supplier);
        product_.push_back(e.share * e.efficiency);
      }
    }
  }
  req_begin_.push_back(static_cast<std::uint32_t>(unmapped_.size()));
  entry_begin_.push_back(static_cast<std::uint32_t>(product_.size()));
}

}  // namespace scgraph
