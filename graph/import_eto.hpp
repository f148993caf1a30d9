#pragma once
// scgraph import eto: the ETO Advanced Semiconductor Supply Chain Dataset (inputs.csv,
// providers.csv, provision.csv, sequence.csv) turned into an scgraph dataset with one snapshot.
//
// Every ETO input becomes an aggregate node (kind category) named by its input_id; whoever provides
// it becomes a producer node (one per country, or per firm plus each country's unlisted rest) that
// supplies the aggregate's single requirement with its share, so that the home country's direct
// share of an input is exactly its published share at either level. "goes into" makes every producer of the consuming input need the supplied one;
// "is a type of" makes a parent without providers of its own the market-weighted alternative of its
// subtypes, and gives the consumers of a parent a second, finer requirement: its types. The full
// mapping and the reason for each choice are in docs/IMPORT-ETO.md.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "diagnostics.hpp"
#include "eto_mapping.hpp"

namespace scgraph::eto {

struct ImportOptions {
  std::string home;                  // ISO alpha-3 of the country whose reliance is measured
  Level level = Level::country;      // producers per country, or per firm
  std::optional<int> year;           // provision as of this year; default: each input's latest
  std::string release;               // empty: read from the release's README.md title
};

struct ImportedDataset {
  std::string manifest;  // dataset.toml
  std::string nodes_csv, edges_csv;
  std::optional<int> year;  // the provision year used; empty when the release dates no row
  std::size_t inputs = 0, producers = 0, nodes = 0, edges = 0;
  std::size_t inputs_with_shares = 0;  // inputs whose providers carry shares
};

// Reads the release in `folder` (diagnostics call its files `display`/inputs.csv and so on) and
// maps it. Problems that make the release unusable (a missing file or required column) are errors
// and give nullopt; everything the mapping had to decide about (scaled shares, providers without a
// share, unknown ids) is a warning.
std::optional<ImportedDataset> import_release(const std::filesystem::path& folder, const std::string& display,
                                              const ImportOptions& options, Diagnostics& diagnostics);

// Writes dataset.toml, nodes.csv and edges.csv into a folder staged next to `out`, loads the staged
// snapshot as every command would, and moves it into place only when that load has no error. The
// load's findings go to `load_diagnostics`. replace_existing: an existing `out` is replaced on
// success (otherwise it is an error). Returns whether the dataset was written; throws on I/O errors.
bool write_dataset(const ImportedDataset& dataset, const std::string& home, const std::filesystem::path& out,
                   bool replace_existing, Diagnostics& load_diagnostics);

}  // namespace scgraph::eto
