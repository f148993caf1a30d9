// Limits instead of failure: data-sized depth never reaches the call stack, caps give clear
// errors, and an interrupted run removes its temporary output.
#include <doctest/doctest.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "graph/atomic_output.hpp"
#include "graph/interrupts.hpp"
#include "graph/knockout.hpp"
#include "graph/reliance.hpp"
#include "test_support.hpp"

using namespace scgraph;

TEST_CASE("limits: a chain of a million suppliers loads, evaluates and knocks out without recursion") {
  const int n = 1'000'000;
  std::string nodes = "id,kind,country\n", edges = "supplier,consumer\n";
  nodes.reserve(std::size_t(n) * 20);
  edges.reserve(std::size_t(n) * 20);
  for (int v = 0; v < n; ++v) {
    nodes += "C" + std::to_string(v) + ",fab," + (v % 2 ? "CHN" : "USA") + "\n";
    if (v) edges += "C" + std::to_string(v - 1) + ",C" + std::to_string(v) + "\n";
  }
  auto loaded = test::load_text(nodes, edges);
  REQUIRE(loaded.graph);
  const auto& g = *loaded.graph;
  CHECK(g.components().size() == std::size_t(n));
  auto base = evaluate(g);
  CHECK(base.availability[*g.find("C999999")] == 1.0);
  // Knocking out the head of the chain takes everything down: loss = 1.
  NodeId head[] = {*g.find("C0")};
  KnockoutEngine engine(g, base);
  auto impact = engine.knock_out(head);
  CHECK(impact.loss == doctest::Approx(1.0));
  CHECK(impact.hard_dependents == std::uint32_t(n - 1));
}

TEST_CASE("limits: a cycle through a long chain is one component, solved iteratively") {
  const int n = 200'000;
  std::string nodes = "id,kind,country\n", edges = "supplier,consumer\n";
  for (int v = 0; v < n; ++v) {
    nodes += "R" + std::to_string(v) + ",fab,CHN\n";
    edges += "R" + std::to_string(v) + ",R" + std::to_string((v + 1) % n) + "\n";
  }
  auto loaded = test::load_text(nodes, edges);
  REQUIRE(loaded.graph);
  CHECK(loaded.graph->components().size() == 1);
  auto x = evaluate(*loaded.graph);
  // A closed domestic ring is self-sufficient at the greatest fixed point.
  CHECK(x.effective[0] == 1.0);
  CHECK(x.availability[n - 1] == 1.0);
}

TEST_CASE("limits: node and edge caps are clear errors") {
  test::TempDir dir;
  SnapshotFiles files;
  files.nodes = dir.write("nodes.csv", "id,kind,country\nA,fab,CHN\nB,fab,CHN\nC,fab,CHN\n");
  files.edges = dir.write("edges.csv", "supplier,consumer\nA,B\nB,C\n");
  files.nodes_display = "nodes.csv";
  files.edges_display = "edges.csv";
  LoadLimits limits;
  limits.max_nodes = 2;
  Diagnostics diag;
  CHECK_FALSE(load_snapshot(files, "CHN", diag, limits));
  bool found = false;
  for (const auto& d : diag.entries()) found |= d.code == "too-many-nodes" && d.line == 4;
  CHECK(found);
  limits.max_nodes = 10;
  limits.max_edges = 1;
  Diagnostics diag2;
  CHECK_FALSE(load_snapshot(files, "CHN", diag2, limits));
  found = false;
  for (const auto& d : diag2.entries()) found |= d.code == "too-many-edges" && d.line == 3;
  CHECK(found);
}

TEST_CASE("interrupts: SIGTERM removes a staged output folder before the process ends") {
  test::TempDir dir;
  auto destination = dir.path() / "report";
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    install_interrupt_cleanup();
    StagedDirectory staged(destination);
    std::ofstream(staged.path() / "half-written.html") << "<html>";
    char path_byte = 1;
    if (write(ready[1], &path_byte, 1) != 1) _exit(3);
    pause();  // the test terminates us here
    _exit(0);
  }
  char byte = 0;
  REQUIRE(read(ready[0], &byte, 1) == 1);
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  CHECK_FALSE(std::filesystem::exists(destination));
  // nothing else is left in the folder either: no temporary files
  CHECK(std::filesystem::is_empty(dir.path()));
  close(ready[0]);
  close(ready[1]);
}

TEST_CASE("atomic output: a staged folder replaces the old one only on commit") {
  test::TempDir dir;
  auto destination = dir.path() / "out";
  std::filesystem::create_directories(destination);
  std::ofstream(destination / "old.txt") << "old";
  {
    StagedDirectory staged(destination);
    std::ofstream(staged.path() / "new.txt") << "new";
    // no commit: as if the run failed
  }
  CHECK(std::filesystem::exists(destination / "old.txt"));
  CHECK_FALSE(std::filesystem::exists(destination / "new.txt"));
  {
    StagedDirectory staged(destination);
    std::ofstream(staged.path() / "new.txt") << "new";
    staged.commit();
  }
  CHECK_FALSE(std::filesystem::exists(destination / "old.txt"));
  CHECK(std::filesystem::exists(destination / "new.txt"));
  std::size_t entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++entries;
  CHECK(entries == 1);
  write_file_atomically(dir.path() / "file.txt", "content");
  std::ifstream in(dir.path() / "file.txt");
  std::string text;
  std::getline(in, text);
  CHECK(text == "content");
}
