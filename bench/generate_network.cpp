// Writes a deterministic, layered, semiconductor-like supply network in the dataset format of
// data/FORMAT.md, for benchmarks and scale tests:
//
//   generate_network --nodes N [--edges-per-node 10] [--seed 1] [--home CHN]
//                    [--back-edges 0.001] --out DIR
//
// DIR gets dataset.toml, nodes.csv and edges.csv (each written to DIR/.NAME.tmp, then renamed).
// The same arguments give byte-identical files on every machine: all randomness comes from a
// splitmix64 stream, every draw and every number written is computed in integer arithmetic
// (the only floating point is one sqrt-based Pareto draw per node, rounded to cents), and
// numbers are formatted by hand. See docs/PERFORMANCE.md, "Synthetic networks".
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
using u64 = std::uint64_t;
using u32 = std::uint32_t;
using u128 = unsigned __int128;

// ---------------------------------------------------------------------------------------------
// Randomness: splitmix64, and integer-only draws built on it.

class Rng {
 public:
  explicit Rng(u64 seed) : state_(seed) {}
  u64 next() {
    u64 z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  u32 next32() { return static_cast<u32>(next() >> 32); }
  // Uniform in [0, n) (multiply-shift; the bias is below 2^-32 of n and the same everywhere).
  u32 below(u32 n) { return static_cast<u32>((static_cast<u64>(next32()) * n) >> 32); }
  u32 between(u32 lo, u32 hi) { return lo + below(hi - lo + 1); }  // inclusive
  // True with probability threshold / 2^32.
  bool chance(u64 threshold) { return next32() < threshold; }
  // Heavy-tailed rank in [0, n): floor(n * u^3) for uniform u, so P(rank < k) = (k / n)^(1/3):
  // rank 0 gets n^(-1/3) of all draws, and the popularity of rank r falls like r^(-2/3).
  u32 zipf(u32 n) {
    u64 u = next32();
    u64 t = (u * u) >> 32;
    t = (t * u) >> 32;
    return static_cast<u32>((t * n) >> 32);
  }
  // 1 + the number of successes in `trials` draws with probability threshold / 2^32.
  u32 one_plus_binomial(u32 trials, u64 threshold) {
    u32 k = 1;
    for (u32 i = 0; i < trials; ++i) k += chance(threshold) ? 1 : 0;
    return k;
  }

 private:
  u64 state_;
};

constexpr u64 kQ32 = u64{1} << 32;

// ---------------------------------------------------------------------------------------------
// The tiers.

enum Kind : int { Material, Equipment, Eda, Ip, Fab, Design, Packaging, Chip, Category, KindCount };

struct KindInfo {
  const char* name;
  const char* label;   // for display names
  const char* stage;
  char prefix;         // of the ids
  int tier;            // back edges go from a higher tier into a lower one
  u32 permille;        // share of all nodes
  u64 value_cents;     // scale of value_musd, in cents
  const char* back_input;  // requirement name when a node of this kind is a back-edge supplier
};

constexpr std::array<KindInfo, KindCount> kKinds{{
    {"material", "Material", "Materials", 'M', 0, 120, 2'000, "recycled-material"},
    {"equipment", "Tool", "Equipment", 'E', 1, 100, 5'000, "process-tools"},
    {"eda", "EDA", "Design", 'A', 1, 20, 3'000, "design-software"},
    {"ip", "IP", "Design", 'I', 1, 40, 1'000, "licensed-ip"},
    {"fab", "Fab", "Fabrication", 'W', 2, 80, 50'000, "foundry-services"},
    {"design", "Design", "Design", 'D', 2, 200, 5'000, "custom-design"},
    {"packaging", "ATP", "ATP", 'P', 3, 80, 10'000, "packaged-modules"},
    {"chip", "Chip", "Chips", 'C', 4, 350, 10'000, "embedded-chips"},
    {"category", "Market", "Chips", 'G', 5, 10, 100'000, ""},
}};

// A requirement a node of some kind may have: its input name and where its suppliers come from
// (`lower_only`: nodes of the supplier kind with a smaller index, which keeps the tier acyclic).
struct Template {
  const char* input;
  Kind supplier;
  bool lower_only;
};

std::vector<Template> templates_of(Kind k) {
  switch (k) {
    case Material:
      return {{"feedstock", Material, true}, {"precursors", Material, true}};
    case Equipment:
      return {{"optics", Material, false},
              {"specialty-metals", Material, false},
              {"ceramics", Material, false},
              {"subsystems", Equipment, true},
              {"motion-stages", Equipment, true}};
    case Eda:
      return {{"solver-engine", Eda, true},
              {"device-models", Eda, true},
              {"parsers", Eda, true},
              {"verification-engine", Eda, true}};
    case Ip:
      return {{"eda-tools", Eda, false},
              {"simulation", Eda, false},
              {"base-ip", Ip, true},
              {"phy-ip", Ip, true}};
    case Fab:
      return {{"lithography", Equipment, false}, {"etch", Equipment, false},
              {"deposition", Equipment, false},  {"metrology", Equipment, false},
              {"ion-implant", Equipment, false}, {"wafers", Material, false},
              {"photoresist", Material, false},  {"specialty-gases", Material, false}};
    case Design:
      return {{"eda-synthesis", Eda, false}, {"eda-verification", Eda, false},
              {"eda-layout", Eda, false},    {"cpu-ip", Ip, false},
              {"interface-ip", Ip, false},   {"memory-ip", Ip, false}};
    case Packaging:
      return {{"substrates", Material, false},
              {"bonding-wire", Material, false},
              {"mold-compound", Material, false},
              {"die-bonders", Equipment, false},
              {"testers", Equipment, false}};
    case Chip:  // taken in this order: a chip with one requirement needs a fab
      return {{"wafer-fab", Fab, false},
              {"design", Design, false},
              {"assembly-test", Packaging, false},
              {"package-substrate", Material, false}};
    default:
      return {};
  }
}

// Where a node that nothing consumed and that has no requirement of its own is attached.
constexpr std::array<Kind, KindCount> kFallbackConsumer{Equipment, Design, Design, Design, Chip,
                                                        Chip,      Chip,   Category, Category};

struct Layout {
  std::array<u32, KindCount> size{};
  std::array<u32, KindCount> first{};  // global index of the first node of each kind
  u32 total = 0;
  int id_digits = 6;
};

Layout make_layout(u32 n) {
  Layout l;
  u32 assigned = 0;
  for (int k = 0; k < KindCount; ++k) {
    l.size[k] = std::max<u32>(1, static_cast<u32>(static_cast<u64>(n) * kKinds[k].permille / 1000));
    assigned += l.size[k];
  }
  l.size[Chip] = l.size[Chip] + n - assigned;  // n >= kMinNodes keeps this positive
  u32 largest = 0;
  for (int k = 0; k < KindCount; ++k) {
    l.first[k] = l.total;
    l.total += l.size[k];
    largest = std::max(largest, l.size[k]);
  }
  while (largest > 999'999 && l.id_digits < 10) {
    largest /= 10;
    ++l.id_digits;
  }
  return l;
}

// ---------------------------------------------------------------------------------------------
// Output: a buffered file written to DIR/.NAME.tmp and renamed to DIR/NAME on commit().

class OutFile {
 public:
  OutFile(const fs::path& dir, const std::string& name)
      : tmp_(dir / ("." + name + ".tmp")), final_(dir / name) {
    f_ = std::fopen(tmp_.c_str(), "wb");
    if (!f_) throw std::runtime_error("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    buf_.reserve(kCapacity + 256);
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;
  ~OutFile() {
    if (f_) {
      std::fclose(f_);
      std::error_code ec;
      fs::remove(tmp_, ec);
    }
  }

  void put(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kCapacity) flush();
  }
  void put(char c) { buf_.push_back(c); }
  void put_uint(u64 v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, r.ptr);
  }
  void put_padded(u64 v, int digits) {
    char tmp[24];
    for (int i = digits - 1; i >= 0; --i) {
      tmp[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    buf_.append(tmp, static_cast<std::size_t>(digits));
  }
  // parts / 10^decimals, with trailing zeros dropped ("0.35", "1", "12.5").
  void put_fixed(u64 parts, int decimals) {
    u64 scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    put_uint(parts / scale);
    u64 frac = parts % scale;
    if (frac == 0) return;
    int digits = decimals;
    while (frac % 10 == 0) {
      frac /= 10;
      --digits;
    }
    put('.');
    put_padded(frac, digits);
  }
  void end_line() {
    buf_.push_back('\n');
    if (buf_.size() >= kCapacity) flush();
  }

  u64 commit() {
    flush();
    bool ok = std::fflush(f_) == 0;
    ok = (std::fclose(f_) == 0) && ok;
    f_ = nullptr;
    if (!ok) throw std::runtime_error("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    fs::rename(tmp_, final_);
    return written_;
  }

 private:
  static constexpr std::size_t kCapacity = std::size_t{1} << 20;
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
      throw std::runtime_error("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    written_ += buf_.size();
    buf_.clear();
  }
  fs::path tmp_, final_;
  std::FILE* f_ = nullptr;
  std::string buf_;
  u64 written_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Options.

struct Options {
  u32 nodes = 0;
  u64 edges_per_node_milli = 10'000;  // 10.000
  u64 seed = 1;
  std::string home = "CHN";
  u64 back_ppb = 1'000'000;  // 0.001, in parts per 10^9
  u32 reduced_efficiency_percent = 3;  // edges whose efficiency is below 1
  fs::path out;
};

constexpr u32 kMinNodes = 200;
constexpr u64 kBillion = 1'000'000'000;

// A non-negative decimal as an integer count of 1/scale (from_chars is correctly rounded, so
// this is the same everywhere).
std::optional<u64> parse_scaled(std::string_view s, u64 scale) {
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !(v >= 0) || v > 1e6) return std::nullopt;
  return static_cast<u64>(std::llround(v * static_cast<double>(scale)));
}

std::optional<u64> parse_uint(std::string_view s) {
  u64 v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

const char* const kUsage =
    "usage: generate_network --nodes N [--edges-per-node 10] [--seed 1] [--home CHN]\n"
    "                        [--back-edges 0.001] [--reduced-efficiency 3] --out DIR\n";

std::optional<Options> parse_args(int argc, char** argv, std::string& error) {
  Options o;
  bool have_nodes = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      error.clear();
      return std::nullopt;
    }
    if (i + 1 >= argc) {
      error = "missing value after " + std::string(a);
      return std::nullopt;
    }
    std::string_view v = argv[++i];
    if (a == "--nodes") {
      auto n = parse_uint(v);
      if (!n || *n < kMinNodes || *n > 100'000'000) {
        error = "--nodes must be an integer from 200 to 100000000";
        return std::nullopt;
      }
      o.nodes = static_cast<u32>(*n);
      have_nodes = true;
    } else if (a == "--edges-per-node") {
      auto e = parse_scaled(v, 1000);
      if (!e || *e < 1000 || *e > 18'000) {
        error = "--edges-per-node must be a number from 1 to 18";
        return std::nullopt;
      }
      o.edges_per_node_milli = *e;
    } else if (a == "--seed") {
      auto s = parse_uint(v);
      if (!s) {
        error = "--seed must be a non-negative integer";
        return std::nullopt;
      }
      o.seed = *s;
    } else if (a == "--home") {
      if (v.size() != 3 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        error = "--home must be three upper-case letters (ISO 3166-1 alpha-3)";
        return std::nullopt;
      }
      o.home = std::string(v);
    } else if (a == "--back-edges") {
      auto b = parse_scaled(v, kBillion);
      if (!b || *b > kBillion / 20) {
        error = "--back-edges must be a fraction from 0 to 0.05";
        return std::nullopt;
      }
      o.back_ppb = *b;
    } else if (a == "--reduced-efficiency") {
      auto p = parse_uint(v);
      if (!p || *p > 100) {
        error = "--reduced-efficiency must be a percentage of edges from 0 to 100";
        return std::nullopt;
      }
      o.reduced_efficiency_percent = static_cast<u32>(*p);
    } else if (a == "--out") {
      o.out = fs::path(std::string(v));
    } else {
      error = "unknown option " + std::string(a);
      return std::nullopt;
    }
  }
  if (!have_nodes || o.out.empty()) {
    error = "--nodes and --out are required";
    return std::nullopt;
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Nodes.

struct CountryWeight {
  const char* code;
  u32 weight;
};

// Where the non-domestic producers are, skewed towards the large producers of each stage.
constexpr std::array<CountryWeight, 21> kCountries{{
    {"USA", 220}, {"JPN", 160}, {"TWN", 120}, {"KOR", 100}, {"DEU", 70}, {"NLD", 60}, {"CHN", 50},
    {"SGP", 30},  {"GBR", 25},  {"FRA", 25},  {"MYS", 20},  {"ISR", 15}, {"CHE", 15}, {"AUT", 12},
    {"BEL", 10},  {"IRL", 10},  {"ITA", 10},  {"VNM", 10},  {"PHL", 8},  {"IND", 8},  {"CAN", 7},
}};

class CountryPicker {
 public:
  explicit CountryPicker(const std::string& home) : home_(home) {
    for (const auto& c : kCountries)
      if (home != c.code) {
        foreign_.push_back(c);
        total_ += c.weight;
      }
  }
  const char* pick(Rng& rng) const {
    if (rng.below(100) < 30) return home_.c_str();
    u32 r = rng.below(total_);
    for (const auto& c : foreign_) {
      if (r < c.weight) return c.code;
      r -= c.weight;
    }
    return foreign_.back().code;
  }

 private:
  std::string home_;
  std::vector<CountryWeight> foreign_;
  u32 total_ = 0;
};

void put_id(OutFile& out, const Layout& l, Kind k, u32 index) {
  out.put(kKinds[k].prefix);
  out.put_padded(index, l.id_digits);
}

// value_musd, heavy-tailed: Pareto with shape 4/3 (x = scale * u^(-3/4), u uniform in (0,1]),
// capped at 1000 times the scale, in cents. sqrt is correctly rounded, so this is reproducible.
u64 value_cents(Rng& rng, u64 scale_cents) {
  double u = static_cast<double>((rng.next() >> 11) + 1) * 0x1.0p-53;
  double root = std::sqrt(u);
  double x = static_cast<double>(scale_cents) / (root * std::sqrt(root));
  double cap = static_cast<double>(scale_cents) * 1000.0;
  return static_cast<u64>(std::llround(x < cap ? x : cap));
}

// Returns, per kind, the indices of the domestic producers (ascending).
using DomesticLists = std::array<std::vector<u32>, KindCount>;

DomesticLists write_nodes(OutFile& out, const Layout& l, const Options& o) {
  DomesticLists domestic;
  Rng rng(o.seed ^ 0x6E6F6465735F5F31ULL);
  CountryPicker countries(o.home);
  out.put("id,name,kind,stage,country,origin,owner,value_musd\n");
  u64 firm = 0;
  for (int k = 0; k < KindCount; ++k) {
    const KindInfo& info = kKinds[k];
    u32 firm_left = 0;
    const char* country = "";
    for (u32 i = 0; i < l.size[k]; ++i) {
      if (k != Category && firm_left == 0) {  // a new firm: 1-20 nodes in one country
        ++firm;
        firm_left = 1 + rng.zipf(20);
        country = countries.pick(rng);
      }
      if (k != Category && o.home == country) domestic[k].push_back(i);
      put_id(out, l, static_cast<Kind>(k), i);
      out.put(',');
      out.put(info.label);
      out.put(' ');
      out.put_uint(i);
      out.put(',');
      out.put(info.name);
      out.put(',');
      out.put(info.stage);
      out.put(',');
      if (k != Category) {
        out.put(country);
        out.put(",,F");
        out.put_uint(firm);
        --firm_left;
      } else {
        out.put(",,");
      }
      out.put(',');
      out.put_fixed(std::max<u64>(1, value_cents(rng, info.value_cents)), 2);
      out.end_line();
    }
  }
  return domestic;
}

// ---------------------------------------------------------------------------------------------
// Edges.

struct EdgeStats {
  u64 edges = 0;
  u64 requirements = 0;
  u64 back_edges = 0;
  u64 unmapped_requirements = 0;
};

// How requirements and suppliers are drawn, fixed from the options before any edge is made.
struct EdgePlan {
  u64 binomial_threshold = 0;  // requirements = 1 + Bin(3, p), suppliers = 1 + Bin(4, p)
  u64 back_threshold = 0;      // per producer below the chip tier: one back-edge requirement
};

constexpr u32 kMaxSuppliers = 5;
constexpr u32 kMaxAggregated = 8;

// Chooses p so that the expected edge count meets edges-per-node * N, in integer arithmetic:
// producers with requirements make (1 + 3p)(1 + 4p) edges each, materials 30 % * 1.5 * (1 + 4p),
// aggregates 5.
EdgePlan make_plan(const Layout& l, const Options& o) {
  u64 producers = 0, eligible_back = 0;
  for (int k = Equipment; k <= Chip; ++k) producers += l.size[k];
  for (int k = Material; k < Chip; ++k) eligible_back += l.size[k];
  const u128 target = static_cast<u128>(o.edges_per_node_milli) * l.total;  // in 1/1000 edges
  auto expected_milli = [&](u64 t) {  // t = p * 2^32
    u128 r = kQ32 + 3 * static_cast<u128>(t), s = kQ32 + 4 * static_cast<u128>(t);
    u128 e = static_cast<u128>(producers) * r * s;                 // * 2^64
    e += static_cast<u128>(l.size[Material]) * 45 * s * kQ32 / 100;  // 0.3 * 1.5
    e += static_cast<u128>(l.size[Category]) * 5 * kQ32 * kQ32;
    return (e * 1000) >> 64;
  };
  u64 lo = 0, hi = kQ32;
  while (lo < hi) {
    u64 mid = lo + (hi - lo) / 2;
    if (expected_milli(mid) < target) lo = mid + 1; else hi = mid;
  }
  EdgePlan plan;
  plan.binomial_threshold = lo;
  // Per eligible producer, chance(back_threshold) of one back edge: fraction * edges / eligible.
  u128 back = static_cast<u128>(o.back_ppb) * (target / 1000) * kQ32 / kBillion;
  plan.back_threshold = static_cast<u64>(std::min<u128>(kQ32, back / std::max<u64>(1, eligible_back)));
  return plan;
}

class EdgeWriter {
 public:
  EdgeWriter(OutFile& out, const Layout& l, const Options& o, DomesticLists domestic)
      : out_(out), l_(l), plan_(make_plan(l, o)), rng_(o.seed ^ 0x65646765735F5F32ULL),
        reduced_efficiency_percent_(o.reduced_efficiency_percent),
        domestic_(std::move(domestic)), used_(l.total, false) {
    for (int k = 0; k < KindCount; ++k) templates_[k] = templates_of(static_cast<Kind>(k));
  }

  // Consumers are visited from the last node down, so that when a node comes up every node that
  // could consume it (a higher tier, or the same kind with a larger index) has been written, and
  // a node nothing consumed can be given a requirement of its own or a consumer.
  EdgeStats run() {
    out_.put("supplier,consumer,input,share,efficiency\n");
    for (int k = KindCount - 1; k >= 0; --k)
      for (u32 i = l_.size[k]; i-- > 0;) consumer(static_cast<Kind>(k), i);
    return stats_;
  }

 private:
  struct Pick {
    Kind kind;
    u32 index;
  };

  u32 global(Kind k, u32 i) const { return l_.first[k] + i; }

  void consumer(Kind k, u32 i) {
    if (k == Category) return aggregate(i);
    const auto& all = templates_[k];
    std::array<const Template*, 8> usable{};
    u32 usable_count = 0;
    for (const auto& t : all)
      if (!t.lower_only || i > 0) usable[usable_count++] = &t;

    u32 wanted = 0;
    if (k == Material) {
      wanted = rng_.below(100) < 30 ? rng_.between(1, 2) : 0;
      if (wanted == 0 && !used_[global(k, i)]) wanted = 1;  // keep every material connected
    } else {
      wanted = rng_.one_plus_binomial(3, plan_.binomial_threshold);
    }
    const auto& own = domestic_[k];
    const bool home = std::binary_search(own.begin(), own.end(), i);
    bool back = k < Chip && rng_.chance(plan_.back_threshold);
    if (back && wanted == 4) wanted = 3;
    wanted = std::min(wanted, usable_count);

    if (k != Chip)  // a random subset of the templates (chips take theirs in order)
      for (u32 j = 0; j < wanted; ++j)
        std::swap(usable[j], usable[j + rng_.below(usable_count - j)]);
    for (u32 j = 0; j < wanted; ++j) {
      const Template& t = *usable[j];
      u32 range = t.lower_only ? i : l_.size[t.supplier];
      u32 n = std::min(rng_.one_plus_binomial(4, plan_.binomial_threshold), range);
      requirement(k, i, t.input, n, [&] { return Pick{t.supplier, supplier(t.supplier, range, home)}; });
    }
    if (back) back_edge(k, i);
    if (wanted == 0 && !back && !used_[global(k, i)]) fallback(k, i);
  }

  // A supplier among the first `range` nodes of kind s, by popularity. Domestic producers buy
  // at home more often: half of their draws are among the domestic nodes only.
  u32 supplier(Kind s, u32 range, bool home) {
    if (home && rng_.below(2) == 0) {
      const auto& list = domestic_[s];
      auto n = static_cast<u32>(std::lower_bound(list.begin(), list.end(), range) - list.begin());
      if (n > 0) return list[rng_.zipf(n)];
    }
    return rng_.zipf(range);
  }

  // One requirement served by a node of a higher tier (a chip inside a tool, say): with the
  // ordinary supply chain above it, this closes cycles.
  void back_edge(Kind k, u32 i) {
    std::vector<Kind> higher;
    for (int h = 0; h < Category; ++h)
      if (kKinds[h].tier > kKinds[k].tier) higher.push_back(static_cast<Kind>(h));
    Kind s = rng_.below(2) == 0 ? Chip : higher[rng_.below(static_cast<u32>(higher.size()))];
    const u64 before = stats_.edges;
    requirement(k, i, kKinds[s].back_input, 1, [&] { return Pick{s, rng_.zipf(l_.size[s])}; });
    stats_.back_edges += stats_.edges - before;
  }

  // A node that nothing consumed and that cannot have requirements (the first of its kind):
  // it becomes the sole supplier of a new requirement of the first node of a consuming kind.
  void fallback(Kind k, u32 i) {
    Kind c = kFallbackConsumer[k];
    std::string input = std::string("more-") + kKinds[k].name;
    Pick p{k, i};
    write_edge(p, c, 0, input, 1'000'000, 100);
    ++stats_.requirements;
  }

  void aggregate(u32 i) {
    // Mostly chips; some aggregates of other aggregates or of one other producer kind.
    static constexpr std::array<Kind, 5> kOthers{Material, Equipment, Fab, Design, Packaging};
    u32 r = rng_.below(100);
    Kind s = r < 75 ? Chip : (r < 85 && i > 0) ? Category : kOthers[rng_.below(5)];
    u32 range = s == Category ? i : l_.size[s];
    u32 n = std::min(rng_.between(2, kMaxAggregated), range);
    requirement(Category, i, "members", n, [&] { return Pick{s, rng_.zipf(range)}; });
  }

  // Draws n distinct suppliers and writes their edges with shares that add up to exactly 1, or
  // for one requirement in five to 0.70-0.99 (unmapped supply), in millionths.
  template <class Draw>
  void requirement(Kind k, u32 i, std::string_view input, u32 n, Draw draw) {
    if (n == 0) return;
    std::array<Pick, kMaxAggregated> picks{};
    u32 got = 0;
    for (u32 attempt = 0; got < n && attempt < 64; ++attempt) {
      Pick p = draw();
      bool dup = false;
      for (u32 j = 0; j < got; ++j) dup = dup || (picks[j].kind == p.kind && picks[j].index == p.index);
      if (!dup) picks[got++] = p;
    }
    std::array<u64, kMaxAggregated> weight{};
    u64 total_weight = 0;
    for (u32 j = 0; j < got; ++j) {
      u64 u = rng_.below(1000);
      weight[j] = 1 + u * u / 1000;  // 1-999, skewed: a leading supplier and smaller ones
      total_weight += weight[j];
    }
    u64 units = 1'000'000;
    if (rng_.below(100) < 20) {
      units = 700'000 + rng_.below(290'001);
      ++stats_.unmapped_requirements;
    }
    std::array<u64, kMaxAggregated> share{};
    u64 given = 0;
    for (u32 j = 0; j < got; ++j) {
      share[j] = units * weight[j] / total_weight;  // >= 700000 / 8000, so never 0
      given += share[j];
    }
    share[0] += units - given;
    for (u32 j = 0; j < got; ++j) {
      u32 eff = rng_.below(100) < reduced_efficiency_percent_ ? rng_.between(50, 90) : 100;
      write_edge(picks[j], k, i, input, share[j], eff);
    }
    ++stats_.requirements;
  }

  void write_edge(Pick s, Kind k, u32 i, std::string_view input, u64 share_millionths, u32 eff_percent) {
    used_[global(s.kind, s.index)] = true;
    put_id(out_, l_, s.kind, s.index);
    out_.put(',');
    put_id(out_, l_, k, i);
    out_.put(',');
    out_.put(input);
    out_.put(',');
    out_.put_fixed(share_millionths, 6);
    out_.put(',');
    out_.put_fixed(eff_percent, 2);
    out_.end_line();
    ++stats_.edges;
  }

  OutFile& out_;
  const Layout& l_;
  EdgePlan plan_;
  Rng rng_;
  u32 reduced_efficiency_percent_;
  DomesticLists domestic_;
  std::vector<bool> used_;
  std::array<std::vector<Template>, KindCount> templates_;
  EdgeStats stats_;
};

u64 write_toml(const fs::path& dir, const Options& o) {
  OutFile out(dir, "dataset.toml");
  out.put("# Synthetic layered supply network written by generate_network; not real data.\n");
  out.put("name = \"Synthetic supply network, ");
  out.put_uint(o.nodes);
  out.put(" nodes, seed ");
  out.put_uint(o.seed);
  out.put("\"\nhome = \"");
  out.put(o.home);
  out.put("\"\nyear = 2025\n\n[target]\nshare = 0.7\nyear = 2028\nmetric = \"nominal\"\n");
  return out.commit();
}

int run(const Options& o) {
  auto start = std::chrono::steady_clock::now();
  fs::create_directories(o.out);
  const Layout layout = make_layout(o.nodes);
  u64 bytes = write_toml(o.out, o);
  DomesticLists domestic;
  {
    OutFile nodes(o.out, "nodes.csv");
    domestic = write_nodes(nodes, layout, o);
    bytes += nodes.commit();
  }
  OutFile edges(o.out, "edges.csv");
  EdgeStats stats = EdgeWriter(edges, layout, o, std::move(domestic)).run();
  bytes += edges.commit();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "generate_network: %u nodes, %llu edges, %llu requirements (%llu partly unmapped), "
               "%llu back edges, %llu bytes written to %s in %.2f s\n",
               layout.total, static_cast<unsigned long long>(stats.edges),
               static_cast<unsigned long long>(stats.requirements),
               static_cast<unsigned long long>(stats.unmapped_requirements),
               static_cast<unsigned long long>(stats.back_edges), static_cast<unsigned long long>(bytes),
               o.out.c_str(), seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  auto options = parse_args(argc, argv, error);
  if (!options) {
    if (!error.empty()) std::fprintf(stderr, "generate_network: %s\n", error.c_str());
    std::fputs(kUsage, error.empty() ? stdout : stderr);
    return error.empty() ? 0 : 2;
  }
  try {
    return run(*options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "generate_network: %s\n", e.what());
    return 1;
  }
}
