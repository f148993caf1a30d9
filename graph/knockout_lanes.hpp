#pragma once
// Four knockouts side by side: a node's values for each of them in four doubles, so one pass
// over the graph's arrays serves four knockouts, and four independent multiply-add chains keep
// the core busy where one chain waits on each result. The lanes are two vectors of two doubles
// (GCC's vector extension; SSE2, which every x86-64 has, computes each in one instruction: wider
// vectors would be split by the compiler through memory). Each lane's arithmetic is the scalar
// arithmetic (IEEE, no fused multiply-add), so a lane gives the bits a knockout alone would.
#include <cstddef>
#include <cstdint>

namespace scgraph {

inline constexpr std::size_t knockout_lanes = 4;

using DoublePair = double __attribute__((vector_size(16)));
using MaskPair = std::int64_t __attribute__((vector_size(16)));  // all bits set where true

struct LaneDoubles {
  DoublePair low, high;  // lanes 0, 1 and 2, 3
  [[nodiscard]] double operator[](std::size_t lane) const { return lane < 2 ? low[lane] : high[lane - 2]; }
  static LaneDoubles all(double x) { return {DoublePair{x, x}, DoublePair{x, x}}; }
};

struct LaneMask {
  MaskPair low, high;
  [[nodiscard]] bool any() const { return (low[0] | low[1] | high[0] | high[1]) != 0; }
  LaneMask& operator|=(const LaneMask& o) {
    low |= o.low;
    high |= o.high;
    return *this;
  }
  LaneMask& operator&=(const LaneMask& o) {
    low &= o.low;
    high &= o.high;
    return *this;
  }
  // The lanes whose bit is set in `bits` (bit l for lane l, bits < 16).
  static LaneMask of(std::uint32_t bits) {
    auto lane = [&](unsigned l) { return -static_cast<std::int64_t>((bits >> l) & 1); };
    return {MaskPair{lane(0), lane(1)}, MaskPair{lane(2), lane(3)}};
  }
};

inline LaneDoubles operator+(const LaneDoubles& x, const LaneDoubles& y) { return {x.low + y.low, x.high + y.high}; }
inline LaneDoubles operator-(const LaneDoubles& x, const LaneDoubles& y) { return {x.low - y.low, x.high - y.high}; }
inline LaneDoubles operator*(double p, const LaneDoubles& x) { return {p * x.low, p * x.high}; }
inline LaneMask operator<(const LaneDoubles& x, const LaneDoubles& y) { return {x.low < y.low, x.high < y.high}; }
inline LaneMask operator!=(const LaneDoubles& x, const LaneDoubles& y) { return {x.low != y.low, x.high != y.high}; }
inline LaneMask operator|(const LaneMask& x, const LaneMask& y) { return {x.low | y.low, x.high | y.high}; }
// Lane by lane, `where` ? x : y.
inline LaneDoubles select(const LaneMask& where, const LaneDoubles& x, const LaneDoubles& y) {
  return {where.low ? x.low : y.low, where.high ? x.high : y.high};
}
// std::min(x, y) in every lane, which is y < x ? y : x.
inline LaneDoubles lane_min(const LaneDoubles& x, const LaneDoubles& y) { return select(y < x, y, x); }
// Lane by lane, std::abs(x - y) > limit (x - y and y - x differ only in sign, exactly).
inline LaneMask apart(const LaneDoubles& x, const LaneDoubles& y, const LaneDoubles& limit) {
  const LaneDoubles d = x - y, minus = y - x;
  return (limit < d) | (limit < minus);
}

struct LaneSupply {
  LaneDoubles availability, effective;
};

}  // namespace scgraph
