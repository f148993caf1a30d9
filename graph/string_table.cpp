#include "string_table.hpp"

namespace scgraph {

std::uint64_t StringIndex::hash(std::string_view s) {
  // FNV-1a, then a final mix so that the low bits used for slots are well spread.
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

void StringIndex::grow(const StringTable& table) {
  std::size_t capacity = slots_.empty() ? 16 : slots_.size() * 2;
  std::vector<std::uint32_t> old;
  old.swap(slots_);
  slots_.assign(capacity, npos);
  std::size_t mask = capacity - 1;
  for (std::uint32_t i : old) {
    if (i == npos) continue;
    std::size_t slot = hash(table[i]) & mask;
    while (slots_[slot] != npos) slot = (slot + 1) & mask;
    slots_[slot] = i;
  }
}

std::uint32_t StringIndex::insert(const StringTable& table, std::uint32_t i) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow(table);
  std::string_view s = table[i];
  std::size_t mask = slots_.size() - 1;
  std::size_t slot = hash(s) & mask;
  while (slots_[slot] != npos) {
    if (table[slots_[slot]] == s) return slots_[slot];
    slot = (slot + 1) & mask;
  }
  slots_[slot] = i;
  ++used_;
  return npos;
}

void StringIndex::build(const StringTable& table,
                        std::vector<std::pair<std::uint32_t, std::uint32_t>>* duplicate_of) {
  slots_.clear();
  used_ = 0;
  std::size_t capacity = 16;
  while (capacity * 3 < table.size() * 4 + 4) capacity *= 2;
  slots_.assign(capacity, npos);
  for (std::uint32_t i = 0; i < table.size(); ++i) {
    std::uint32_t earlier = insert(table, i);
    if (earlier != npos && duplicate_of) duplicate_of->emplace_back(i, earlier);
  }
}

std::uint32_t StringIndex::find(const StringTable& table, std::string_view s) const {
  if (slots_.empty()) return npos;
  std::size_t mask = slots_.size() - 1;
  std::size_t slot = hash(s) & mask;
  while (slots_[slot] != npos) {
    if (table[slots_[slot]] == s) return slots_[slot];
    slot = (slot + 1) & mask;
  }
  return npos;
}

std::uint32_t Interner::intern(std::string_view s) {
  std::uint32_t found = index_.find(table_, s);
  if (found != StringIndex::npos) return found;
  std::uint32_t i = table_.push_back(s);
  index_.insert(table_, i);
  return i;
}

}  // namespace scgraph
