#pragma once
// Random layered supply graphs with a few back edges (cycles), as CSV text for load_text().
#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace scgraph::test {

struct RandomGraphText {
  std::string nodes, edges;
};

// n nodes in layers; each non-leaf has 1-3 requirements of 1-3 suppliers from lower layers;
// back_edge_percent of suppliers come from anywhere (cycles). About half the producers are
// domestic (CHN); every seventh node is an aggregate. Shares may leave some supply unmapped.
inline RandomGraphText random_graph(unsigned seed, int n, int back_edge_percent = 5) {
  std::mt19937 rng(seed);
  RandomGraphText out{"id,kind,country,owner,value_musd\n", "supplier,consumer,input,share,efficiency\n"};
  const char* countries[] = {"CHN", "USA", "JPN", "NLD"};
  for (int v = 0; v < n; ++v) {
    bool aggregate = v % 7 == 6;
    out.nodes += "N" + std::to_string(v) + (aggregate ? ",category,," : ",fab," + std::string(countries[rng() % 4]) + ",") +
                 "F" + std::to_string(rng() % 5) + "," + std::to_string(1 + rng() % 100) + "\n";
  }
  for (int v = 3; v < n; ++v) {
    int reqs = 1 + int(rng() % 3);
    std::vector<int> used;
    for (int r = 0; r < reqs; ++r) {
      int suppliers = 1 + int(rng() % 3);
      int left = 100;  // in percent, to keep sums exact
      for (int s = 0; s < suppliers; ++s) {
        int u = (int(rng() % 100) < back_edge_percent) ? int(rng() % n) : int(rng() % v);
        if (u == v || std::find(used.begin(), used.end(), u) != used.end()) continue;
        if (left < 5) break;
        int share = (s == suppliers - 1 && rng() % 3) ? left : std::min(left, 5 + int(rng() % 60));
        left -= share;
        used.push_back(u);
        out.edges += "N" + std::to_string(u) + ",N" + std::to_string(v) + ",in" + std::to_string(r) + "," +
                     std::to_string(share) + "%," + (rng() % 5 == 0 ? "0.6" : "1") + "\n";
      }
    }
  }
  return out;
}

}  // namespace scgraph::test
