#pragma once
// Compact string storage: all strings of a column in one buffer, addressed by index. A million
// ids cost their bytes plus 8 bytes each, instead of a std::string (32 bytes + heap block) each.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scgraph {

class StringTable {
 public:
  StringTable() { offsets_.push_back(0); }
  std::uint32_t push_back(std::string_view s) {
    chars_.append(s);
    offsets_.push_back(chars_.size());
    return static_cast<std::uint32_t>(offsets_.size() - 2);
  }
  [[nodiscard]] std::string_view operator[](std::size_t i) const {
    return std::string_view(chars_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  [[nodiscard]] std::size_t size() const { return offsets_.size() - 1; }
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] std::size_t byte_size() const { return chars_.size(); }
  // Room for `strings` strings of `bytes` bytes in all; the blocks get huge pages (untouched
  // room costs no memory, so a generous estimate is cheap).
  void reserve(std::size_t strings, std::size_t bytes);
  [[nodiscard]] std::vector<std::string> to_vector() const {
    std::vector<std::string> out;
    out.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
    return out;
  }

 private:
  std::string chars_;
  std::vector<std::uint64_t> offsets_;
};

// Open-addressing index from string to its position in a StringTable (no per-entry allocation).
// Each 16-byte slot holds the position, 28 bits of the hash with the length class, and the first
// eight bytes of the string. Ids are mostly short codes ("C004567"), so a lookup usually settles
// on the slot alone: one cache miss, where reading the table's offsets and text cost two more.
// Longer strings are compared against the table only when tag and first bytes agree.
class StringIndex {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  // Builds the index over table; for each string that occurs earlier in the table already,
  // duplicate_of receives (later index, earlier index).
  void build(const StringTable& table,
             std::vector<std::pair<std::uint32_t, std::uint32_t>>* duplicate_of = nullptr);
  // Room for `count` strings in all without growing.
  void reserve(const StringTable& table, std::size_t count);
  // Inserts table[i] (which must be the newest string of table); returns the earlier index
  // of an equal string, or npos when it was new.
  std::uint32_t insert(const StringTable& table, std::uint32_t i);
  [[nodiscard]] std::uint32_t find(const StringTable& table, std::string_view s) const;
  // Position of s in table, appending it to table (and to the index) when it is new.
  std::uint32_t find_or_add(StringTable& table, std::string_view s);

  // What a lookup needs to know about its string, computed once: its hash, tag and first bytes.
  struct Key {
    std::string_view text;
    std::uint64_t hash;
    std::uint64_t head;  // the first (up to) eight bytes, zero-padded
    std::uint32_t tag;   // hash bits with the length class in the low four bits
  };
  [[nodiscard]] static Key key(std::string_view s);
  // Brings the key's first slot into cache ahead of find(), so that lookups of several rows overlap.
  // Through a stored mask, without a test: GCC 12 drops a prefetch whose address depends on
  // whether the vector is empty. An empty index prefetches its null data pointer, harmlessly.
  void prefetch(const Key& k) const { __builtin_prefetch(slots_.data() + (k.hash & mask_)); }
  [[nodiscard]] std::uint32_t find(const StringTable& table, const Key& k) const;

 private:
  struct Slot {
    std::uint64_t head;
    std::uint32_t tag;
    std::uint32_t position;  // npos: free
  };
  static std::uint64_t hash(std::string_view s);
  // The slot holding k's string, or the free slot where it would go.
  [[nodiscard]] std::size_t probe(const StringTable& table, const Key& k) const;
  void grow(const StringTable& table);
  void rehash(const StringTable& table, std::size_t capacity);
  void allocate(std::size_t capacity);
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;  // slots_.size() - 1, or 0 while there are no slots
  std::size_t used_ = 0;
};

// Interns strings into a StringTable with index 0 reserved for the empty string.
class Interner {
 public:
  Interner() { table_.push_back(""); index_.insert(table_, 0); }
  // The last string is remembered: rows come in runs of one stage, country, owner or input,
  // and comparing with it is cheaper than hashing and probing.
  std::uint32_t intern(std::string_view s) {
    if (s == last_ && last_index_ != StringIndex::npos) return last_index_;
    last_index_ = index_.find_or_add(table_, s);
    last_.assign(s);
    return last_index_;
  }
  [[nodiscard]] const StringTable& table() const { return table_; }
  StringTable take() { return std::move(table_); }

 private:
  StringTable table_;
  StringIndex index_;
  std::string last_;
  std::uint32_t last_index_ = StringIndex::npos;
};

}  // namespace scgraph
