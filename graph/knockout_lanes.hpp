#pragma once
// Four knockouts side by side (knockout_lanes): a node's value (a, or e) for each of them in four
// doubles, so one pass over the graph's arrays serves four knockouts, and independent multiply-add
// chains keep the core busy where one chain waits on each result. The lanes are vectors of two
// doubles (GCC's vector extension; SSE2, which every x86-64 has, computes each in one
// instruction: wider vectors would be split by the compiler through memory). Each lane's
// arithmetic is the scalar arithmetic (IEEE, no fused multiply-add), so a lane gives the bits a
// knockout alone would. Eight lanes were measured slower per knockout (docs/PERFORMANCE.md,
// sixth round), so the count stays four; the code holds for any even count up to eight.
#include <cstddef>
#include <cstdint>

namespace scgraph {

inline constexpr std::size_t knockout_lanes = 4;

using DoublePair = double __attribute__((vector_size(16)));
using MaskPair = std::int64_t __attribute__((vector_size(16)));  // all bits set where true
inline constexpr std::size_t lane_pairs = knockout_lanes / 2;

struct LaneDoubles {
  DoublePair pair[lane_pairs];  // lanes 0, 1 in the first, 2, 3 in the second, ...
  [[nodiscard]] double operator[](std::size_t lane) const { return pair[lane / 2][lane % 2]; }
  static LaneDoubles all(double x) {
    LaneDoubles out;
    for (auto& p : out.pair) p = DoublePair{x, x};
    return out;
  }
};

struct LaneMask {
  MaskPair pair[lane_pairs];
  [[nodiscard]] bool any() const {
    MaskPair folded = pair[0];
    for (std::size_t i = 1; i < lane_pairs; ++i) folded |= pair[i];
    return (folded[0] | folded[1]) != 0;
  }
  LaneMask& operator|=(const LaneMask& o) {
    for (std::size_t i = 0; i < lane_pairs; ++i) pair[i] |= o.pair[i];
    return *this;
  }
  LaneMask& operator&=(const LaneMask& o) {
    for (std::size_t i = 0; i < lane_pairs; ++i) pair[i] &= o.pair[i];
    return *this;
  }
  // Bit l set for each lane l that is true.
  [[nodiscard]] std::uint32_t bits() const {
    std::uint32_t out = 0;
    for (std::size_t i = 0; i < lane_pairs; ++i)
      out |= static_cast<std::uint32_t>(((pair[i][0] & 1) | ((pair[i][1] & 1) << 1)) << (2 * i));
    return out;
  }
  // The lanes whose bit is set in `bits` (bit l for lane l).
  static LaneMask of(std::uint32_t bits) {
    LaneMask out;
    for (std::size_t i = 0; i < lane_pairs; ++i)
      out.pair[i] = MaskPair{-static_cast<std::int64_t>((bits >> (2 * i)) & 1), -static_cast<std::int64_t>((bits >> (2 * i + 1)) & 1)};
    return out;
  }
};

inline LaneDoubles operator+(const LaneDoubles& x, const LaneDoubles& y) {
  LaneDoubles out;
  for (std::size_t i = 0; i < lane_pairs; ++i) out.pair[i] = x.pair[i] + y.pair[i];
  return out;
}
inline LaneDoubles operator-(const LaneDoubles& x, const LaneDoubles& y) {
  LaneDoubles out;
  for (std::size_t i = 0; i < lane_pairs; ++i) out.pair[i] = x.pair[i] - y.pair[i];
  return out;
}
inline LaneDoubles operator*(double p, const LaneDoubles& x) {
  LaneDoubles out;
  for (std::size_t i = 0; i < lane_pairs; ++i) out.pair[i] = p * x.pair[i];
  return out;
}
inline LaneMask operator<(const LaneDoubles& x, const LaneDoubles& y) {
  LaneMask out;
  for (std::size_t i = 0; i < lane_pairs; ++i) out.pair[i] = x.pair[i] < y.pair[i];
  return out;
}
inline LaneMask operator!=(const LaneDoubles& x, const LaneDoubles& y) {
  LaneMask out;
  for (std::size_t i = 0; i < lane_pairs; ++i) out.pair[i] = x.pair[i] != y.pair[i];
  return out;
}
inline LaneMask operator|(const LaneMask& x, const LaneMask& y) {
  LaneMask out = x;
  return out |= y;
}
// Lane by lane, `where` ? x : y.
inline LaneDoubles select(const LaneMask& where, const LaneDoubles& x, const LaneDoubles& y) {
  LaneDoubles out;
  for (std::size_t i = 0; i < lane_pairs; ++i) out.pair[i] = where.pair[i] ? x.pair[i] : y.pair[i];
  return out;
}
// std::min(x, y) in every lane, which is y < x ? y : x.
inline LaneDoubles lane_min(const LaneDoubles& x, const LaneDoubles& y) { return select(y < x, y, x); }
// Lane by lane, std::abs(x - y) > limit (x - y and y - x differ only in sign, exactly).
inline LaneMask apart(const LaneDoubles& x, const LaneDoubles& y, const LaneDoubles& limit) {
  const LaneDoubles d = x - y, minus = y - x;
  return (limit < d) | (limit < minus);
}

}  // namespace scgraph
