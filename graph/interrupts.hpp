#pragma once
// SIGINT and SIGTERM remove the temporary outputs of the run before the process ends, so that an
// interrupted run leaves nothing half-written. This is the project's one piece of process-wide
// state: a signal handler has nowhere else to find what to remove.
#include <filesystem>

namespace scgraph {

void install_interrupt_cleanup();  // idempotent; the CLI calls it at start
void register_interrupt_cleanup(const std::filesystem::path& path);
void unregister_interrupt_cleanup(const std::filesystem::path& path);

// Registers a path for the lifetime of a scope.
class CleanupOnInterrupt {
 public:
  explicit CleanupOnInterrupt(std::filesystem::path path) : path_(std::move(path)) { register_interrupt_cleanup(path_); }
  ~CleanupOnInterrupt() { unregister_interrupt_cleanup(path_); }
  CleanupOnInterrupt(const CleanupOnInterrupt&) = delete;
  CleanupOnInterrupt& operator=(const CleanupOnInterrupt&) = delete;

 private:
  std::filesystem::path path_;
};

}  // namespace scgraph
