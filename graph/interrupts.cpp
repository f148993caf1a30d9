#include "interrupts.hpp"

#include <array>
#include <csignal>
#include <cstring>
#include <ftw.h>
#include <mutex>
#include <unistd.h>

namespace scgraph {

namespace {

// Fixed-size storage: the handler may not allocate. Paths longer than the slot are not registered
// for signal cleanup (their normal cleanup still runs).
constexpr std::size_t slots = 16;
constexpr std::size_t path_bytes = 1024;
struct Registry {
  std::array<std::array<char, path_bytes>, slots> paths{};
  std::array<volatile sig_atomic_t, slots> used{};
  std::mutex mutex;
};
Registry& registry() {
  static Registry r;
  return r;
}

int remove_entry(const char* path, const struct stat*, int, struct FTW*) { return ::remove(path); }

extern "C" void on_interrupt(int signal) {
  Registry& r = registry();
  for (std::size_t i = 0; i < slots; ++i)
    if (r.used[i]) nftw(r.paths[i].data(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

}  // namespace

void install_interrupt_cleanup() {
  registry();
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

void register_interrupt_cleanup(const std::filesystem::path& path) {
  std::string text = std::filesystem::absolute(path).string();
  if (text.size() >= path_bytes) return;
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (std::size_t i = 0; i < slots; ++i) {
    if (r.used[i]) continue;
    std::memcpy(r.paths[i].data(), text.c_str(), text.size() + 1);
    r.used[i] = 1;
    return;
  }
}

void unregister_interrupt_cleanup(const std::filesystem::path& path) {
  std::string text = std::filesystem::absolute(path).string();
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (std::size_t i = 0; i < slots; ++i)
    if (r.used[i] && text == r.paths[i].data()) {
      r.used[i] = 0;
      return;
    }
}

}  // namespace scgraph
