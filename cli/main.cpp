#include <iostream>
#include <unistd.h>

#include "commands.hpp"
#include "graph/interrupts.hpp"
#include "terminal_progress.hpp"
#include "terminal_safe_output.hpp"

namespace {

// Routes a terminal stream through TerminalSafeBuffer for the life of main, then puts it back.
class TerminalGuard {
 public:
  TerminalGuard(std::ostream& stream, bool is_terminal, bool keep_carriage_return)
      : stream_(stream), safe_(stream.rdbuf(), keep_carriage_return) {
    if (is_terminal) previous_ = stream_.rdbuf(&safe_);
  }
  ~TerminalGuard() {
    if (previous_) {
      stream_.flush();
      stream_.rdbuf(previous_);
    }
  }
  TerminalGuard(const TerminalGuard&) = delete;
  TerminalGuard& operator=(const TerminalGuard&) = delete;

 private:
  std::ostream& stream_;
  scgraph::cli::TerminalSafeBuffer safe_;
  std::streambuf* previous_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace scgraph::cli;
  const bool out_is_terminal = isatty(STDOUT_FILENO) == 1;
  const bool err_is_terminal = isatty(STDERR_FILENO) == 1;
  TerminalGuard safe_out(std::cout, out_is_terminal, /*keep_carriage_return=*/false);
  TerminalGuard safe_err(std::cerr, err_is_terminal, /*keep_carriage_return=*/true);
  TerminalProgress progress_line(std::cerr, err_is_terminal);
  Context ctx{std::cout, std::cerr, out_is_terminal, err_is_terminal, exit_ok, progress_line.sink()};
  scgraph::install_interrupt_cleanup();
  CLI::App app{"scgraph: supply-chain dependency graphs, self-reliance and chokepoints"};
  app.name("scgraph");
  app.require_subcommand(1);
  app.set_version_flag("--version", "scgraph 0.1.0");
  add_validate_command(app, ctx);
  add_reliance_command(app, ctx);
  add_progress_command(app, ctx);
  add_diff_command(app, ctx);
  add_report_command(app, ctx);
  add_import_command(app, ctx);
  add_chokepoints_command(app, ctx);
  add_whatif_command(app, ctx);
  add_scenarios_command(app, ctx);
  add_show_command(app, ctx);
  add_upstream_command(app, ctx);
  add_downstream_command(app, ctx);
  add_path_command(app, ctx);
  // (new commands: add one registration line above this comment)
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  } catch (const std::exception& e) {
    std::cerr << "scgraph: internal error: " << e.what() << "\n";
    return exit_invalid;
  }
  return ctx.exit_code;
}
