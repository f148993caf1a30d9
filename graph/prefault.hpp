#pragma once
// Faults in large, freshly reserved blocks of memory on another core, ahead of the code that will
// fill them. On the virtual machines this runs on, the first touch of a page (the kernel zeroing
// it) costs about 3.7 s per GiB, more than parsing the rows that fill it; done by a helper thread
// while the loader parses, that cost leaves the critical path.
//
// Only speed depends on it: MADV_POPULATE_WRITE maps pages without changing what they hold, so
// the helper may run late, race with the writer, or fail, and nothing observable changes. It
// never reads or writes the memory itself. Elsewhere than Linux it does nothing.
#include <atomic>
#include <cstddef>
#include <span>
#include <thread>
#include <vector>

namespace scgraph {

class BackgroundPrefault {
 public:
  BackgroundPrefault() = default;
  BackgroundPrefault(const BackgroundPrefault&) = delete;
  BackgroundPrefault& operator=(const BackgroundPrefault&) = delete;
  ~BackgroundPrefault() { stop(); }

  // Blocks that are filled together (each a range of bytes some vector has reserved): they are
  // faulted in a slice of each in turn, in proportion to their sizes, since their writers fill
  // them at the same pace, row by row.
  using Stage = std::vector<std::span<const std::byte>>;
  // Starts faulting in the stages one after the other, in the order they will be written.
  // A previous run is stopped first.
  void start(std::vector<Stage> stages);
  // Asks the helper to stop after the slice it is on, and waits for it.
  void stop();

 private:
  std::atomic<bool> stopping_{false};
  std::thread helper_;
};

// The reserved but unused room of v, up to `count` elements in all: what a writer that fills v
// up to count elements will touch first.
template <class Vector>
std::span<const std::byte> room_of(const Vector& v, std::size_t count) {
  const std::size_t end = count < v.capacity() ? count : v.capacity();
  if (end <= v.size()) return {};
  const auto* data = reinterpret_cast<const std::byte*>(v.data());
  const std::size_t element = sizeof(*v.data());
  return {data + v.size() * element, (end - v.size()) * element};
}

}  // namespace scgraph
