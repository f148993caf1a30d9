// A whole snapshot from fuzzer bytes: nodes.csv, a "\n====\n" separator, edges.csv. The loader
// and validator must never crash or hang; a graph it accepts must satisfy the reliance invariants.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "graph/loader.hpp"
#include "graph/reliance.hpp"

namespace {
// One folder per fuzzing process (in memory where /dev/shm exists), removed when it ends.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    auto base = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
    path = base / ("scgraph-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};
const std::filesystem::path& scratch_dir() {
  static const ScratchDir dir;
  return dir.path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::size_t cut = input.find("\n====\n");
  std::string nodes = input.substr(0, cut);
  std::string edges = cut == std::string::npos ? std::string("supplier,consumer\n") : input.substr(cut + 6);
  scgraph::SnapshotFiles files;
  files.nodes = scratch_dir() / "nodes.csv";
  files.edges = scratch_dir() / "edges.csv";
  files.nodes_display = "nodes.csv";
  files.edges_display = "edges.csv";
  std::ofstream(files.nodes, std::ios::binary | std::ios::trunc) << nodes;
  std::ofstream(files.edges, std::ios::binary | std::ios::trunc) << edges;
  scgraph::Diagnostics diag;
  scgraph::LoadLimits limits;
  limits.max_field_bytes = 4096;
  limits.max_nodes = 10000;
  limits.max_edges = 100000;
  auto graph = scgraph::load_snapshot(files, "CHN", diag, limits);
  if (graph && diag.has_errors()) std::abort();
  if (!graph) return 0;
  auto values = scgraph::evaluate(*graph);
  for (scgraph::NodeId v = 0; v < graph->node_count(); ++v) {
    double a = values.availability[v], e = values.effective[v], d = values.direct[v];
    if (!(e >= 0 && e <= a + 1e-9 && a <= 1 && d >= 0 && d <= 1 + 1e-9)) std::abort();
  }
  return 0;
}
