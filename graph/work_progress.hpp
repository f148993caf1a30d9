#pragma once
// How long computations tell the outside how far they are. The library only counts; the
// command line decides whether and how to show it (a terminal line on standard error, or nothing).
#include <cstdint>
#include <string_view>

namespace scgraph {

class WorkProgress {
 public:
  virtual ~WorkProgress() = default;
  // A phase of `total` units (`unit` names them: "nodes", "MB") starts.
  virtual void begin(std::string_view phase, std::uint64_t total, std::string_view unit) = 0;
  // `done` units of the current phase are finished. Called from any thread, often: implementations
  // must be thread-safe and cheap.
  virtual void advance(std::uint64_t done) = 0;
  virtual void end() = 0;
};

// Begins a phase on construction and ends it on destruction; every call is a no-op without a sink.
class ProgressPhase {
 public:
  ProgressPhase(WorkProgress* sink, std::string_view phase, std::uint64_t total, std::string_view unit) : sink_(sink) {
    if (sink_) sink_->begin(phase, total, unit);
  }
  ~ProgressPhase() {
    if (sink_) sink_->end();
  }
  ProgressPhase(const ProgressPhase&) = delete;
  ProgressPhase& operator=(const ProgressPhase&) = delete;
  void advance(std::uint64_t done) const {
    if (sink_) sink_->advance(done);
  }

 private:
  WorkProgress* sink_;
};

}  // namespace scgraph
