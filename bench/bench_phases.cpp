// Times each phase of scgraph's work on one dataset, in process, and prints one JSON line per
// phase (seconds, peak resident memory). With --check-against RESULTS.json (the numbers another
// implementation computed on the same data) it compares the knockout and ban figures and exits
// 1 on any difference above 1e-9; with --check-naive it compares the incremental knockouts with
// full recomputation on a sample of nodes.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "graph/dataset.hpp"
#include "graph/knockout.hpp"
#include "graph/loader.hpp"
#include "graph/loss_bounds.hpp"
#include "graph/reliance.hpp"
#include "graph/structure.hpp"
#include "reports/report.hpp"

using namespace scgraph;

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

struct Timer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

void emit(const std::string& phase, double seconds, nlohmann::ordered_json extra = nlohmann::ordered_json::object()) {
  nlohmann::ordered_json line;
  line["tool"] = "scgraph";
  line["phase"] = phase;
  line["seconds"] = std::round(seconds * 1e4) / 1e4;
  line["peak_rss_mb"] = std::round(peak_rss_mb() * 10) / 10;
  for (auto& [k, v] : extra.items()) line[k] = v;
  std::cout << line.dump() << std::endl;
}

struct Args {
  std::string dataset, check_against, report_dir;
  std::size_t top = 100;
  unsigned threads = 0;
  bool all_exact = false, check_naive = false, load_only = false, all_warnings = false;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(s + " needs a value");
      return argv[++i];
    };
    if (s == "--top") a.top = std::stoul(value());
    else if (s == "--threads") a.threads = static_cast<unsigned>(std::stoul(value()));
    else if (s == "--all") a.all_exact = true;
    else if (s == "--check-naive") a.check_naive = true;
    else if (s == "--load-only") a.load_only = true;
    else if (s == "--all-warnings") a.all_warnings = true;
    else if (s == "--check-against") a.check_against = value();
    else if (s == "--report") a.report_dir = value();
    else if (!s.empty() && s[0] == '-') throw std::runtime_error("unknown option " + s);
    else a.dataset = s;
  }
  if (a.dataset.empty())
    throw std::runtime_error("usage: bench_phases DATASET [--top K] [--threads N] [--all] [--check-naive] [--check-against RESULTS.json] [--report DIR] [--load-only] [--all-warnings]");
  return a;
}

}  // namespace

int main(int argc, char** argv) try {
  Args args = parse(argc, argv);
  Diagnostics diag;
  auto dataset = open_dataset(args.dataset, std::nullopt, diag);
  if (!dataset) {
    for (const auto& d : diag.entries()) std::cerr << format_diagnostic(d) << "\n";
    return 1;
  }
  const SnapshotFiles& snap = dataset->snapshots.back();
  std::uintmax_t bytes = std::filesystem::file_size(snap.nodes) + std::filesystem::file_size(snap.edges);

  // As the analysis commands load: at most 100 warnings of one rule are stored (the rest are
  // counted); --all-warnings stores every one, as `validate` does.
  if (!args.all_warnings) diag.set_warning_cap_per_code(100);
  Timer t_load;
  const double cpu_before = cpu_seconds();
  auto graph = load_snapshot(snap, dataset->home, diag);
  double load_s = t_load.seconds();
  const double load_cpu_s = cpu_seconds() - cpu_before;
  if (!graph) {
    std::size_t shown = 0;
    for (const auto& d : diag.entries())
      if (d.severity == Severity::error && shown++ < 20) std::cerr << format_diagnostic(d) << "\n";
    return 1;
  }
  const SupplyGraph& g = *graph;
  emit("load_validate_build", load_s,
       {{"nodes", g.node_count()}, {"edges", g.entry_count()}, {"bytes", bytes},
        {"mb_per_s", std::round(static_cast<double>(bytes) / 1e6 / load_s)}, {"warnings", diag.warning_count()},
        {"warnings_stored", diag.warning_count() - diag.unstored_warning_count()},
        {"cpu_seconds", std::round(load_cpu_s * 1e4) / 1e4},
        {"bytes_per_edge", std::round(peak_rss_mb() * 1024 * 1024 / std::max<double>(1, static_cast<double>(g.entry_count())) * 10) / 10},
        {"components", g.components().size()}});
  if (args.load_only) return 0;

  Timer t_rel;
  NodeValues base = evaluate(g);
  Figures f = summarize(g, base);
  double loc_sum = 0;
  for (NodeId v = 0; v < g.node_count(); ++v) loc_sum += node_localization(g, v, base).value_or(0);
  emit("reliance", t_rel.seconds(),
       {{"nominal", f.nominal.value_or(0)}, {"effective", f.effective.value_or(0)},
        {"localization", f.localization.value_or(0)}, {"availability", f.availability.value_or(0)},
        {"node_localization_sum", loc_sum}});

  // Every country knocked out as a group.
  Timer t_ban;
  std::map<std::string, std::vector<NodeId>> by_country;
  for (NodeId v = 0; v < g.node_count(); ++v)
    if (!g.country(v).empty()) by_country[std::string(g.country(v))].push_back(v);
  std::map<std::string, KnockoutImpact> bans;
  {
    // As `chokepoints --group country` does: both cores, one country at a time each.
    std::vector<std::vector<NodeId>> sets;
    for (const auto& [country, members] : by_country) sets.push_back(members);
    auto impacts = knock_out_each_set(g, base, sets, args.threads);
    std::size_t i = 0;
    for (const auto& [country, members] : by_country) bans[country] = impacts[i++];
  }
  emit("ban_every_country", t_ban.seconds(), {{"countries", bans.size()}});

  Timer t_top;
  LossBounds bounds = loss_upper_bounds(g, base, args.threads);
  double bound_s = t_top.seconds();
  CertifiedTopK top = certified_top_k(g, base, bounds, args.top, args.threads);
  nlohmann::ordered_json top_ids = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(5, top.top.size()); ++i) top_ids.push_back(g.id(top.top[i].node));
  emit("certified_top_k", t_top.seconds(),
       {{"k", args.top}, {"bound_seconds", std::round(bound_s * 1e4) / 1e4}, {"exact_evaluations", top.exact_evaluations},
        {"set_evaluations", top.set_evaluations},
        {"remaining_domestic_bound", top.remaining_domestic_bound}, {"top5", top_ids}});

  int status = 0;
  if (args.all_exact) {
    Timer t_all;
    auto all = knock_out_each_node(g, base, args.threads);
    std::size_t touched = 0;
    for (const auto& k : all) touched += k.touched;
    emit("all_nodes_exact", t_all.seconds(), {{"mean_touched", static_cast<double>(touched) / std::max<std::size_t>(1, all.size())}});
    // The certified top K must be the exhaustive ranking's top K.
    std::vector<RankedImpact> ranked;
    for (NodeId v = 0; v < g.node_count(); ++v) ranked.push_back({v, all[v]});
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top.top.size()), ranked.end(),
                      [&](const auto& a, const auto& b) { return ranks_before(g, a, b); });
    for (std::size_t i = 0; i < top.top.size(); ++i)
      if (ranked[i].node != top.top[i].node) {
        std::cerr << "MISMATCH: certified rank " << i << " is " << g.id(top.top[i].node) << ", exhaustive "
                  << g.id(ranked[i].node) << "\n";
        status = 1;
      }
  }

  // Betweenness as the chokepoint table shows it: exact Brandes up to 20 k nodes, sampled above.
  {
    Timer t_structure;
    Betweenness b = betweenness_centrality(g, default_structure_node_limit, default_betweenness_samples, args.threads);
    emit("structure", t_structure.seconds(), {{"note", b.note}});
    // The baselines' estimator: 256 sampled sources whatever the size.
    Timer t_sampled;
    Betweenness sampled = betweenness_centrality(g, 0, 256, args.threads);
    emit("structure_sampled_256", t_sampled.seconds(), {{"note", sampled.note}});
  }

  // The whole report, as `scgraph report` writes it (the map aggregated above 150 nodes).
  if (!args.report_dir.empty()) {
    if (dataset->snapshots.size() != 1) throw std::runtime_error("--report needs a dataset of one snapshot");
    Timer t_report;
    out::ReportOptions options;
    Diagnostics report_diag;
    // The report reads the last snapshot only (the dataset of a generated network has one).
    auto model = out::build_report_model(*dataset, std::span<const SupplyGraph>(&g, 1), 0, {}, {}, options, report_diag);
    if (!model) throw std::runtime_error("report model failed");
    const double model_s = t_report.seconds();
    auto files = out::write_report(*model, args.report_dir, options);
    emit("report", t_report.seconds(), {{"model_seconds", std::round(model_s * 1e4) / 1e4}, {"files", files.size()}});
  }

  if (args.check_naive) {
    Timer t_check;
    KnockoutEngine engine(g, base);
    std::size_t checked = 0, bad = 0;
    std::size_t step = std::max<std::size_t>(1, g.node_count() / 20);
    for (NodeId v = 0; v < g.node_count(); v += static_cast<NodeId>(step), ++checked) {
      NodeId one[] = {v};
      auto fast = engine.knock_out(one);
      auto slow = naive_knockout(g, base, one);
      if (std::abs(fast.loss - slow.loss) > 1e-9 || std::abs(fast.domestic_loss - slow.domestic_loss) > 1e-9 ||
          fast.hard_dependents != slow.hard_dependents) {
        ++bad;
        std::cerr << "MISMATCH naive " << g.id(v) << ": " << fast.loss << " vs " << slow.loss << "\n";
      }
    }
    emit("check_naive", t_check.seconds(), {{"checked", checked}, {"mismatches", bad}});
    if (bad) status = 1;
  }

  if (!args.check_against.empty()) {
    std::ifstream in(args.check_against);
    auto results = nlohmann::json::parse(in);
    std::size_t checked = 0, bad = 0;
    KnockoutEngine engine(g, base);
    auto compare = [&](const std::string& what, const nlohmann::json& r, const KnockoutImpact& mine) {
      ++checked;
      double loss = r.at("loss"), dl = r.at("domestic_loss");
      int hard = r.at("hard_dependents");
      if (std::abs(loss - mine.loss) > 1e-9 || std::abs(dl - mine.domestic_loss) > 1e-9 ||
          hard != static_cast<int>(mine.hard_dependents)) {
        ++bad;
        std::cerr << "MISMATCH " << what << " " << r.at("id").get<std::string>() << ": loss " << loss << " vs "
                  << mine.loss << ", domestic " << dl << " vs " << mine.domestic_loss << ", hard " << hard << " vs "
                  << mine.hard_dependents << "\n";
      }
    };
    if (results.contains("knockout")) {
      // The same nodes the baseline knocked out, on one thread, four to a wave as scgraph runs
      // them (in the baseline's order): the like-for-like figure for its single-node knockout phase.
      Timer t_same;
      std::vector<std::pair<const nlohmann::json*, NodeId>> same;
      for (const auto& r : results["knockout"])
        if (auto v = g.find(r.at("id").get<std::string>())) same.emplace_back(&r, *v);
      std::vector<std::span<const NodeId>> sets;
      for (const auto& one : same) sets.emplace_back(&one.second, 1);
      const auto impacts = engine.knock_out_together(sets);
      for (std::size_t i = 0; i < same.size(); ++i) compare("knockout", *same[i].first, impacts[i]);
      emit("knockouts_baseline_nodes", t_same.seconds(), {{"knockouts", same.size()}});
    }
    if (results.contains("ban"))
      for (const auto& r : results["ban"]) {
        auto it = bans.find(r.at("id").get<std::string>());
        if (it != bans.end()) compare("ban", r, it->second);
      }
    emit("check_against_baseline", 0, {{"checked", checked}, {"mismatches", bad}});
    if (bad) status = 1;
  }
  return status;
} catch (const std::exception& e) {
  std::cerr << "bench_phases: " << e.what() << "\n";
  return 2;
}
