#include "string_table.hpp"

#include <bit>
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

namespace {

std::uint64_t load32(const char* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
  return w;
}

// The n < 8 (or n == 8) bytes at p as a zero-padded little-endian word, from at most three
// overlapping loads: a word read right after a byte-by-byte copy into it waits for those stores.
std::uint64_t small_word(const char* p, std::size_t n) {
  if (n >= 4) return load32(p) | load32(p + n - 4) << (8 * (n - 4));
  if (n == 0) return 0;
  const auto byte = [p](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i); };
  return byte(0) | byte(n / 2) | byte(n - 1);
}

}  // namespace

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
  if (n > 0) h = (h ^ small_word(p, n)) * k;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

StringIndex::Key StringIndex::key(std::string_view s) {
  Key k{s, hash(s), small_word(s.data(), s.size() < 8 ? s.size() : 8), 0};
  // Up to eight bytes the length class is the length, so equal tag and head mean equal strings.
  const std::uint32_t length_class = s.size() <= 8 ? static_cast<std::uint32_t>(s.size()) : 15;
  k.tag = (static_cast<std::uint32_t>(k.hash >> 32) & ~0xFu) | length_class;
  return k;
}

void StringIndex::allocate(std::size_t capacity) {
  slots_.clear();
  slots_.shrink_to_fit();
  reserve_huge(slots_, capacity);
  slots_.assign(capacity, Slot{0, 0, npos});
  mask_ = capacity - 1;
}

void StringIndex::reserve(const StringTable& table, std::size_t count) {
  std::size_t capacity = 16;
  while (capacity * 3 < count * 4 + 4) capacity *= 2;
  if (capacity > slots_.size()) rehash(table, capacity);
}

void StringIndex::grow(const StringTable& table) { rehash(table, slots_.empty() ? 16 : slots_.size() * 2); }

void StringIndex::rehash(const StringTable& table, std::size_t capacity) {
  std::vector<Slot> old;
  old.swap(slots_);
  allocate(capacity);
  const std::size_t mask = capacity - 1;
  for (const Slot& v : old) {
    if (v.position == npos) continue;
    std::size_t slot = hash(table[v.position]) & mask;
    while (slots_[slot].position != npos) slot = (slot + 1) & mask;
    slots_[slot] = v;
  }
}

std::size_t StringIndex::probe(const StringTable& table, const Key& k) const {
  const std::size_t mask = mask_;
  const bool short_text = k.text.size() <= 8;
  for (std::size_t slot = k.hash & mask;; slot = (slot + 1) & mask) {
    const Slot& v = slots_[slot];
    if (v.position == npos) return slot;
    if (v.tag == k.tag && v.head == k.head && (short_text || table[v.position] == k.text)) return slot;
  }
}

std::uint32_t StringIndex::insert(const StringTable& table, std::uint32_t i) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow(table);
  const Key k = key(table[i]);
  Slot& slot = slots_[probe(table, k)];
  if (slot.position != npos) return slot.position;
  slot = {k.head, k.tag, i};
  ++used_;
  return npos;
}

std::uint32_t StringIndex::find_or_add(StringTable& table, std::string_view s) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow(table);
  const Key k = key(s);
  const std::size_t at = probe(table, k);
  if (slots_[at].position != npos) return slots_[at].position;
  const std::uint32_t i = table.push_back(s);
  slots_[at] = {k.head, k.tag, i};
  ++used_;
  return i;
}

void StringIndex::build(const StringTable& table,
                        std::vector<std::pair<std::uint32_t, std::uint32_t>>* duplicate_of) {
  slots_.clear();
  mask_ = 0;
  used_ = 0;
  reserve(table, table.size());
  for (std::uint32_t i = 0; i < table.size(); ++i) {
    std::uint32_t earlier = insert(table, i);
    if (earlier != npos && duplicate_of) duplicate_of->emplace_back(i, earlier);
  }
}

std::uint32_t StringIndex::find(const StringTable& table, std::string_view s) const { return find(table, key(s)); }

std::uint32_t StringIndex::find(const StringTable& table, const Key& k) const {
  if (slots_.empty()) return npos;
  return slots_[probe(table, k)].position;
}

}  // namespace scgraph
