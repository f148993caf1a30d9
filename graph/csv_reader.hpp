#pragma once
// The one CSV reader of the project: RFC 4180 records streamed from a file, with the physical
// position of every field so that problems can be reported as FILE:LINE:COLUMN.
//
// Accepts: quoted fields holding commas, doubled quotes and line breaks; a UTF-8 byte-order mark;
// LF, CRLF and CR-only line ends; blank lines (skipped, wherever they are).
// Reports (as diagnostics, then goes on with the next record): malformed quoting, a field larger
// than the limit, a record with too many fields, invalid UTF-8. Refuses whole files that are
// missing, unreadable, empty or binary.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"

namespace scgraph::csv {

struct ReaderOptions {
  std::size_t max_field_bytes = 1 << 20;  // a longer field is an error, never an allocation spiral
  std::size_t max_fields = 1 << 16;       // per record; a wider one is an error, for the same reason
  // Bytes asked from the file per read; the buffer grows past it only for a longer record.
  // Tests make it tiny to push records across chunk boundaries.
  std::size_t chunk_bytes = 1 << 20;
};

// One record. Views stay valid until the next call to Reader::next().
class Record {
 public:
  Record() = default;
  // Copies and moves re-point the views that refer to scratch_ at the new scratch_ (a short
  // std::string keeps its text inside the object, so a plain move would leave them dangling).
  Record(const Record& other);
  Record(Record&& other) noexcept;
  Record& operator=(const Record& other);
  Record& operator=(Record&& other) noexcept;
  ~Record() = default;

  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] std::string_view operator[](std::size_t i) const { return fields_[i]; }
  [[nodiscard]] std::size_t line() const { return line_; }  // physical line where it starts
  // Physical line and 1-based column (in characters) where field i starts.
  [[nodiscard]] std::size_t line_of(std::size_t i) const { return positions_[i].line; }
  [[nodiscard]] std::size_t column_of(std::size_t i) const { return positions_[i].column; }

  struct Position {
    std::size_t line;
    std::size_t column;
  };
  // For the reader's implementation.
  std::vector<std::string_view> fields_;
  std::vector<Position> positions_;
  std::string scratch_;  // text owned by the record itself (parse_text); the Reader leaves it empty
  std::size_t line_ = 0;
};

class Reader {
 public:
  // display_name is what diagnostics call the file (usually the path as the user gave it).
  Reader(std::filesystem::path path, std::string display_name, Diagnostics& diagnostics,
         ReaderOptions options = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // False when the file could not be opened, is empty or binary (a diagnostic says why).
  [[nodiscard]] bool ok() const;
  // Reads the next record; false at the end of the file. The first record is the header.
  bool next(Record& record);
  [[nodiscard]] const std::string& display_name() const;
  // Input already in the buffer after the last record returned, for a look ahead that only
  // affects speed (e.g. prefetching); it may end anywhere, even inside a record. Valid until
  // the next call to next().
  [[nodiscard]] std::string_view unread() const;
  // Position of unread() in the input, in bytes from its start (a byte-order mark included).
  [[nodiscard]] std::uint64_t offset() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses a whole in-memory text (for tests and fuzzing); same rules as Reader.
std::vector<Record> parse_text(std::string_view text, std::string display_name,
                               Diagnostics& diagnostics, ReaderOptions options = {});

}  // namespace scgraph::csv
