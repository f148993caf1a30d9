// scgraph import eto: an scgraph dataset from the public ETO Advanced Semiconductor Supply Chain
// Dataset. The mapping is the library's (graph/import_eto.hpp); this is argument handling, the
// overwrite rule and the messages.
#include <filesystem>
#include <limits>
#include <ostream>

#include "commands.hpp"
#include "graph/import_eto.hpp"

namespace scgraph::cli {

namespace {

namespace fs = std::filesystem;

struct ImportEtoArgs {
  std::string release_dir, home, out, level = "country", release;
  std::optional<int> year;
  bool force = false, quiet = false;
};

void run_import_eto(const ImportEtoArgs& args, Context& ctx) {
  if (!is_country_code(args.home)) {
    usage_error(ctx, "--home '" + args.home + "' is not an ISO 3166-1 alpha-3 code (three upper-case letters, e.g. CHN)");
    return;
  }
  // An existing folder is replaced only on request, and only once the new one is complete.
  const fs::path out(args.out);
  std::error_code ec;
  bool replace = false;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) {
      usage_error(ctx, "--out " + args.out + " exists and is not a folder");
      return;
    }
    if (!fs::is_empty(out, ec) && !args.force) {
      usage_error(ctx, "--out " + args.out + " exists and is not empty: pass --force to replace it");
      return;
    }
    replace = true;
  }
  if (!fs::is_directory(args.release_dir, ec)) {
    ctx.err << args.release_dir << ": error: no such folder (give the folder holding inputs.csv, providers.csv, "
            << "provision.csv and sequence.csv)\n";
    ctx.exit_code = exit_invalid;
    return;
  }

  eto::ImportOptions options;
  options.home = args.home;
  options.level = args.level == "firm" ? eto::Level::firm : eto::Level::country;
  options.year = args.year;
  options.release = args.release;
  Diagnostics diagnostics;
  auto imported = eto::import_release(args.release_dir, args.release_dir, options, diagnostics);
  // Every warning of the mapping: they record what it decided, and no later command can list them again.
  report_diagnostics(diagnostics, ctx, args.quiet, std::numeric_limits<std::size_t>::max());
  if (!imported) {
    ctx.err << "scgraph: the ETO release cannot be imported; nothing was written\n";
    ctx.exit_code = exit_invalid;
    return;
  }

  Diagnostics load_diagnostics;
  bool written = false;
  try {
    written = eto::write_dataset(*imported, args.home, out, replace, load_diagnostics);
  } catch (const std::exception& e) {
    ctx.err << "scgraph: " << e.what() << "; nothing was written\n";
    ctx.exit_code = exit_invalid;
    return;
  }
  if (!written) {
    report_diagnostics(load_diagnostics, ctx, args.quiet);
    ctx.err << "scgraph: the mapped dataset does not load; nothing was written\n";
    ctx.exit_code = exit_invalid;
    return;
  }
  if (args.quiet) return;
  ctx.err << "scgraph: wrote " << args.out << ": " << imported->nodes << " nodes (" << imported->inputs << " inputs, "
          << imported->producers << " producers), " << imported->edges << " edges";
  if (imported->year) ctx.err << ", year " << *imported->year;
  ctx.err << "; " << imported->inputs_with_shares << " inputs have provider shares\n";
  if (load_diagnostics.warning_count())
    ctx.err << "scgraph: the dataset loads with " << load_diagnostics.warning_count()
            << " warnings (unmapped supply, inputs without providers); 'scgraph validate " << args.out
            << "' lists them\n";
  ctx.err << "scgraph: the [target] in dataset.toml is a placeholder (70 % nominal by 2028): edit it to your goal\n";
}

}  // namespace

void add_import_command(CLI::App& app, Context& ctx) {
  CLI::App* import = app.add_subcommand("import", "turn a public dataset into an scgraph dataset");
  import->require_subcommand(1);
  auto args = std::make_shared<ImportEtoArgs>();
  CLI::App* eto = import->add_subcommand("eto", "the ETO Advanced Semiconductor Supply Chain Dataset (ETO/CSET, CC BY 4.0)");
  eto->add_option("ETO_DIR", args->release_dir, "folder of the release: inputs.csv, providers.csv, provision.csv, sequence.csv")
      ->required();
  eto->add_option("--home", args->home, "home country (ISO alpha-3), e.g. CHN")->required();
  eto->add_option("--out", args->out, "dataset folder to write")->required();
  eto->add_option("--level", args->level, "producers per country (default) or per firm")
      ->check(CLI::IsMember({"country", "firm"}))
      ->capture_default_str();
  eto->add_option("--year", args->year, "provision as of this year (default: each input's latest)");
  eto->add_option("--release", args->release, "release name for dataset.toml (default: from the release's README.md)");
  eto->add_flag("--force", args->force, "replace an existing, non-empty --out folder");
  eto->add_flag("--quiet,-q", args->quiet, "no warnings or summary on standard error");
  eto->callback([args, &ctx] { run_import_eto(*args, ctx); });
}

}  // namespace scgraph::cli
