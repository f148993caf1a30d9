#pragma once
// One worker per thread, the calling thread being worker 0: how the knockouts and betweenness
// spread their jobs over the cores.
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace scgraph {

// How many workers to run: `threads`, or every core when 0, but no more than there are jobs and
// at least one.
inline unsigned worker_count(unsigned threads, std::size_t jobs) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, jobs)));
}

// Calls work(t) for every t below workers, each on its own thread (worker 0 on the calling one),
// and returns when all have returned.
template <class Work>
void run_workers(unsigned workers, Work&& work) {
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < workers; ++t) pool.emplace_back([&work, t] { work(t); });
  work(0u);
}

}  // namespace scgraph
