#pragma once
// The graph's requirements and entries once more, in topological order of their consumers, with
// share x efficiency multiplied out and every node named by its position in that order, for the
// knockout engine: a wave recomputes nodes in topological order and so reads these arrays, and
// writes its own values, front to back, where the graph's arrays (in id order, 24 bytes an
// entry) cost a cache miss per node. (share x efficiency) x a is what node_supply() computes,
// and the entries come in node_supply()'s order, so the results stay bit-identical. Built once
// per graph and shared by the engines of all threads.
#include <cstdint>
#include <vector>

#include "model.hpp"

namespace scgraph {

class KnockoutLayout {
 public:
  explicit KnockoutLayout(const SupplyGraph& graph);

  // Requirements of the node at a position of the topological order (components().begin and
  // end count in it too), as [first, last) in this layout's numbering.
  [[nodiscard]] std::uint32_t first_requirement(std::uint32_t position) const { return req_begin_[position]; }
  [[nodiscard]] std::uint32_t last_requirement(std::uint32_t position) const { return req_begin_[position + 1]; }
  [[nodiscard]] double unmapped(std::uint32_t r) const { return unmapped_[r]; }
  [[nodiscard]] std::uint32_t first_entry(std::uint32_t r) const { return entry_begin_[r]; }
  [[nodiscard]] std::uint32_t last_entry(std::uint32_t r) const { return entry_begin_[r + 1]; }
  // Within a requirement of a cycle's member, the entries of suppliers in the same cycle come
  // last, from here on (node_supply() sums in this order); elsewhere this is last_entry(r).
  [[nodiscard]] std::uint32_t inside_entry(std::uint32_t r) const { return inside_begin_[r]; }
  // The supplier's position.
  [[nodiscard]] std::uint32_t supplier(std::uint32_t e) const { return supplier_[e]; }
  [[nodiscard]] double product(std::uint32_t e) const { return product_[e]; }  // share x efficiency
  [[nodiscard]] std::uint32_t position(NodeId v) const { return position_[v]; }
  // Whether the node at a position sums e (an aggregate or a domestic producer), and is domestic.
  [[nodiscard]] bool sums_effective(std::uint32_t position) const { return kind_[position] & sums_e; }
  [[nodiscard]] bool domestic(std::uint32_t position) const { return kind_[position] & is_domestic; }
  [[nodiscard]] bool aggregate(std::uint32_t position) const { return kind_[position] & is_aggregate; }
  [[nodiscard]] double weight(std::uint32_t position) const { return weight_[position]; }

 private:
  std::vector<std::uint32_t> req_begin_;    // by position, size nodes + 1
  std::vector<std::uint32_t> entry_begin_;  // by requirement, size requirements + 1
  std::vector<double> unmapped_;            // by requirement
  std::vector<std::uint32_t> inside_begin_; // by requirement
  std::vector<std::uint32_t> supplier_;     // by entry
  std::vector<double> product_;             // by entry
  std::vector<std::uint32_t> position_;     // by node id
  static constexpr std::uint8_t sums_e = 1, is_domestic = 2, is_aggregate = 4;
  std::vector<std::uint8_t> kind_;          // by position
  std::vector<double> weight_;              // by position
};

}  // namespace scgraph
