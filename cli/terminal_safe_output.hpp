#pragma once
// What reaches a terminal cannot steer it. Names and descriptions come from data files, and a name
// holding ESC sequences or other control characters could recolour, retitle or rewrite the
// user's terminal. When standard output or standard error is a terminal, their text passes
// through this buffer: line breaks stay, every other C0 control, DEL and every C1 control
// (U+0080..U+009F) is shown as a visible escape (\x1b, \u009b). Pipes and files get the bytes
// unchanged: JSON escapes them itself, and CSV must keep its data exact.
#include <streambuf>

namespace scgraph::cli {

class TerminalSafeBuffer final : public std::streambuf {
 public:
  // keep_carriage_return: the progress line on standard error rewrites itself with '\r'.
  TerminalSafeBuffer(std::streambuf* target, bool keep_carriage_return)
      : target_(target), keep_carriage_return_(keep_carriage_return) {}
  ~TerminalSafeBuffer() override;
  TerminalSafeBuffer(const TerminalSafeBuffer&) = delete;
  TerminalSafeBuffer& operator=(const TerminalSafeBuffer&) = delete;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void put(unsigned char c);
  void flush_pending_lead();
  std::streambuf* target_;
  bool keep_carriage_return_;
  bool pending_c2_ = false;  // a 0xC2 byte whose next byte decides whether it starts a C1 control
};

}  // namespace scgraph::cli
