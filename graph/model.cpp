#include "model.hpp"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <stdexcept>

#include "huge_pages.hpp"

namespace scgraph {

std::optional<Kind> parse_kind(std::string_view text) {
  for (std::size_t k = 0; k < std::size(kind_names); ++k) {
    std::string_view name = kind_names[k];
    if (name.size() != text.size()) continue;
    bool same = std::equal(name.begin(), name.end(), text.begin(), [](char a, char b) {
      return a == ((b >= 'A' && b <= 'Z') ? char(b - 'A' + 'a') : b);
    });
    if (same) return static_cast<Kind>(k);
  }
  return std::nullopt;
}

std::string_view to_string(Kind k) { return kind_names[static_cast<std::size_t>(k)]; }

std::string_view to_string(Origin o) {
  switch (o) {
    case Origin::domestic: return "domestic";
    case Origin::foreign: return "foreign";
    case Origin::aggregate: return "aggregate";
  }
  return "aggregate";
}

namespace {
// The distinct supplier -> consumer pairs in consumer order, each consumer's suppliers ascending.
// Boost's constructor distributes them by supplier with a stable counting sort, so every row of
// the structure graph comes out sorted without a global sort of the pairs.
std::vector<std::pair<std::uint32_t, std::uint32_t>> distinct_relations(const GraphParts& p) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  reserve_huge(pairs, p.entries.size());
  std::vector<NodeId> suppliers;
  const std::size_t nodes = p.kind.size();
  for (NodeId v = 0; v < nodes; ++v) {
    const EntryId first = p.entry_begin[p.req_begin[v]], last = p.entry_begin[p.req_begin[v + 1]];
    suppliers.clear();
    for (EntryId e = first; e < last; ++e) suppliers.push_back(p.entries[e].supplier);
    // Entries are sorted by supplier within each requirement: one requirement needs no sort.
    if (p.req_begin[v + 1] - p.req_begin[v] > 1) std::sort(suppliers.begin(), suppliers.end());
    for (std::size_t i = 0; i < suppliers.size(); ++i)
      if (i == 0 || suppliers[i] != suppliers[i - 1]) pairs.emplace_back(suppliers[i], v);
  }
  return pairs;
}
}  // namespace

SupplyGraph::SupplyGraph(GraphParts parts) : p_(std::move(parts)) { build(/*index_ids=*/true); }

SupplyGraph::SupplyGraph(GraphParts parts, StringIndex id_index) : p_(std::move(parts)), id_index_(std::move(id_index)) {
  build(/*index_ids=*/false);
}

void SupplyGraph::build(bool index_ids) {
  std::size_t n = p_.kind.size();
  if (p_.req_begin.size() != n + 1 || p_.entry_begin.size() != p_.req_input.size() + 1)
    throw std::logic_error("SupplyGraph: inconsistent requirement arrays");
  const std::size_t requirements = p_.req_input.size();
  reserve_huge(req_consumer_, requirements);
  reserve_huge(unmapped_, requirements);
  req_consumer_.resize(requirements);
  unmapped_.resize(requirements);
  for (NodeId v = 0; v < n; ++v) {
    for (ReqId r = p_.req_begin[v]; r < p_.req_begin[v + 1]; ++r) {
      req_consumer_[r] = v;
      double sum = 0;
      for (const auto& e : suppliers(r)) sum += e.share;
      unmapped_[r] = std::max(0.0, 1.0 - sum);
    }
  }
  for (double w : p_.value) total_weight_ += w;

  {
    auto pairs = distinct_relations(p_);
    structure_ = StructureGraph(boost::edges_are_unsorted_multi_pass, pairs.begin(), pairs.end(),
                                static_cast<std::uint32_t>(n));
  }
  if (index_ids) id_index_.build(p_.ids);
  order_components();
}

void SupplyGraph::order_components() {
  std::size_t n = node_count();
  component_of_.assign(n, 0);
  std::size_t count = n == 0 ? 0 : boost::strong_components(
      structure_, boost::make_iterator_property_map(component_of_.begin(), get(boost::vertex_index, structure_)));
  // Tarjan numbers a component when it is finished, so sinks (final consumers) come first:
  // reversing the numbers puts every supplier's component before its consumers'.
  for (auto& c : component_of_) c = static_cast<std::uint32_t>(count - 1 - c);
  std::vector<std::uint32_t> start(count + 1, 0);
  for (NodeId v = 0; v < n; ++v) ++start[component_of_[v] + 1];
  for (std::size_t c = 0; c < count; ++c) start[c + 1] += start[c];
  topo_order_.assign(n, 0);
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (NodeId v = 0; v < n; ++v) topo_order_[fill[component_of_[v]]++] = v;
  components_.resize(count);
  for (std::size_t c = 0; c < count; ++c) components_[c] = {start[c], start[c + 1], start[c + 1] - start[c] > 1};
}

std::string_view SupplyGraph::name(NodeId v) const {
  std::string_view n = p_.names.empty() ? std::string_view{} : p_.names[v];
  return n.empty() ? id(v) : n;
}

std::optional<NodeId> SupplyGraph::find(std::string_view id) const {
  std::uint32_t i = id_index_.find(p_.ids, id);
  if (i == StringIndex::npos) return std::nullopt;
  return i;
}

std::size_t SupplyGraph::relation_count() const { return num_edges(structure_); }

std::span<const NodeId> SupplyGraph::consumers_of(NodeId v) const {
  const auto& fwd = structure_.m_forward;
  return {fwd.m_column.data() + fwd.m_rowstart[v], fwd.m_column.data() + fwd.m_rowstart[v + 1]};
}

std::span<const NodeId> SupplyGraph::suppliers_of(NodeId v) const {
  const auto& bwd = structure_.m_backward;
  return {bwd.m_column.data() + bwd.m_rowstart[v], bwd.m_column.data() + bwd.m_rowstart[v + 1]};
}

}  // namespace scgraph
