#pragma once
// Runs the real scgraph executable for the command-line tests: no shell in between, the working
// directory set, standard output and standard error captured whole.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace scgraph::test {

struct ProgramResult {
  std::string out, err;
  // "0", "1", ... for a normal exit; "signal N" when the process was killed (a crash, or the
  // time limit below).
  std::string status;
};

inline std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `program` with `args` in `directory`. The outputs go to files rather than pipes, so that a
// child writing much to both streams can never block on a pipe nobody is reading.
inline ProgramResult run_program(const std::string& program, const std::vector<std::string>& args,
                                 const std::filesystem::path& directory, unsigned time_limit_seconds = 120) {
  TempDir scratch;
  const std::string out_path = (scratch.path() / "stdout").string(), err_path = (scratch.path() / "stderr").string();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) return {"", "fork failed", "fork failed"};
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
        ::chdir(directory.c_str()) != 0)
      ::_exit(127);
    ::alarm(time_limit_seconds);  // survives exec: a hung program ends with SIGALRM
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  ProgramResult r;
  r.out = read_whole_file(out_path);
  r.err = read_whole_file(err_path);
  r.status = WIFEXITED(wstatus) ? std::to_string(WEXITSTATUS(wstatus)) : "signal " + std::to_string(WTERMSIG(wstatus));
  return r;
}

inline ProgramResult run_scgraph(const std::vector<std::string>& args) {
  return run_program(SCGRAPH_BINARY, args, SCGRAPH_SOURCE_DIR);
}

}  // namespace scgraph::test
