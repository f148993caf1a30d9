#pragma once
// Each subcommand lives in its own cmd_*.cpp and registers itself here.
#include <CLI/CLI.hpp>

#include "common.hpp"

namespace scgraph::cli {

void add_validate_command(CLI::App& app, Context& ctx);
void add_reliance_command(CLI::App& app, Context& ctx);
void add_progress_command(CLI::App& app, Context& ctx);
void add_diff_command(CLI::App& app, Context& ctx);
void add_report_command(CLI::App& app, Context& ctx);
void add_import_command(CLI::App& app, Context& ctx);
void add_chokepoints_command(CLI::App& app, Context& ctx);
void add_whatif_command(CLI::App& app, Context& ctx);
void add_scenarios_command(CLI::App& app, Context& ctx);
void add_show_command(CLI::App& app, Context& ctx);
void add_upstream_command(CLI::App& app, Context& ctx);
void add_downstream_command(CLI::App& app, Context& ctx);
void add_path_command(CLI::App& app, Context& ctx);
// (new commands: add one declaration line above this comment)

}  // namespace scgraph::cli
