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
  void reserve(std::size_t strings, std::size_t bytes) {
    offsets_.reserve(strings + 1);
    chars_.reserve(bytes);
  }
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
class StringIndex {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  // Builds the index over table; for each string that occurs earlier in the table already,
  // duplicate_of receives (later index, earlier index).
  void build(const StringTable& table,
             std::vector<std::pair<std::uint32_t, std::uint32_t>>* duplicate_of = nullptr);
  // Inserts table[i] (which must be the newest string of table); returns the earlier index
  // of an equal string, or npos when it was new.
  std::uint32_t insert(const StringTable& table, std::uint32_t i);
  [[nodiscard]] std::uint32_t find(const StringTable& table, std::string_view s) const;

 private:
  void grow(const StringTable& table);
  static std::uint64_t hash(std::string_view s);
  std::vector<std::uint32_t> slots_;  // npos = empty
  std::size_t used_ = 0;
};

// Interns strings into a StringTable with index 0 reserved for the empty string.
class Interner {
 public:
  Interner() { table_.push_back(""); index_.insert(table_, 0); }
  std::uint32_t intern(std::string_view s);
  [[nodiscard]] const StringTable& table() const { return table_; }
  StringTable take() { return std::move(table_); }

 private:
  StringTable table_;
  StringIndex index_;
};

}  // namespace scgraph
