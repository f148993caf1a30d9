#include "csv_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Recovery rules (each problem is reported once, then reading goes on):
// - malformed quoting (a quote inside an unquoted field, text after a closing quote): the record
//   is dropped and reading resumes at the next physical line, because the quote state can no
//   longer be trusted;
// - a quoted field still open at the end of the file: reported at its opening quote, the record
//   is dropped (everything after that quote was swallowed by the field);
// - a field over max_field_bytes (measured as written, quotes included): the record is dropped;
//   when the limit is hit before the field ends, the rest of the record is skipped without being
//   buffered, following quotes so that it ends where an RFC 4180 reader would end it;
// - a record with more than max_fields fields: reported where the first field too many starts,
//   the rest of the record skipped like an oversized field; this bounds the memory a broken line
//   can take (32 bytes per field, so a line of commas would otherwise cost 32 times its size);
// - invalid UTF-8: the first bad byte of each field is reported and the record is dropped after
//   it has been read to its end, so that invalid text never reaches reports or JSON output.

namespace scgraph::csv {

// ---------------------------------------------------------------------------------------------
// Record: copies and moves keep views into scratch_ valid.

namespace {

void repoint(std::vector<std::string_view>& fields, const char* from, std::size_t size, const char* to) {
  if (from == to) return;
  const std::less_equal<const char*> le;
  for (auto& f : fields)
    if (le(from, f.data()) && le(f.data() + f.size(), from + size))
      f = std::string_view(to + (f.data() - from), f.size());
}

}  // namespace

Record::Record(const Record& other)
    : fields_(other.fields_), positions_(other.positions_), scratch_(other.scratch_), line_(other.line_) {
  repoint(fields_, other.scratch_.data(), other.scratch_.size(), scratch_.data());
}

Record::Record(Record&& other) noexcept
    : fields_(std::move(other.fields_)), positions_(std::move(other.positions_)), line_(other.line_) {
  const char* from = other.scratch_.data();
  const std::size_t size = other.scratch_.size();
  scratch_ = std::move(other.scratch_);
  repoint(fields_, from, size, scratch_.data());
}

Record& Record::operator=(const Record& other) {
  if (this != &other) *this = Record(other);
  return *this;
}

Record& Record::operator=(Record&& other) noexcept {
  if (this == &other) return *this;
  const char* from = other.scratch_.data();
  const std::size_t size = other.scratch_.size();
  fields_ = std::move(other.fields_);
  positions_ = std::move(other.positions_);
  scratch_ = std::move(other.scratch_);
  line_ = other.line_;
  repoint(fields_, from, size, scratch_.data());
  return *this;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Byte classes and scanning.

constexpr std::size_t kSniffBytes = 64 * 1024;  // what the empty/binary checks look at
constexpr std::size_t kMinChunk = 1;  // a zero chunk would never read anything

// Bytes that end a run inside an unquoted field: delimiter, quote, line ends and non-ASCII
// (which needs UTF-8 validation and counts as one column per code point, not per byte).
constexpr std::array<bool, 256> make_plain(bool quoted) {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x80; ++c) t[c] = true;
  t['"'] = t['\n'] = t['\r'] = false;
  if (!quoted) t[','] = false;
  return t;
}
constexpr auto kPlainUnquoted = make_plain(false);
constexpr auto kPlainQuoted = make_plain(true);

// First byte in [p, end) that is not plain text for the current field kind.
template <bool Quoted>
[[gnu::always_inline]] inline const char* scan(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  [[maybe_unused]] const __m128i comma = _mm_set1_epi8(',');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    if constexpr (!Quoted) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, comma));
    // OR-ing the data in sets the mask bit of every byte >= 0x80 as well.
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(hit, v)));
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  const auto& plain = Quoted ? kPlainQuoted : kPlainUnquoted;
  while (p < end && plain[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

#if defined(__SSE2__)
// One bit per byte of the 64 at p: set for a delimiter, quote, line end or non-ASCII byte. One
// mask serves several fields, where a scan per field would load the same bytes again.
[[gnu::always_inline]] inline std::uint64_t special_mask(const char* p) {
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  std::uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(hit, v)))) << (16 * i);
  }
  return mask;
}
#endif

// Length of the valid UTF-8 sequence at s (s[0] >= 0x80), 0 when it is not one (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_length(const unsigned char* s, std::size_t avail) {
  auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < avail && s[i] >= lo && s[i] <= hi;
  };
  const unsigned char b = s[0];
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xF1 && b <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Removes one quote of every doubled pair; returns the new length.
std::size_t unescape_in_place(char* text, std::size_t size) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < size; ++i) {
    text[out++] = text[i];
    if (text[i] == '"') ++i;  // the structure was checked: a quote here is always doubled
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Whole-file checks.

bool looks_binary(std::string_view head) {
  if (head.find('\0') != std::string_view::npos) return true;
  std::size_t control = 0, invalid = 0;
  for (std::size_t i = 0; i < head.size();) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7F) ++control;
      ++i;
      continue;
    }
    const std::size_t len = utf8_length(reinterpret_cast<const unsigned char*>(head.data()) + i, head.size() - i);
    if (len == 0) ++invalid;
    i += len == 0 ? 1 : len;
  }
  // Text in a legacy 8-bit encoding has a few invalid bytes (reported one by one later); data
  // that is mostly control bytes or not UTF-8 at all is not worth reading as CSV. The UTF-8
  // ratio means nothing over a few bytes, so tiny files are left to the per-byte reports.
  constexpr std::size_t kRatioMinimum = 1024;
  return control * 10 > head.size() || (head.size() >= kRatioMinimum && invalid * 3 > head.size());
}

bool accept_head(std::string_view head, const std::string& file, Diagnostics& diag) {
  if (head.empty()) {
    diag.error(file, 0, 0, "file-empty", "file is empty: expected a header row",
               "write the column names on the first line, then one record per line");
    return false;
  }
  if (looks_binary(head)) {
    const bool utf16 = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF");
    diag.error(file, 0, 0, "file-binary", "looks like a binary file, not CSV",
               utf16 ? "the file is UTF-16 text: save it as CSV in UTF-8"
                     : "a spreadsheet or compressed file must be exported or unpacked to CSV (UTF-8) first");
    return false;
  }
  return true;
}

std::string errno_text(int e) { return std::error_code(e, std::generic_category()).message(); }

// Opens read-only; -1 (reported) when the path is missing, unreadable or not a file.
int open_for_reading(const std::filesystem::path& path, const std::string& file, Diagnostics& diag) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT || e == ENOTDIR)
      diag.error(file, 0, 0, "file-missing", "no such file", "check the path (a relative path starts at the current directory)");
    else
      diag.error(file, 0, 0, "file-unreadable", fmt::format("cannot open the file: {}", errno_text(e)),
                 e == EACCES ? "make the file readable by your user" : "");
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    diag.error(file, 0, 0, "file-unreadable", "is a directory, not a CSV file", "give the path of the CSV file itself");
    return -1;
  }
  if (S_ISREG(st.st_mode)) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return fd;
}

// Reads up to kSniffBytes from the start; nullopt (reported) on a read error.
std::optional<std::string> read_head(int fd, const std::string& file, Diagnostics& diag) {
  std::string head(kSniffBytes, '\0');
  std::size_t got = 0;
  while (got < head.size()) {
    const ssize_t n = ::read(fd, head.data() + got, head.size() - got);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      diag.error(file, 0, 0, "file-unreadable", fmt::format("cannot read the file: {}", errno_text(errno)));
      return std::nullopt;
    }
  }
  head.resize(got);
  return head;
}

// ---------------------------------------------------------------------------------------------
// Where the bytes come from: first `pending` (the sniffed start of a file, or a whole text in
// memory), then the file descriptor when there is one.
class Source {
 public:
  Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  void from_text(std::string_view text) { pending_ = text; }
  void from_file(std::string head, int fd) {
    owned_ = std::move(head);
    pending_ = owned_;
    fd_ = fd;
  }
  // Up to n bytes into dst; 0 at the end; -1 with errno set on a read error.
  ssize_t read(char* dst, std::size_t n) {
    if (!pending_.empty()) {
      n = std::min(n, pending_.size());
      std::memcpy(dst, pending_.data(), n);
      pending_.remove_prefix(n);
      return static_cast<ssize_t>(n);
    }
    if (fd_ < 0) return 0;
    ssize_t r;
    do r = ::read(fd_, dst, n);
    while (r < 0 && errno == EINTR);
    return r;
  }

 private:
  std::string owned_;
  std::string_view pending_;
  int fd_ = -1;
};

// ---------------------------------------------------------------------------------------------
// The RFC 4180 state machine, pulling bytes from a Source into one growing buffer.
//
// Offsets rather than pointers are kept across refills because a refill moves the unfinished
// record to the front of the buffer (or into a bigger one); the views of the fields already
// completed in that record are re-pointed at the same moment.
class Parser {
 public:
  Parser(Source& source, const std::string& file, Diagnostics& diag, const ReaderOptions& options)
      : source_(source),
        file_(file),
        diag_(diag),
        max_field_(options.max_field_bytes),
        max_fields_(std::max<std::size_t>(options.max_fields, 1)),
        chunk_(std::max(options.chunk_bytes, kMinChunk)),
        buf_(new char[chunk_]),
        cap_(chunk_) {}

  // Skips a byte-order mark and blank lines; false (reported) when nothing else is there.
  bool start() {
    ensure(3);
    if (end_ - pos_ >= 3 && std::memcmp(buf_.get() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
    if (!skip_blank_lines()) {
      diag_.error(file_, 0, 0, "file-empty", "file is empty: expected a header row",
                  "write the column names on the first line, then one record per line");
      return false;
    }
    return true;
  }

  [[nodiscard]] std::string_view unread() const { return {buf_.get() + pos_, end_ - pos_}; }
  [[nodiscard]] std::uint64_t offset() const { return dropped_ + pos_; }

  bool next(Record& r) {
    for (;;) {
      switch (parse_record(r)) {
        case Outcome::good: return true;
        case Outcome::end: return false;
        case Outcome::dropped: break;
      }
    }
  }

 private:
  enum class Outcome { good, dropped, end };

  Outcome parse_record(Record& r) {
    r.fields_.clear();
    r.positions_.clear();
    r.scratch_.clear();
    building_ = &r;
    if (!skip_blank_lines()) return Outcome::end;
    r.line_ = line_;
    if (simple_record(r)) return Outcome::good;
    r.fields_.clear();
    r.positions_.clear();
    bool bad = false;
    for (;;) {
      field_start_ = pos_;
      field_pos_ = {line_, col_};
      std::size_t value_start = pos_, value_size = 0;  // "a," at the very end: an empty last field
      if (pos_ < end_ || fill()) {
        if (buf_[pos_] == '"') {
          if (!quoted_field(bad)) return Outcome::dropped;
          value_start = field_start_ + 1;
          value_size = quoted_size_;
        } else {
          if (!unquoted_field(bad)) return Outcome::dropped;
          value_start = field_start_;
          value_size = pos_ - field_start_;
        }
      }
      if (pos_ - field_start_ > max_field_) {
        report_too_large();
        bad = true;
      }
      r.fields_.emplace_back(buf_.get() + value_start, value_size);
      r.positions_.push_back(field_pos_);
      if (pos_ == end_ && !fill()) break;
      if (r.fields_.size() == max_fields_ && buf_[pos_] == ',') {
        diag_.error(file_, line_, col_ + 1, "too-many-fields", fmt::format("record has more than {} fields", max_fields_),
                    "a line this wide is not a table row: look for a wrong delimiter or a missing line break");
        ++pos_;
        ++col_;
        skip_rest_of_record(false);
        return Outcome::dropped;
      }
      if (buf_[pos_] == ',') {
        ++pos_;
        ++col_;
        continue;
      }
      line_break();
      break;
    }
    return bad ? Outcome::dropped : Outcome::good;
  }

  // The common case on a fast path: a record already whole in the buffer (at least 64 bytes
  // before its end), without quotes, in valid UTF-8, its fields within the limit. Its state
  // stays in registers, where the general path keeps it in members that survive refills, and
  // one 64-byte mask serves several fields. On anything else it returns false having changed
  // nothing but the record's fields, and the general path reads the record again from its start.
  // Without SSE2 everything takes the general path.
  bool simple_record(Record& r) {
#if defined(__SSE2__)
    const char* const base = buf_.get();
    const char* const e = base + end_;
    const char* p = base + pos_;
    const char* block = p;
    if (e - block < 64) return false;
    std::uint64_t mask = special_mask(block);
    const std::size_t line = line_;
    std::size_t col = col_;
    for (;;) {
      const char* const start = p;
      std::size_t continuation = 0;  // UTF-8 bytes that are not a column of their own
      const char* q;
      for (;;) {
        while (mask == 0) {
          block += 64;
          if (e - block < 64) return false;
          mask = special_mask(block);
        }
        q = block + __builtin_ctzll(mask);
        mask &= mask - 1;
        if (static_cast<unsigned char>(*q) < 0x80) break;
        if (e - q < 4) return false;  // a sequence may be cut by the buffer end
        const std::size_t len = utf8_length(reinterpret_cast<const unsigned char*>(q), 4);
        if (len == 0) return false;
        continuation += len - 1;
        // Its continuation bytes are flagged too: skip them, in this block or the next.
        const auto after = static_cast<std::size_t>(q + len - block);
        if (after < 64) {
          mask &= ~std::uint64_t{0} << after;
        } else {
          block = q + len;
          if (e - block < 64) return false;
          mask = special_mask(block);
        }
      }
      const char c = *q;
      const auto size = static_cast<std::size_t>(q - start);
      if (c == '"' || size > max_field_) return false;
      if (r.fields_.size() == max_fields_) return false;
      r.fields_.emplace_back(start, size);
      r.positions_.push_back({line, col});
      col += size - continuation + 1;
      p = q + 1;
      if (c == ',') continue;
      if (c == '\r') {
        if (p == e) return false;  // a CRLF may be split by the buffer end
        if (*p == '\n') ++p;
      }
      pos_ = static_cast<std::size_t>(p - base);
      line_ = line + 1;
      col_ = 1;
      return true;
    }
#else
    (void)r;
    return false;
#endif
  }

  // The field runs from field_start_ to pos_. False when the record was dropped (reported,
  // input skipped to the next line).
  bool unquoted_field(bool& bad) {
    bool utf8_reported = false;
    for (;;) {
      const char* base = buf_.get();
      const char* p = scan<false>(base + pos_, base + end_);
      col_ += static_cast<std::size_t>(p - (base + pos_));
      pos_ = static_cast<std::size_t>(p - base);
      if (pos_ == end_) {
        if (pos_ - field_start_ > max_field_) {
          report_too_large();
          skip_rest_of_record(false);
          return false;
        }
        if (!fill()) break;
        continue;
      }
      const auto c = static_cast<unsigned char>(*p);
      if (c >= 0x80) {
        step_utf8(utf8_reported);
        bad = bad || utf8_reported;
        continue;
      }
      if (c == '"') {
        diag_.error(file_, line_, col_, "malformed-quoting", "quote character inside an unquoted field",
                    "enclose the whole field in quotes and double the quotes inside it, e.g. \"5\"\" wafer\"");
        skip_line();
        return false;
      }
      break;  // delimiter or line end
    }
    return true;
  }

  // On success the unescaped text is quoted_size_ bytes after the opening quote.
  bool quoted_field(bool& bad) {
    const Record::Position open = field_pos_;
    ++pos_;
    ++col_;
    bool escaped = false, utf8_reported = false;
    std::size_t content_size = 0;
    for (;;) {
      const char* base = buf_.get();
      const char* p = scan<true>(base + pos_, base + end_);
      col_ += static_cast<std::size_t>(p - (base + pos_));
      pos_ = static_cast<std::size_t>(p - base);
      if (pos_ == end_) {
        if (pos_ - field_start_ > max_field_) {
          report_too_large();
          skip_rest_of_record(true);
          return false;
        }
        if (!fill()) {
          diag_.error(file_, open.line, open.column, "malformed-quoting",
                      "quoted field is never closed: the quote opened here runs to the end of the file",
                      "add the missing closing quote; a quote inside a quoted field is written twice (\"\")");
          building_->fields_.clear();
          return false;
        }
        continue;
      }
      const char c = *p;
      if (c == '"') {
        if (ensure(2) && buf_[pos_ + 1] == '"') {
          escaped = true;
          pos_ += 2;
          col_ += 2;
          continue;
        }
        content_size = pos_ - field_start_ - 1;
        ++pos_;
        ++col_;
        break;
      }
      if (c == '\n' || c == '\r') {
        line_break();
        continue;
      }
      step_utf8(utf8_reported);
      bad = bad || utf8_reported;
    }
    if (pos_ < end_ || fill()) {
      const char c = buf_[pos_];
      if (c != ',' && c != '\n' && c != '\r') {
        diag_.error(file_, line_, col_, "malformed-quoting", "unexpected text after the closing quote of a field",
                    "a quoted field ends at its closing quote; double a quote that belongs to the text (\"\")");
        skip_line();
        return false;
      }
    }
    // field_start_, not a pointer taken earlier: fill() may have moved the buffer.
    if (escaped) content_size = unescape_in_place(buf_.get() + field_start_ + 1, content_size);
    quoted_size_ = content_size;
    return true;
  }

  // At a byte >= 0x80: consumes one code point, or one byte of an invalid sequence.
  void step_utf8(bool& reported) {
    ensure(4);  // fewer only at the end of the input, which utf8_length treats as truncated
    const auto* s = reinterpret_cast<const unsigned char*>(buf_.get() + pos_);
    std::size_t len = utf8_length(s, end_ - pos_);
    if (len == 0) {
      if (!reported)
        diag_.error(file_, line_, col_, "invalid-utf8", fmt::format("invalid UTF-8 (byte 0x{:02X})", s[0]),
                    "save the file as UTF-8 (\"CSV UTF-8\" in a spreadsheet, or iconv -f WINDOWS-1252 -t UTF-8 old.csv > new.csv)");
      reported = true;
      len = 1;
    }
    pos_ += len;
    ++col_;
  }

  // At CR or LF: consumes the line end (CRLF counts once).
  void line_break() {
    if (buf_[pos_++] == '\r' && (pos_ < end_ || fill()) && buf_[pos_] == '\n') ++pos_;
    ++line_;
    col_ = 1;
  }

  // False at the end of the input.
  bool skip_blank_lines() {
    for (;;) {
      keep_ = pos_;
      if (pos_ == end_ && !fill()) return false;
      const char c = buf_[pos_];
      if (c != '\n' && c != '\r') return true;
      line_break();
    }
  }

  // Recovery after malformed quoting: drops the record and input up to the next line end.
  void skip_line() {
    building_->fields_.clear();
    for (;;) {
      keep_ = pos_;
      while (pos_ < end_ && buf_[pos_] != '\n' && buf_[pos_] != '\r') ++pos_;
      if (pos_ < end_) {
        line_break();
        return;
      }
      if (!fill()) return;
    }
  }

  void report_too_large() {
    diag_.error(file_, field_pos_.line, field_pos_.column, "field-too-large",
                fmt::format("field is larger than {} bytes", max_field_),
                "look for a missing closing quote at or before this field, or raise the field size limit");
  }

  // After a field outgrew its limit before its end, or a record its field count: discards input
  // up to the end of the record as RFC 4180 would find it (following quotes), without buffering.
  void skip_rest_of_record(bool in_quotes) {
    building_->fields_.clear();
    Record::Position open = field_pos_;
    bool after_quote = false;  // a quote right after a closing one is an escaped pair, not a new opening
    for (;;) {
      keep_ = pos_;
      if (pos_ == end_ && !fill()) break;
      const char c = buf_[pos_];
      if (c == '"') {
        if (!in_quotes && !after_quote) open = {line_, col_};
        in_quotes = !in_quotes;
        after_quote = !in_quotes;
        ++pos_;
        ++col_;
        continue;
      }
      after_quote = false;
      if (c == '\n' || c == '\r') {
        line_break();
        if (!in_quotes) return;
        continue;
      }
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++col_;
      ++pos_;
    }
    if (in_quotes)
      diag_.error(file_, open.line, open.column, "malformed-quoting",
                  "quoted field is never closed: the quote opened here runs to the end of the file",
                  "add the missing closing quote; a quote inside a quoted field is written twice (\"\")");
  }

  // At least n bytes from pos_; false when the input ends first.
  bool ensure(std::size_t n) {
    while (end_ - pos_ < n)
      if (!fill()) return false;
    return true;
  }

  // Reads more input after end_, keeping everything from keep_ on; false (nothing added) at the
  // end of the input.
  bool fill() {
    if (eof_) return false;
    if (keep_ > 0) {
      const std::size_t drop = keep_;
      dropped_ += drop;
      std::memmove(buf_.get(), buf_.get() + drop, end_ - drop);
      end_ -= drop;
      pos_ -= drop;
      field_start_ = field_start_ >= drop ? field_start_ - drop : 0;
      keep_ = 0;
      repoint_fields(buf_.get() + drop, buf_.get());
    } else if (end_ == cap_) {
      // The unfinished record fills the whole buffer: the only case where it grows.
      std::unique_ptr<char[]> bigger(new char[cap_ * 2]);
      std::memcpy(bigger.get(), buf_.get(), end_);
      repoint_fields(buf_.get(), bigger.get());
      buf_ = std::move(bigger);
      cap_ *= 2;
    }
    for (;;) {
      const ssize_t n = source_.read(buf_.get() + end_, std::min(cap_ - end_, chunk_));
      if (n > 0) {
        end_ += static_cast<std::size_t>(n);
        return true;
      }
      if (n < 0) diag_.error(file_, line_, 0, "file-unreadable", fmt::format("cannot read the file: {}", errno_text(errno)));
      eof_ = true;
      return false;
    }
  }

  // The completed fields of the record being read point into the buffer; `from` is where the
  // record's data was, `to` where it is now.
  void repoint_fields(const char* from, const char* to) {
    if (building_ == nullptr) return;
    for (auto& f : building_->fields_) f = std::string_view(to + (f.data() - from), f.size());
  }

  Source& source_;
  const std::string& file_;
  Diagnostics& diag_;
  std::size_t max_field_;
  std::size_t max_fields_;
  std::size_t chunk_;
  std::unique_ptr<char[]> buf_;
  std::size_t cap_;
  std::uint64_t dropped_ = 0;    // bytes of the input moved out of the buffer so far
  std::size_t pos_ = 0;          // next byte to look at
  std::size_t end_ = 0;          // end of the data in buf_
  std::size_t keep_ = 0;         // start of what a refill must keep (the record being read)
  std::size_t field_start_ = 0;  // first byte of the field being read (its opening quote, if any)
  Record::Position field_pos_{1, 1};
  std::size_t quoted_size_ = 0;  // text size of the quoted field just read
  std::size_t line_ = 1;  // position of the byte at pos_
  std::size_t col_ = 1;
  bool eof_ = false;
  Record* building_ = nullptr;
};

}  // namespace

// ---------------------------------------------------------------------------------------------

struct Reader::Impl {
  explicit Impl(std::string name) : display(std::move(name)) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  std::string display;
  int fd = -1;
  Source source;
  std::optional<Parser> parser;
  bool ok = false;
};

Reader::Reader(std::filesystem::path path, std::string display_name, Diagnostics& diagnostics, ReaderOptions options)
    : impl_(std::make_unique<Impl>(std::move(display_name))) {
  Impl& d = *impl_;
  d.fd = open_for_reading(path, d.display, diagnostics);
  if (d.fd < 0) return;
  auto head = read_head(d.fd, d.display, diagnostics);
  if (!head || !accept_head(*head, d.display, diagnostics)) return;
  d.source.from_file(std::move(*head), d.fd);
  d.parser.emplace(d.source, d.display, diagnostics, options);
  d.ok = d.parser->start();
}

Reader::~Reader() = default;

bool Reader::ok() const { return impl_->ok; }

bool Reader::next(Record& record) { return impl_->ok && impl_->parser->next(record); }

const std::string& Reader::display_name() const { return impl_->display; }

std::string_view Reader::unread() const { return impl_->ok ? impl_->parser->unread() : std::string_view{}; }

std::uint64_t Reader::offset() const { return impl_->ok ? impl_->parser->offset() : 0; }

std::vector<Record> parse_text(std::string_view text, std::string display_name, Diagnostics& diagnostics,
                               ReaderOptions options) {
  std::vector<Record> records;
  if (!accept_head(text.substr(0, kSniffBytes), display_name, diagnostics)) return records;
  Source source;
  source.from_text(text);
  Parser parser(source, display_name, diagnostics, options);
  if (!parser.start()) return records;
  Record r;
  while (parser.next(r)) {
    // The parser's buffer is reused, so each record takes its own copy of its text.
    Record owned;
    std::size_t total = 0;
    for (auto f : r.fields_) total += f.size();
    owned.scratch_.reserve(total);  // no reallocation below: the views stay valid
    for (auto f : r.fields_) {
      const std::size_t at = owned.scratch_.size();
      owned.scratch_.append(f);
      owned.fields_.emplace_back(owned.scratch_.data() + at, f.size());
    }
    owned.positions_ = r.positions_;
    owned.line_ = r.line_;
    records.push_back(std::move(owned));
  }
  return records;
}

}  // namespace scgraph::csv
