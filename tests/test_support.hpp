#pragma once
// Test helpers: throw-away datasets written to a temporary folder and loaded like real ones.
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>

#include "graph/diagnostics.hpp"
#include "graph/loader.hpp"

namespace scgraph::test {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("scgraph-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& relative, const std::string& text) const {
    auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// Loads a snapshot from CSV texts; diagnostics name the files "nodes.csv" and "edges.csv".
struct LoadedText {
  std::optional<SupplyGraph> graph;
  Diagnostics diagnostics;
  bool has(const std::string& code) const {
    for (const auto& d : diagnostics.entries())
      if (d.code == code) return true;
    return false;
  }
  const Diagnostic* find(const std::string& code) const {
    for (const auto& d : diagnostics.entries())
      if (d.code == code) return &d;
    return nullptr;
  }
};

inline LoadedText load_text(const std::string& nodes, const std::string& edges, const std::string& home = "CHN") {
  TempDir dir;
  SnapshotFiles files;
  files.nodes = dir.write("nodes.csv", nodes);
  files.edges = dir.write("edges.csv", edges);
  files.nodes_display = "nodes.csv";
  files.edges_display = "edges.csv";
  LoadedText out;
  out.graph = load_snapshot(files, home, out.diagnostics);
  out.diagnostics.sort();
  return out;
}

inline std::string source_dir() { return SCGRAPH_SOURCE_DIR; }

}  // namespace scgraph::test
