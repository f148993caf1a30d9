#pragma once
// Looks a few lines ahead of a CSV reader, in the input it has already buffered, and prefetches
// the id-index slots of the ids those lines name. On a large snapshot an id lookup is a cache miss
// (the index is tens of MB); started some rows early, several misses overlap instead of each
// stalling the loader in turn.
//
// Only speed depends on it: lines are split at commas without regard to quotes or records, so a
// line it misreads costs a useless prefetch, never a different result.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "csv_reader.hpp"
#include "string_table.hpp"

namespace scgraph {

class IdPrefetcher {
 public:
  // `columns`: field indexes of the id columns (-1: absent). A column's id is prefetched only
  // when it differs from the line before, since runs of one consumer are common.
  IdPrefetcher(const StringIndex& index, int first_column, int second_column = -1)
      : index_(index),
        columns_{first_column < second_column ? first_column : second_column,
                 first_column < second_column ? second_column : first_column} {}

  // Call after each record the reader returns.
  void advance(const csv::Reader& reader);

 private:
  static constexpr std::size_t distance_ = 16;  // lines ahead: enough to cover a miss
  void look_at(std::string_view line);

  const StringIndex& index_;
  int columns_[2];  // ascending
  // The id last prefetched per column, copied: the reader's buffer may move or be replaced.
  struct Previous {
    char text[32];
    std::size_t size = 0;
  };
  Previous previous_[2];
  std::uint64_t cursor_ = 0;  // input offset of the next line to look at
  std::size_t ahead_ = 0;     // lines looked at that the reader has not returned yet
};

}  // namespace scgraph
