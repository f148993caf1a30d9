#include "terminal_progress.hpp"

#include <fmt/format.h>

namespace scgraph::cli {

namespace {
constexpr auto redraw_interval = std::chrono::milliseconds(200);

std::int64_t nanoseconds(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
}  // namespace

void TerminalProgress::begin(std::string_view phase, std::uint64_t total, std::string_view unit) {
  std::lock_guard guard(lock_);
  phase_ = phase;
  unit_ = unit;
  total_ = total;
  start_ = last_draw_ = std::chrono::steady_clock::now();
  // The first line only after a moment: quick phases leave no trace.
  next_draw_ns_ = nanoseconds(start_ + redraw_interval);
}

void TerminalProgress::advance(std::uint64_t done) {
  // Most calls return here, without the lock: one clock read and one atomic load.
  auto now = std::chrono::steady_clock::now();
  if (nanoseconds(now) < next_draw_ns_.load(std::memory_order_relaxed)) return;
  std::lock_guard guard(lock_);
  if (nanoseconds(now) < next_draw_ns_.load(std::memory_order_relaxed)) return;
  next_draw_ns_ = nanoseconds(now + redraw_interval);
  draw(done);
}

void TerminalProgress::end() {
  std::lock_guard guard(lock_);
  if (drawn_width_ > 0) err_ << '\r' << std::string(drawn_width_, ' ') << '\r' << std::flush;
  drawn_width_ = 0;
  next_draw_ns_ = 0;
}

void TerminalProgress::draw(std::uint64_t done) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string line =
      total_ > 0 ? fmt::format("{}: {:.0f} % ({} of {} {}, {:.0f} {}/s)", phase_, 100.0 * static_cast<double>(done) / static_cast<double>(total_),
                               done, total_, unit_, rate, unit_)
                 : fmt::format("{}: {} {} ({:.0f} {}/s)", phase_, done, unit_, rate, unit_);
  std::size_t width = line.size();
  if (width < drawn_width_) line += std::string(drawn_width_ - width, ' ');
  err_ << '\r' << line << std::flush;
  drawn_width_ = std::max(drawn_width_, width);
}

}  // namespace scgraph::cli
