#pragma once
// What every subcommand shares: dataset arguments, loading with validation, output format, and
// the exit status contract (0 success, 1 invalid data or failed check, 2 usage error).
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "graph/dataset.hpp"
#include "graph/diagnostics.hpp"
#include "graph/loader.hpp"
#include "graph/model.hpp"
#include "graph/work_progress.hpp"

namespace scgraph::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_invalid = 1;
inline constexpr int exit_usage = 2;
inline constexpr const char* schema = "scgraph/1";
// Warnings of one rule stored while an analysis command loads (the others are only counted);
// `validate` and `report` keep every warning.
inline constexpr std::size_t warnings_kept_per_code = 100;

struct Context {
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool err_is_terminal = false;  // progress lines are drawn only on a terminal
  int exit_code = exit_ok;
  WorkProgress* progress_line = nullptr;  // set by main when standard error is a terminal
};

// Where long work reports progress: nowhere with --quiet or when standard error is not a terminal.
inline WorkProgress* progress_sink(const Context& ctx, bool quiet) { return quiet ? nullptr : ctx.progress_line; }

enum class Format { table, json, csv };

struct DatasetArgs {
  std::string path;
  std::optional<int> year;
  std::optional<std::string> home;
  std::string format;  // empty: table on a terminal, JSON otherwise
  bool quiet = false;
  LoadLimits limits;
};

// Adds DATASET, --year, --home, --format, --quiet and the size limits to a subcommand.
void add_dataset_args(CLI::App& command, DatasetArgs& args, bool with_format = true);
Format resolve_format(const DatasetArgs& args, const Context& ctx);

struct Loaded {
  Dataset dataset;
  SnapshotFiles snapshot;
  SupplyGraph graph;
};

// Opens the dataset and loads the chosen snapshot, validating it. Errors (and warnings unless
// --quiet) go to standard error; on any error the exit code becomes 1 and nothing is returned.
std::optional<Loaded> load(const DatasetArgs& args, Context& ctx);
std::optional<Dataset> open(const DatasetArgs& args, Context& ctx);
std::optional<SupplyGraph> load_year(const Dataset& dataset, const SnapshotFiles& snapshot, const DatasetArgs& args,
                                     Context& ctx);

// Prints diagnostics to standard error: every error, and at most `warning_limit` warnings (analysis
// commands keep standard error short; `validate` lists every warning).
void report_diagnostics(Diagnostics& diagnostics, Context& ctx, bool quiet, std::size_t warning_limit = 5);

// A JSON document's text: two-space indent, stable key order, invalid UTF-8 replaced.
std::string dump(const nlohmann::ordered_json& doc);
nlohmann::ordered_json number_or_null(std::optional<double> value);

// Sets the usage error exit code and says what is wrong.
void usage_error(Context& ctx, const std::string& message);

}  // namespace scgraph::cli
