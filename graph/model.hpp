#pragma once
// The supply graph of one snapshot: built once by the loader, immutable afterwards, shared by
// every algorithm.
//
// Two views of the same edges, each where it serves best:
//  * requirements (by consumer): node -> its requirements (AND) -> their suppliers (OR) with share
//    and efficiency, in compressed arrays, for the reliance equations;
//  * structure(): a Boost compressed-sparse-row bidirectional graph of the distinct
//    supplier -> consumer relations, for traversals, strong components and centrality.
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "string_table.hpp"

namespace scgraph {

using NodeId = std::uint32_t;
using ReqId = std::uint32_t;
using EntryId = std::uint32_t;

enum class Kind : std::uint8_t { material, equipment, eda, ip, design, fab, packaging, chip, category };
inline constexpr std::string_view kind_names[] = {"material",  "equipment", "eda",  "ip",      "design",
                                                  "fab",       "packaging", "chip", "category"};
std::optional<Kind> parse_kind(std::string_view text);  // case-insensitive
std::string_view to_string(Kind k);

// Aggregates (kind category with neither origin nor country) take their share from suppliers.
enum class Origin : std::uint8_t { domestic, foreign, aggregate };
std::string_view to_string(Origin o);

using StructureGraph =
    boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, boost::no_property,
                                       boost::no_property, std::uint32_t, std::uint32_t>;

// One supplier of one requirement.
struct SupplyEntry {
  NodeId supplier;
  double share;       // in (0,1]
  double efficiency;  // in (0,1]
};

// Everything the loader hands over; SupplyGraph takes it and derives the rest.
struct GraphParts {
  std::string home;
  // nodes
  StringTable ids, names;  // names[v] empty means: display the id
  std::vector<Kind> kind;
  std::vector<Origin> origin;
  StringTable stages, countries, owners;  // interned values, index 0 = "" (none)
  std::vector<std::uint32_t> stage, country, owner;
  std::vector<double> value;  // weights: value_musd, or 1 when the column is absent
  bool has_value_column = false;
  std::vector<std::string> attribute_names;  // extra columns, in file order
  std::vector<StringTable> attributes;       // attributes[k][v]
  // requirements, grouped by consumer, each consumer's sorted by input name
  std::vector<std::uint32_t> req_begin;    // size nodes+1: requirements of v are [req_begin[v], req_begin[v+1])
  StringTable inputs;                      // interned input names
  std::vector<std::uint32_t> req_input;    // size R: index into inputs
  std::vector<std::uint32_t> entry_begin;  // size R+1: entries of r are [entry_begin[r], entry_begin[r+1])
  std::vector<SupplyEntry> entries;        // sorted by supplier id within a requirement
};

class SupplyGraph {
 public:
  explicit SupplyGraph(GraphParts parts);
  // With the index of parts.ids already built (by the loader), so that it is not built twice.
  SupplyGraph(GraphParts parts, StringIndex id_index);
  SupplyGraph(const SupplyGraph&) = delete;
  SupplyGraph& operator=(const SupplyGraph&) = delete;
  SupplyGraph(SupplyGraph&&) = default;
  SupplyGraph& operator=(SupplyGraph&&) = default;

  [[nodiscard]] std::size_t node_count() const { return p_.kind.size(); }
  [[nodiscard]] std::size_t requirement_count() const { return p_.req_input.size(); }
  [[nodiscard]] std::size_t entry_count() const { return p_.entries.size(); }
  [[nodiscard]] const std::string& home() const { return p_.home; }

  // node attributes
  [[nodiscard]] std::string_view id(NodeId v) const { return p_.ids[v]; }
  [[nodiscard]] std::string_view name(NodeId v) const;  // the id when no name was given
  [[nodiscard]] Kind kind(NodeId v) const { return p_.kind[v]; }
  [[nodiscard]] Origin origin(NodeId v) const { return p_.origin[v]; }
  [[nodiscard]] bool is_domestic(NodeId v) const { return p_.origin[v] == Origin::domestic; }
  [[nodiscard]] bool is_aggregate(NodeId v) const { return p_.origin[v] == Origin::aggregate; }
  [[nodiscard]] std::string_view stage(NodeId v) const { return p_.stages[p_.stage[v]]; }
  [[nodiscard]] std::string_view country(NodeId v) const { return p_.countries[p_.country[v]]; }
  [[nodiscard]] std::string_view owner(NodeId v) const { return p_.owners[p_.owner[v]]; }
  [[nodiscard]] std::uint32_t stage_index(NodeId v) const { return p_.stage[v]; }
  [[nodiscard]] std::uint32_t country_index(NodeId v) const { return p_.country[v]; }
  [[nodiscard]] std::uint32_t owner_index(NodeId v) const { return p_.owner[v]; }
  [[nodiscard]] const StringTable& stage_table() const { return p_.stages; }
  [[nodiscard]] const StringTable& country_table() const { return p_.countries; }
  [[nodiscard]] const StringTable& owner_table() const { return p_.owners; }
  [[nodiscard]] double weight(NodeId v) const { return p_.value[v]; }
  [[nodiscard]] double total_weight() const { return total_weight_; }
  [[nodiscard]] bool has_value_column() const { return p_.has_value_column; }
  [[nodiscard]] const std::vector<std::string>& attribute_names() const { return p_.attribute_names; }
  [[nodiscard]] std::string_view attribute(std::size_t k, NodeId v) const { return p_.attributes[k][v]; }
  [[nodiscard]] std::optional<NodeId> find(std::string_view id) const;

  // requirements
  [[nodiscard]] ReqId req_begin(NodeId v) const { return p_.req_begin[v]; }
  [[nodiscard]] ReqId req_end(NodeId v) const { return p_.req_begin[v + 1]; }
  [[nodiscard]] std::size_t requirement_count(NodeId v) const { return req_end(v) - req_begin(v); }
  [[nodiscard]] std::string_view input(ReqId r) const { return p_.inputs[p_.req_input[r]]; }
  [[nodiscard]] NodeId consumer(ReqId r) const { return req_consumer_[r]; }
  [[nodiscard]] std::span<const SupplyEntry> suppliers(ReqId r) const {
    return {p_.entries.data() + p_.entry_begin[r], p_.entries.data() + p_.entry_begin[r + 1]};
  }
  [[nodiscard]] EntryId entry_begin(ReqId r) const { return p_.entry_begin[r]; }
  [[nodiscard]] double unmapped(ReqId r) const { return unmapped_[r]; }

  // Strong components of the supply relation in topological order, suppliers first; the members
  // of a component are adjacent in topological_order(). A component is cyclic when it has more
  // than one member (self-loops are refused by the loader).
  struct Component {
    std::uint32_t begin, end;
    bool cyclic;
  };
  [[nodiscard]] std::span<const NodeId> topological_order() const { return topo_order_; }
  [[nodiscard]] std::span<const Component> components() const { return components_; }
  [[nodiscard]] std::uint32_t component_of(NodeId v) const { return component_of_[v]; }
  // Whether entry e's supplier sits in the same cyclic component as its consumer: inside a cycle
  // a requirement sums those suppliers last (node_supply()).
  [[nodiscard]] bool supplier_in_own_cycle(EntryId e) const { return (in_own_cycle_[e >> 6] >> (e & 63)) & 1; }

  // Everything the graph was built from, to derive a changed graph (what-if scenarios).
  [[nodiscard]] const GraphParts& parts() const { return p_; }

  // structure: distinct supplier -> consumer relations
  [[nodiscard]] const StructureGraph& structure() const { return structure_; }
  [[nodiscard]] std::size_t relation_count() const;
  // Distinct consumers that v supplies, ascending.
  [[nodiscard]] std::span<const NodeId> consumers_of(NodeId v) const;
  // Distinct suppliers of v, ascending.
  [[nodiscard]] std::span<const NodeId> suppliers_of(NodeId v) const;

 private:
  void build(bool index_ids);
  void order_components();
  GraphParts p_;
  std::vector<NodeId> req_consumer_;
  std::vector<double> unmapped_;
  double total_weight_ = 0;
  StructureGraph structure_;
  StringIndex id_index_;
  std::vector<NodeId> topo_order_;
  std::vector<Component> components_;
  std::vector<std::uint32_t> component_of_;
  std::vector<std::uint64_t> in_own_cycle_;  // a bit per entry
};

}  // namespace scgraph
