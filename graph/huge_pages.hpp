#pragma once
// Large arrays that the loader fills once. On this kind of (virtual) machine the first touch of a
// 4 KiB page is what loading a million nodes mostly costs (about 3.7 s per GiB); asking for
// 2 MiB pages where the kernel grants them on request (transparent huge pages in "madvise"
// mode) takes 512 times fewer faults. Only the 2 MiB-aligned interior of a block is advised,
// so the advice never reaches memory that another allocation owns. Elsewhere: nothing happens.
#include <cstddef>
#include <cstdint>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace scgraph {

inline void advise_huge_pages([[maybe_unused]] const void* data, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  const auto first = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (first + huge - 1) & ~(huge - 1), end = (first + bytes) & ~(huge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

// reserve() that also asks for huge pages for the new block (before any of it is touched).
template <class Vector>
void reserve_huge(Vector& v, std::size_t count) {
  if (count <= v.capacity()) return;
  v.reserve(count);
  advise_huge_pages(v.data(), v.capacity() * sizeof(*v.data()));
}

}  // namespace scgraph
