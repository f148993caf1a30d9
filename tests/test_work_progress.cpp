// Progress reporting: the library reports every phase completely and the results do not depend on
// whether anyone listens; the terminal line appears only when enabled and is wiped at the end.
#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

#include "cli/terminal_progress.hpp"
#include "graph/chokepoints.hpp"
#include "graph/knockout.hpp"
#include "graph/loss_bounds.hpp"
#include "random_graphs.hpp"
#include "test_support.hpp"

using namespace scgraph;

namespace {

struct RecordedPhase {
  std::string name, unit;
  std::uint64_t total = 0, last = 0, calls = 0;
  bool ended = false;
};

class RecordingProgress final : public WorkProgress {
 public:
  void begin(std::string_view phase, std::uint64_t total, std::string_view unit) override {
    std::lock_guard guard(lock);
    phases.push_back({std::string(phase), std::string(unit), total});
  }
  void advance(std::uint64_t done) override {
    std::lock_guard guard(lock);
    auto& p = phases.back();
    p.last = std::max(p.last, done);
    ++p.calls;
  }
  void end() override {
    std::lock_guard guard(lock);
    phases.back().ended = true;
  }
  std::mutex lock;
  std::vector<RecordedPhase> phases;
};

struct RandomSnapshot {
  explicit RandomSnapshot(unsigned seed) : loaded(load(seed)) {}
  static test::LoadedText load(unsigned seed) {
    auto text = test::random_graph(seed, 300, 6);
    auto result = test::load_text(text.nodes, text.edges);
    REQUIRE(result.graph);  // before g below binds to it
    return result;
  }
  test::LoadedText loaded;
  const SupplyGraph& g = *loaded.graph;
  NodeValues base = evaluate(g);
};

}  // namespace

TEST_CASE("work progress: all-node knockouts report every node and give the same figures as without a listener") {
  RandomSnapshot snapshot(5);
  const auto& g = snapshot.g;
  const auto& base = snapshot.base;
  auto quiet = knock_out_each_node(g, base, 2);
  RecordingProgress recorder;
  auto watched = knock_out_each_node(g, base, 2, &recorder);
  REQUIRE(recorder.phases.size() == 1);
  const auto& phase = recorder.phases.front();
  CHECK(phase.total == g.node_count());
  CHECK(phase.last == g.node_count());  // the last chunk reported
  CHECK(phase.unit == "nodes");
  CHECK(phase.ended);
  REQUIRE(watched.size() == quiet.size());
  for (std::size_t v = 0; v < quiet.size(); ++v) {
    CHECK(watched[v].loss == quiet[v].loss);
    CHECK(watched[v].domestic_loss == quiet[v].domestic_loss);
  }
}

TEST_CASE("work progress: certifying the top K counts its exact knockouts") {
  RandomSnapshot snapshot(9);
  const auto& g = snapshot.g;
  const auto& base = snapshot.base;
  RecordingProgress recorder;
  auto top = certified_top_k(g, base, loss_upper_bounds(g, base), 5, 2, &recorder);
  REQUIRE(recorder.phases.size() == 1);
  CHECK(recorder.phases.front().total == 0);  // not known in advance
  CHECK(recorder.phases.front().last == top.exact_evaluations + top.set_evaluations);
  CHECK(recorder.phases.front().ended);
}

TEST_CASE("work progress: a certified ranking reports its bounds, then its knockouts") {
  RandomSnapshot snapshot(9);
  RecordingProgress recorder;
  ChokepointOptions options;
  options.top = 5;
  options.threads = 2;
  options.progress = &recorder;
  auto ranking = rank_chokepoints(snapshot.g, snapshot.base, options);
  REQUIRE(ranking.certified_top);
  REQUIRE(recorder.phases.size() >= 2);
  CHECK(recorder.phases[0].name == "bounding every node's loss");
  CHECK(recorder.phases[0].total == snapshot.g.node_count());
  CHECK(recorder.phases[0].last == snapshot.g.node_count());
  CHECK(recorder.phases[0].ended);
  CHECK(recorder.phases[1].name == "certifying the top chokepoints");
  CHECK(recorder.phases[1].last == ranking.knockouts);
}

TEST_CASE("work progress: the terminal line is drawn only when enabled, after a moment, and wiped at the end") {
  std::ostringstream off_text;
  cli::TerminalProgress off(off_text, false);
  CHECK(off.sink() == nullptr);  // the library gets no listener at all

  std::ostringstream on_text;
  cli::TerminalProgress on(on_text, true);
  REQUIRE(on.sink() == &on);
  on.begin("knocking out every node", 1000, "nodes");
  on.advance(10);
  CHECK(on_text.str().empty());  // a quick phase leaves no trace
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  on.advance(500);
  const std::string drawn = on_text.str();
  CHECK(drawn.find("\rknocking out every node: 50 % (500 of 1000 nodes") == 0);
  on.end();
  const std::string wiped = on_text.str().substr(drawn.size());
  CHECK(wiped == "\r" + std::string(drawn.size() - 1, ' ') + "\r");
}
