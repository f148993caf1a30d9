#pragma once
// Progress of long work as one line on standard error, rewritten in place: phase, percent, rate.
// Shown only when standard error is a terminal and --quiet is not given: scripts and logs get
// nothing.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>

#include "graph/work_progress.hpp"

namespace scgraph::cli {

class TerminalProgress final : public WorkProgress {
 public:
  TerminalProgress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
  void begin(std::string_view phase, std::uint64_t total, std::string_view unit) override;
  void advance(std::uint64_t done) override;
  void end() override;
  // The sink to hand to the library: nullptr when nothing is shown, so no work is spent on it.
  WorkProgress* sink() { return enabled_ ? this : nullptr; }

 private:
  void draw(std::uint64_t done);
  std::ostream& err_;
  bool enabled_;
  std::mutex lock_;
  std::string phase_, unit_;
  std::uint64_t total_ = 0;
  std::chrono::steady_clock::time_point start_{}, last_draw_{};
  std::atomic<std::int64_t> next_draw_ns_{0};
  std::size_t drawn_width_ = 0;
};

}  // namespace scgraph::cli
