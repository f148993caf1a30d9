#include "string_table.hpp"

#include <cstring>

#include "huge_pages.hpp"

namespace scgraph {

void StringTable::reserve(std::size_t strings, std::size_t bytes) {
  reserve_huge(offsets_, strings + 1);
  if (bytes > chars_.capacity()) {
    chars_.reserve(bytes);
    advise_huge_pages(chars_.data(), chars_.capacity());
  }
}

std::uint64_t StringIndex::hash(std::string_view s) {
  // Eight bytes at a time (ids are short: one or two words), then a final mix so that both the
  // low bits (the slot) and the high bits (the stored tag) are well spread.
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = k ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * k;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

void StringIndex::allocate(std::size_t capacity) {
  slots_.clear();
  slots_.shrink_to_fit();
  reserve_huge(slots_, capacity);
  slots_.assign(capacity, empty_slot);
}

void StringIndex::reserve(const StringTable& table, std::size_t count) {
  std::size_t capacity = 16;
  while (capacity * 3 < count * 4 + 4) capacity *= 2;
  if (capacity > slots_.size()) rehash(table, capacity);
}

void StringIndex::grow(const StringTable& table) { rehash(table, slots_.empty() ? 16 : slots_.size() * 2); }

void StringIndex::rehash(const StringTable& table, std::size_t capacity) {
  std::vector<std::uint64_t> old;
  old.swap(slots_);
  allocate(capacity);
  const std::size_t mask = capacity - 1;
  for (std::uint64_t v : old) {
    if (v == empty_slot) continue;
    std::size_t slot = hash(table[static_cast<std::uint32_t>(v)]) & mask;
    while (slots_[slot] != empty_slot) slot = (slot + 1) & mask;
    slots_[slot] = v;
  }
}

std::size_t StringIndex::probe(const StringTable& table, std::string_view s, std::uint64_t h) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t tag = h & 0xffffffff00000000ULL;
  std::size_t slot = h & mask;
  for (;; slot = (slot + 1) & mask) {
    const std::uint64_t v = slots_[slot];
    if (v == empty_slot) return slot;
    if ((v & 0xffffffff00000000ULL) == tag && table[static_cast<std::uint32_t>(v)] == s) return slot;
  }
}

std::uint32_t StringIndex::insert(const StringTable& table, std::uint32_t i) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow(table);
  std::string_view s = table[i];
  const std::uint64_t h = hash(s);
  const std::size_t slot = probe(table, s, h);
  if (slots_[slot] != empty_slot) return static_cast<std::uint32_t>(slots_[slot]);
  slots_[slot] = slot_value(h, i);
  ++used_;
  return npos;
}

std::uint32_t StringIndex::find_or_add(StringTable& table, std::string_view s) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow(table);
  const std::uint64_t h = hash(s);
  const std::size_t slot = probe(table, s, h);
  if (slots_[slot] != empty_slot) return static_cast<std::uint32_t>(slots_[slot]);
  const std::uint32_t i = table.push_back(s);
  slots_[slot] = slot_value(h, i);
  ++used_;
  return i;
}

void StringIndex::build(const StringTable& table,
                        std::vector<std::pair<std::uint32_t, std::uint32_t>>* duplicate_of) {
  slots_.clear();
  used_ = 0;
  reserve(table, table.size());
  for (std::uint32_t i = 0; i < table.size(); ++i) {
    std::uint32_t earlier = insert(table, i);
    if (earlier != npos && duplicate_of) duplicate_of->emplace_back(i, earlier);
  }
}

std::uint32_t StringIndex::find(const StringTable& table, std::string_view s) const {
  if (slots_.empty()) return npos;
  const std::size_t slot = probe(table, s, hash(s));
  return slots_[slot] == empty_slot ? npos : static_cast<std::uint32_t>(slots_[slot]);
}

}  // namespace scgraph
