#include "prefault.hpp"

#include <algorithm>
#include <cstdint>
#include <system_error>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace scgraph {

namespace {

constexpr std::size_t page = std::size_t{2} << 20;  // a huge page: the unit the kernel zeroes
constexpr std::size_t slice = 2 * page;             // the step, so that stop() waits little

// Only whole pages inside the block: the pages at its ends may belong to other allocations too,
// which is harmless but pointless to populate.
void populate([[maybe_unused]] const std::byte* from, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  const auto first = reinterpret_cast<std::uintptr_t>(from);
  const std::uintptr_t begin = (first + 4095) & ~std::uintptr_t{4095}, end = (first + bytes) & ~std::uintptr_t{4095};
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
}

}  // namespace

void BackgroundPrefault::start(std::vector<Stage> stages) {
  stop();
  for (auto& blocks : stages) std::erase_if(blocks, [](std::span<const std::byte> b) { return b.size() < slice; });
  std::erase_if(stages, [](const Stage& blocks) { return blocks.empty(); });
  if (stages.empty()) return;
  stopping_ = false;
  auto work = [this, stages = std::move(stages)] {
    for (const auto& blocks : stages) {
      std::size_t largest = 0;
      for (const auto& b : blocks) largest = std::max(largest, b.size());
      // Step k covers the k-th slice of the largest block and the same fraction of the others.
      const std::size_t steps = (largest + slice - 1) / slice;
      for (std::size_t k = 0; k < steps; ++k) {
        if (stopping_.load(std::memory_order_relaxed)) return;
        for (const auto& b : blocks) {
          const std::size_t from = b.size() * k / steps, to = b.size() * (k + 1) / steps;
          populate(b.data() + from, to - from);
        }
      }
    }
  };
  try {
    helper_ = std::thread(std::move(work));
  } catch (const std::system_error&) {
    // No thread to be had (a process or container limit): the writers fault the pages themselves.
  }
}

void BackgroundPrefault::stop() {
  if (!helper_.joinable()) return;
  stopping_ = true;
  helper_.join();
}

}  // namespace scgraph
