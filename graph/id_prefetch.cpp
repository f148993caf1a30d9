#include "id_prefetch.hpp"

#include <cstring>

#include "numbers.hpp"

namespace scgraph {

void IdPrefetcher::advance(const csv::Reader& reader) {
  const std::string_view buffered = reader.unread();
  const std::uint64_t base = reader.offset();
  if (cursor_ < base) {
    // Behind the reader (a record spanning lines, or the start): begin again where it is.
    cursor_ = base;
    ahead_ = 0;
    previous_[0].size = previous_[1].size = 0;
  } else if (ahead_ > 0) {
    --ahead_;
  }
  while (ahead_ < distance_) {
    const std::uint64_t at = cursor_ - base;
    if (at >= buffered.size()) return;
    const char* line = buffered.data() + at;
    const auto* end = static_cast<const char*>(std::memchr(line, '\n', buffered.size() - at));
    if (end == nullptr) return;  // the rest of the line is not read yet
    look_at({line, static_cast<std::size_t>(end - line)});
    cursor_ += static_cast<std::uint64_t>(end - line) + 1;
    ++ahead_;
  }
}

void IdPrefetcher::look_at(std::string_view line) {
  std::size_t field = 0, from = 0;
  for (int k = 0; k < 2; ++k) {
    const int column = columns_[k];
    if (column < 0) continue;
    while (field < static_cast<std::size_t>(column)) {
      const std::size_t comma = line.find(',', from);
      if (comma == std::string_view::npos) return;
      from = comma + 1;
      ++field;
    }
    std::size_t stop = line.find(',', from);
    if (stop == std::string_view::npos) stop = line.size();
    std::string_view id = trim(line.substr(from, stop - from));
    if (!id.empty() && id.back() == '\r') id = trim(id.substr(0, id.size() - 1));
    Previous& previous = previous_[k];
    if (id.empty() || id == std::string_view(previous.text, previous.size)) continue;
    previous.size = id.size() <= sizeof previous.text ? id.size() : 0;
    std::memcpy(previous.text, id.data(), previous.size);
    index_.prefetch(StringIndex::key(id));
  }
}

}  // namespace scgraph
