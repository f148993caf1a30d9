#include "model.hpp"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <stdexcept>

#include "huge_pages.hpp"
#include "prefault.hpp"

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
// Fills the structure graph's arrays directly, as Boost's constructor from unsorted pairs would
// (same rows, same order, same edge indexes), without the array of pairs it takes and its own
// zero-filled copies. A consumer's distinct suppliers, ascending, are exactly its row of the
// backward (in-edge) structure; counting them per supplier gives the forward rows, which are
// filled in consumer order, so each supplier's consumers come out ascending too.
//
// g comes with its vertices and room for as many relations as there are entries.
void build_structure(const GraphParts& p, StructureGraph& g) {
  const std::size_t nodes = p.kind.size();
  auto& forward = g.m_forward;
  auto& backward = g.m_backward;
  for (NodeId v = 0; v < nodes; ++v) {
    const EntryId first = p.entry_begin[p.req_begin[v]], last = p.entry_begin[p.req_begin[v + 1]];
    const std::size_t row = backward.m_column.size();
    for (EntryId e = first; e < last; ++e) backward.m_column.push_back(p.entries[e].supplier);
    const auto begin = backward.m_column.begin() + static_cast<std::ptrdiff_t>(row);
    // Entries are sorted by supplier within each requirement: one requirement needs no sort.
    if (p.req_begin[v + 1] - p.req_begin[v] > 1) std::sort(begin, backward.m_column.end());
    backward.m_column.erase(std::unique(begin, backward.m_column.end()), backward.m_column.end());
    for (auto it = begin; it != backward.m_column.end(); ++it) ++forward.m_rowstart[*it + 1];
    backward.m_rowstart[v + 1] = static_cast<std::uint32_t>(backward.m_column.size());
  }
  for (std::size_t v = 0; v < nodes; ++v) forward.m_rowstart[v + 1] += forward.m_rowstart[v];
  const std::size_t relations = backward.m_column.size();
  forward.m_column.resize(relations);
  forward.m_edge_properties.resize(relations);  // empty properties, kept as Boost keeps them
  backward.m_edge_properties.resize(relations);
  std::vector<std::uint32_t> next(forward.m_rowstart.begin(), forward.m_rowstart.end() - 1);
  for (NodeId v = 0; v < nodes; ++v)
    for (std::uint32_t k = backward.m_rowstart[v]; k < backward.m_rowstart[v + 1]; ++k) {
      const std::uint32_t e = next[backward.m_column[k]]++;
      forward.m_column[e] = v;
      backward.m_edge_properties[k] = e;
    }
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
  const std::size_t requirements = p_.req_input.size(), entries = p_.entries.size();
  // Every large array is reserved first and faulted in on another core, in the order the steps
  // below fill them (see prefault.hpp). Relations are at most the entries: room beyond them is
  // faulted in for nothing, a few bytes per entry that merges duplicate pairs.
  reserve_huge(req_consumer_, requirements);
  reserve_huge(unmapped_, requirements);
  structure_ = StructureGraph(static_cast<std::uint32_t>(n));
  auto& forward = structure_.m_forward;
  auto& backward = structure_.m_backward;
  for (auto* v : {&backward.m_column, &forward.m_column, &backward.m_edge_properties}) reserve_huge(*v, entries);
  reserve_huge(component_of_, n);
  reserve_huge(topo_order_, n);
  BackgroundPrefault prefault;
  prefault.start({{room_of(req_consumer_, requirements), room_of(unmapped_, requirements)},
                  {room_of(backward.m_column, entries)},
                  {room_of(forward.m_column, entries), room_of(backward.m_edge_properties, entries)},
                  {room_of(component_of_, n), room_of(topo_order_, n)}});
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

  build_structure(p_, structure_);
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
  in_own_cycle_.assign((p_.entries.size() + 63) / 64, 0);
  for (const auto& c : components_) {
    if (!c.cyclic) continue;
    for (std::uint32_t i = c.begin; i < c.end; ++i) {
      const NodeId v = topo_order_[i];
      for (EntryId e = p_.entry_begin[req_begin(v)]; e < p_.entry_begin[req_end(v)]; ++e)
        if (component_of_[p_.entries[e].supplier] == component_of_[v]) in_own_cycle_[e >> 6] |= std::uint64_t{1} << (e & 63);
    }
  }
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
