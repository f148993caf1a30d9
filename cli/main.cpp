#include <iostream>
#include <unistd.h>

#include "commands.hpp"
#include "graph/interrupts.hpp"

int main(int argc, char** argv) {
  using namespace scgraph::cli;
  Context ctx{std::cout, std::cerr, isatty(STDOUT_FILENO) == 1};
  scgraph::install_interrupt_cleanup();
  CLI::App app{"scgraph: supply-chain dependency graphs, self-reliance and chokepoints"};
  app.name("scgraph");
  app.require_subcommand(1);
  app.set_version_flag("--version", "scgraph 0.1.0");
  add_validate_command(app, ctx);
  add_reliance_command(app, ctx);
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
