#pragma once
// Each subcommand lives in its own cmd_*.cpp and registers itself here.
#include <CLI/CLI.hpp>

#include "common.hpp"

namespace scgraph::cli {

void add_validate_command(CLI::App& app, Context& ctx);
void add_reliance_command(CLI::App& app, Context& ctx);

}  // namespace scgraph::cli
