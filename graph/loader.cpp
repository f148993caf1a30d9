#include "loader.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <numeric>

#include "csv_reader.hpp"
#include "header_map.hpp"
#include "huge_pages.hpp"
#include "id_prefetch.hpp"
#include "numbers.hpp"
#include "prefault.hpp"

namespace scgraph {

namespace {

constexpr double share_tolerance = 1e-9;

// A share sum just above 1 must not read "1, more than 1": as many digits as it takes to differ.
std::string sum_text(double sum) {
  for (int digits = 6; digits < 17; ++digits) {
    std::string text = fmt::format("{:.{}g}", sum, digits);
    if (text != "1") return text;
  }
  return fmt::format("{:.17g}", sum);
}
constexpr std::size_t max_id_bytes = 200;
// Guessing among many ids costs a scan of all of them per unknown id: bounded on purpose.
constexpr std::size_t suggestion_node_limit = 50'000;
constexpr std::size_t suggestion_count_limit = 50;

// At most 120 bytes of s, cut before a UTF-8 continuation byte so the message stays valid UTF-8.
std::string quoted(std::string_view s) {
  if (s.size() <= 120) return "'" + std::string(s) + "'";
  std::size_t cut = 120;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(s.substr(0, cut)) + "...'";
}

bool has_control_character(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

// How many rows a CSV file probably holds, from the line length of its first 64 KiB. Only used
// to reserve room: untouched room costs address space, not memory, so erring high is cheap,
// while growing a full array would copy it.
std::size_t estimated_rows(const std::filesystem::path& path, std::size_t limit) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) return 0;
  std::ifstream in(path, std::ios::binary);
  std::vector<char> head(std::min<std::uintmax_t>(size, 64 * 1024));
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const auto got = static_cast<std::size_t>(in.gcount());
  const auto lines = static_cast<std::size_t>(std::count(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(got), '\n'));
  if (got == 0 || lines == 0) return 0;
  const double rows = static_cast<double>(size) * static_cast<double>(lines) / static_cast<double>(got) * 1.1 + 16;
  return static_cast<std::size_t>(std::min(rows, static_cast<double>(limit) + 1));
}

// State shared by the two files while one snapshot loads.
struct SnapshotBuilder {
  const SnapshotFiles& files;
  const std::string& home;
  Diagnostics& diag;
  const LoadLimits& limits;
  WorkProgress* progress;

  GraphParts parts;
  Interner stages, countries, owners, inputs;
  std::vector<std::uint32_t> node_line;
  bool nodes_usable = false;  // false when nodes.csv could not be read, so ids cannot be checked
  bool unnamed_rows = false;  // some node row has an empty or repeated id
  StringIndex id_index;
  std::vector<std::string_view> suggestion_pool;
  std::size_t suggestions_made = 0;

  // Where a cell of an edge row starts, for diagnostics about the row found after grouping.
  struct CellAt {
    std::uint32_t line, column;
  };
  // Edge rows are kept in two compact arrays in file order (row r is the r-th accepted row):
  // parts.entries[r] holds supplier, share and efficiency, exactly as the graph will, and keys[r]
  // what grouping and diagnostics need. After grouping the entries are put in place, without a
  // second copy of them. 16 + 24 bytes per edge, plus 4 for the order while grouping.
  struct RowKey {
    NodeId consumer;
    std::uint32_t input;
    std::uint32_t line;
    // Columns of the supplier cell (where a duplicate edge is reported) and of the share cell (where
    // a share sum is: the share cell, else input, else consumer), on the row's first line.
    // far_column: the cell is elsewhere, see far_cells.
    std::uint16_t supplier_column, share_column;
  };
  static constexpr std::uint16_t far_column = UINT16_MAX;
  struct FarCells {
    std::uint32_t row;
    CellAt supplier_at, share_at;
  };
  std::vector<RowKey> keys;
  std::vector<FarCells> far_cells;  // rows of quoted line breaks or very long lines, ascending
  std::vector<bool> touched;        // node appears in some edge

  CellAt supplier_at(std::uint32_t row) const { return cell_at(row, true); }
  CellAt share_at(std::uint32_t row) const { return cell_at(row, false); }
  CellAt cell_at(std::uint32_t row, bool supplier) const {
    const RowKey& k = keys[row];
    const std::uint16_t column = supplier ? k.supplier_column : k.share_column;
    if (column != far_column) return {k.line, column};
    auto far = std::lower_bound(far_cells.begin(), far_cells.end(), row,
                                [](const FarCells& f, std::uint32_t r) { return f.row < r; });
    return supplier ? far->supplier_at : far->share_at;
  }

  // Faulted in on another core while nodes.csv is read (see prefault.hpp); stopped once the
  // edge rows are in.
  BackgroundPrefault prefault;

  void prepare_edges();
  void read_nodes();
  void read_edges();
  void assemble();
  std::optional<NodeId> resolve(std::string_view id, const std::string& file, std::size_t line,
                                std::size_t column, const char* role);
};

std::optional<NodeId> SnapshotBuilder::resolve(std::string_view id, const std::string& file, std::size_t line,
                                               std::size_t column, const char* role) {
  std::uint32_t v = id_index.find(parts.ids, id);
  if (v != StringIndex::npos) return v;
  std::string hint;
  if (parts.ids.size() <= suggestion_node_limit && suggestions_made < suggestion_count_limit) {
    if (suggestion_pool.empty())
      for (std::size_t i = 0; i < parts.ids.size(); ++i)
        if (!parts.ids[i].empty()) suggestion_pool.push_back(parts.ids[i]);
    ++suggestions_made;
    std::string guess = did_you_mean(id, suggestion_pool);
    if (!guess.empty()) hint = "did you mean '" + guess + "'?";
  }
  if (hint.empty()) hint = "every " + std::string(role) + " must be an id defined in " + files.nodes_display;
  diag.error(file, line, column, "unknown-id", fmt::format("unknown {} id {}", role, quoted(id)), hint);
  return std::nullopt;
}

void SnapshotBuilder::read_nodes() {
  const std::string& file = files.nodes_display;
  csv::Reader reader(files.nodes, file, diag, {.max_field_bytes = limits.max_field_bytes});
  if (!reader.ok()) return;
  csv::Record rec;
  if (!reader.next(rec)) {
    diag.error(file, 0, 0, "file-empty", "file has no header row", "the first row must name the columns: id,name,kind,...");
    return;
  }
  HeaderMap header(rec, file, diag,
                   {{"id", true}, {"name", false}, {"kind", true}, {"stage", false}, {"country", false},
                    {"origin", false}, {"owner", false}, {"value_musd", false}},
                   /*keep_unknown_as_attributes=*/true);
  if (!header.usable()) return;
  nodes_usable = true;
  const int c_id = header.index("id"), c_name = header.index("name"), c_kind = header.index("kind"),
            c_stage = header.index("stage"), c_country = header.index("country"),
            c_origin = header.index("origin"), c_owner = header.index("owner"), c_value = header.index("value_musd");
  parts.has_value_column = c_value >= 0;
  parts.attribute_names = header.attribute_names();
  parts.attributes.resize(parts.attribute_names.size());
  const std::size_t expected = estimated_rows(files.nodes, limits.max_nodes);
  parts.ids.reserve(expected, expected * 16);
  if (c_name >= 0) parts.names.reserve(expected, expected * 32);
  for (auto* v : {&parts.stage, &parts.country, &parts.owner, &node_line}) reserve_huge(*v, expected);
  reserve_huge(parts.kind, expected);
  reserve_huge(parts.origin, expected);
  reserve_huge(parts.value, expected);
  id_index.reserve(parts.ids, expected);
  std::vector<std::string> kind_list(std::begin(kind_names), std::end(kind_names));
  const std::size_t header_line = rec.line(), errors_before = diag.error_count();

  ProgressPhase phase(progress, "reading " + file, 0, "rows");
  std::size_t rows = 0;
  IdPrefetcher prefetch(id_index, c_id);
  while (reader.next(rec)) {
    prefetch.advance(reader);
    if ((++rows & 0xFFFF) == 0) phase.advance(rows);
    if (!header.check_width(rec)) continue;
    if (parts.kind.size() >= limits.max_nodes) {
      diag.error(file, rec.line(), 0, "too-many-nodes", fmt::format("more than {} nodes", limits.max_nodes),
                 "raise the node limit (--max-nodes) if this size is intended");
      return;
    }
    auto cell = [&](int c) { return c >= 0 ? trim(rec[c]) : std::string_view{}; };
    auto col = [&](int c) { return rec.column_of(c); };
    auto line = [&](int c) { return rec.line_of(c); };

    std::string_view id = cell(c_id);
    bool ok = true;
    if (id.empty()) {
      diag.error(file, line(c_id), col(c_id), "empty-id", "empty id", "every node needs a unique, non-empty id");
      unnamed_rows = true;
      ok = false;
    } else if (id.size() > max_id_bytes) {
      diag.error(file, line(c_id), col(c_id), "id-too-long", fmt::format("id is {} bytes long, at most {} are allowed", id.size(), max_id_bytes),
                 "use a short stable code as id and put the long text in the name column");
      ok = false;
    } else if (has_control_character(id)) {
      diag.error(file, line(c_id), col(c_id), "id-control-character", "id contains a control character (tab, line break, ...)",
                 "remove the control character from the id");
      ok = false;
    }

    std::string_view kind_text = cell(c_kind);
    auto kind = parse_kind(kind_text);
    if (!kind) {
      std::string guess = did_you_mean(lower(kind_text), kind_list);
      diag.error(file, line(c_kind), col(c_kind), "unknown-kind",
                 kind_text.empty() ? std::string("empty kind") : "unknown kind " + quoted(kind_text),
                 guess.empty() ? "kind must be one of material, equipment, eda, ip, design, fab, packaging, chip, category"
                               : "did you mean '" + guess + "'?");
      ok = false;
    }

    std::string_view country = cell(c_country);
    if (!country.empty() && !is_country_code(country)) {
      std::string upper(country);
      for (char& ch : upper) if (ch >= 'a' && ch <= 'z') ch = char(ch - 'a' + 'A');
      diag.error(file, line(c_country), col(c_country), "bad-country",
                 "country " + quoted(country) + " is not three upper-case letters (ISO 3166-1 alpha-3)",
                 is_country_code(upper) ? "write it in upper case: '" + upper + "'" : "use the alpha-3 code, e.g. CHN, USA, NLD, JPN");
      ok = false;
    }

    std::string_view origin_text = cell(c_origin);
    std::optional<Origin> origin;
    std::string origin_lower = lower(origin_text);
    if (origin_lower == "domestic") origin = Origin::domestic;
    else if (origin_lower == "foreign") origin = Origin::foreign;
    else if (!origin_text.empty()) {
      diag.error(file, line(c_origin), col(c_origin), "bad-origin", "origin " + quoted(origin_text) + " is neither domestic nor foreign",
                 "write domestic or foreign, or leave it empty to derive it from the country");
      ok = false;
    }
    if (origin && !country.empty() && is_country_code(country)) {
      bool home_country = country == home;
      if ((*origin == Origin::domestic) != home_country && diag.admit_warning("origin-contradicts-country"))
        diag.warning(file, line(c_origin), col(c_origin), "origin-contradicts-country",
                     fmt::format("origin {} contradicts country {} (home is {})", origin_lower, country, home),
                     "the explicit origin is used; correct one of the two if this is a mistake");
    }
    if (!origin && origin_text.empty()) {
      if (!country.empty()) origin = country == home ? Origin::domestic : Origin::foreign;
      else if (kind == Kind::category) origin = Origin::aggregate;
      else if (kind) {
        diag.error(file, rec.line(), c_country >= 0 ? col(c_country) : 0, "missing-origin",
                   "node " + quoted(id) + " has neither origin nor country",
                   "give its country (e.g. CHN) or origin, or make it kind 'category' to aggregate its suppliers");
        ok = false;
      }
    }

    double value = 1;
    if (c_value >= 0) {
      std::string_view text = cell(c_value);
      if (text.empty()) {
        value = 0;
        if (diag.admit_warning("empty-value"))
          diag.warning(file, line(c_value), col(c_value), "empty-value",
                       "empty value_musd counts as weight 0", "fill in the node's annual value in million USD");
      } else if (auto v = parse_number(text); !v) {
        diag.error(file, line(c_value), col(c_value), "bad-value", "value_musd " + quoted(text) + " is not a finite number",
                   "write a plain number of million USD, e.g. 1250.5");
        ok = false;
      } else if (*v < 0) {
        diag.error(file, line(c_value), col(c_value), "bad-value", "value_musd " + quoted(text) + " is negative",
                   "values are annual amounts in million USD, at least 0");
        ok = false;
      } else {
        value = *v;
      }
    }

    std::uint32_t v = parts.ids.push_back(id);
    if (!id.empty()) {
      std::uint32_t earlier = id_index.insert(parts.ids, v);
      if (earlier != StringIndex::npos) {
        diag.error(file, line(c_id), col(c_id), "duplicate-id",
                   fmt::format("duplicate id {} (first defined on line {})", quoted(id), node_line[earlier]),
                   "ids must be unique within a snapshot; rename or merge the two rows");
        unnamed_rows = true;
        ok = false;
      }
    }
    (void)ok;  // rows with errors still take a place so that later ids resolve and report well
    parts.names.push_back(c_name >= 0 ? rec[c_name] : std::string_view{});
    parts.kind.push_back(kind.value_or(Kind::category));
    parts.origin.push_back(origin.value_or(Origin::foreign));
    parts.stage.push_back(stages.intern(cell(c_stage)));
    parts.country.push_back(countries.intern(country));
    parts.owner.push_back(owners.intern(cell(c_owner)));
    parts.value.push_back(value);
    for (std::size_t k = 0; k < parts.attribute_names.size(); ++k)
      parts.attributes[k].push_back(rec[header.attribute_index(k)]);
    node_line.push_back(static_cast<std::uint32_t>(rec.line()));
  }
  if (parts.kind.empty() && diag.error_count() == errors_before)
    diag.warning(file, header_line, 0, "no-rows", "the file has a header row but no nodes",
                 "add one row per node below the header; every figure of an empty snapshot is undefined");
}

// The edge arrays are reserved before nodes.csv is read, so that the helper can fault them in
// meanwhile. Only as many rows as the estimate really expects are faulted in (it reserves 10 %
// more): room left untouched costs no memory.
void SnapshotBuilder::prepare_edges() {
  const std::size_t expected = estimated_rows(files.edges, limits.max_edges);
  reserve_huge(parts.entries, expected);
  reserve_huge(keys, expected);
  const std::size_t likely = expected / 11 * 10;
  prefault.start({{room_of(parts.entries, likely), room_of(keys, likely)}});
}

void SnapshotBuilder::read_edges() {
  const std::string& file = files.edges_display;
  csv::Reader reader(files.edges, file, diag, {.max_field_bytes = limits.max_field_bytes});
  if (!reader.ok()) return;
  csv::Record rec;
  if (!reader.next(rec)) {
    diag.error(file, 0, 0, "file-empty", "file has no header row", "the first row must name the columns: supplier,consumer,...");
    return;
  }
  HeaderMap header(rec, file, diag,
                   {{"supplier", true}, {"consumer", true}, {"input", false}, {"share", false}, {"efficiency", false}},
                   /*keep_unknown_as_attributes=*/false);
  if (!header.usable()) return;
  const int c_sup = header.index("supplier"), c_con = header.index("consumer"), c_in = header.index("input"),
            c_share = header.index("share"), c_eff = header.index("efficiency");
  touched.assign(parts.ids.size(), false);
  const std::size_t header_line = rec.line(), errors_before = diag.error_count();
  bool any_row = false;

  auto fraction = [&](const csv::Record& r, int c, const char* what, double& out) {
    out = 1;
    if (c < 0) return true;
    std::string_view text = trim(r[c]);
    if (text.empty()) return true;
    auto v = parse_fraction(text);
    if (!v) {
      diag.error(file, r.line_of(c), r.column_of(c), fmt::format("bad-{}", what),
                 fmt::format("{} {} is not a number", what, quoted(text)),
                 "write a fraction in (0,1] such as 0.35, or a percentage such as 35%");
      return false;
    }
    if (!(*v > 0 && *v <= 1)) {
      diag.error(file, r.line_of(c), r.column_of(c), fmt::format("bad-{}", what),
                 fmt::format("{} {} is out of range (0,1]", what, quoted(text)),
                 text.back() == '%' ? "a percentage must be above 0% and at most 100%"
                                    : "write a fraction in (0,1]; percentages need a % sign, e.g. 35%");
      return false;
    }
    out = *v;
    return true;
  };

  // Rows of one consumer usually follow each other: its id is looked up once per run of rows.
  std::string run_consumer;
  NodeId run_consumer_id = 0;
  bool run_known = false;

  ProgressPhase phase(progress, "reading " + file, 0, "rows");
  std::size_t rows = 0;
  IdPrefetcher prefetch(id_index, c_sup, c_con);
  while (reader.next(rec)) {
    prefetch.advance(reader);
    if ((++rows & 0xFFFF) == 0) phase.advance(rows);
    any_row = true;
    if (!header.check_width(rec)) continue;
    if (keys.size() >= limits.max_edges) {
      diag.error(file, rec.line(), 0, "too-many-edges", fmt::format("more than {} edges", limits.max_edges),
                 "raise the edge limit (--max-edges) if this size is intended");
      return;
    }
    std::string_view sup = trim(rec[c_sup]), con = trim(rec[c_con]);
    std::string_view input = c_in >= 0 ? trim(rec[c_in]) : std::string_view{};
    double share = 1, efficiency = 1;
    bool ok = fraction(rec, c_share, "share", share);
    ok = fraction(rec, c_eff, "efficiency", efficiency) && ok;
    if (!nodes_usable) continue;
    std::optional<NodeId> s, c;
    if (sup.empty()) diag.error(file, rec.line_of(c_sup), rec.column_of(c_sup), "empty-id", "empty supplier id", "every edge names its supplier");
    else s = resolve(sup, file, rec.line_of(c_sup), rec.column_of(c_sup), "supplier");
    if (con.empty()) {
      diag.error(file, rec.line_of(c_con), rec.column_of(c_con), "empty-id", "empty consumer id", "every edge names its consumer");
    } else if (run_known && con == run_consumer) {
      c = run_consumer_id;
    } else {
      c = resolve(con, file, rec.line_of(c_con), rec.column_of(c_con), "consumer");
      run_known = c.has_value();
      if (c) {
        run_consumer.assign(con);
        run_consumer_id = *c;
      }
    }
    if (s && c && *s == *c) {
      diag.error(file, rec.line_of(c_con), rec.column_of(c_con), "self-loop",
                 "node " + quoted(sup) + " supplies itself", "remove the row; a node cannot be its own supplier");
      ok = false;
    }
    if (s) touched[*s] = true;
    if (c) touched[*c] = true;
    if (!ok || !s || !c) continue;
    const std::uint32_t in = inputs.intern(input.empty() ? sup : input);
    const int c_sum = c_share >= 0 ? c_share : c_in >= 0 ? c_in : c_con;
    const std::size_t line = rec.line();
    auto near_column = [&](int c) -> std::uint16_t {
      return rec.line_of(c) == line && rec.column_of(c) < far_column ? static_cast<std::uint16_t>(rec.column_of(c)) : far_column;
    };
    RowKey key{*c, in, static_cast<std::uint32_t>(line), near_column(c_sup), near_column(c_sum)};
    if (key.supplier_column == far_column || key.share_column == far_column) {
      auto at = [&](int c) { return CellAt{static_cast<std::uint32_t>(rec.line_of(c)), static_cast<std::uint32_t>(rec.column_of(c))}; };
      far_cells.push_back({static_cast<std::uint32_t>(keys.size()), at(c_sup), at(c_sum)});
      key.supplier_column = key.share_column = far_column;
    }
    keys.push_back(key);
    parts.entries.push_back({*s, share, efficiency});
  }
  prefault.stop();
  if (!any_row && diag.error_count() == errors_before)
    diag.warning(file, header_line, 0, "no-rows", "the file has a header row but no edges",
                 "add one row per supplier -> consumer relation below the header");
}

// Puts a[order[k]] at a[k] for every k, following the permutation's cycles: no second array.
// `order` is consumed (each position is marked done by pointing at itself).
template <class T>
void gather_in_place(std::vector<T>& a, std::vector<std::uint32_t>& order) {
  for (std::uint32_t k = 0; k < order.size(); ++k) {
    if (order[k] == k) continue;
    T first = a[k];
    std::uint32_t j = k;
    for (;;) {
      const std::uint32_t from = order[j];
      order[j] = j;
      if (from == k) {
        a[j] = first;
        break;
      }
      a[j] = a[from];
      j = from;
    }
  }
}

void SnapshotBuilder::assemble() {
  const std::size_t n = parts.kind.size(), m = keys.size();
  const std::string& file = files.edges_display;
  auto& entries = parts.entries;  // one per row, in file order until the end
  // Group rows by consumer with a counting sort, then order each consumer's rows by (input,
  // supplier, row); rows are numbered in file order, so the row breaks ties by line.
  std::vector<std::uint32_t> start(n + 1, 0);
  for (const auto& k : keys) ++start[k.consumer + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> order;
  reserve_huge(order, m);
  order.resize(m);
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::uint32_t i = 0; i < m; ++i) order[fill[keys[i].consumer]++] = i;
  }
  parts.req_begin.assign(1, 0);
  reserve_huge(parts.req_begin, n + 1);
  parts.entry_begin.assign(1, 0);
  // Requirements are fewer than rows; the untouched rest of this room costs nothing.
  reserve_huge(parts.req_input, m);
  reserve_huge(parts.entry_begin, m + 1);
  // order[0, kept) lists the rows that become entries, in their final order (duplicates dropped);
  // it is written behind the reading position, so the same array serves.
  std::uint32_t kept = 0;
  std::vector<std::uint32_t> counted;  // rows of one requirement, in file order (for a diagnostic)
  auto in_file_order = [&](std::uint32_t from) {
    counted.assign(order.begin() + from, order.begin() + kept);
    std::sort(counted.begin(), counted.end());
  };
  for (NodeId v = 0; v < n; ++v) {
    const auto first = order.begin() + start[v], last = order.begin() + start[v + 1];
    std::sort(first, last, [&](std::uint32_t a, std::uint32_t b) {
      return std::tie(keys[a].input, entries[a].supplier, a) < std::tie(keys[b].input, entries[b].supplier, b);
    });
    for (auto it = first; it != last;) {
      const std::uint32_t input = keys[*it].input;
      const auto group_end = std::find_if(it, last, [&](std::uint32_t i) { return keys[i].input != input; });
      const std::uint32_t group_kept = kept;
      double sum = 0;
      std::uint32_t run_first = *it;  // first row of the current supplier within the group
      for (auto g = it; g != group_end; ++g) {
        const std::uint32_t row = *g;
        if (entries[run_first].supplier != entries[row].supplier) run_first = row;
        if (row != run_first) {
          const CellAt at = supplier_at(row);
          diag.error(file, at.line, at.column, "duplicate-edge",
                     fmt::format("duplicate edge {} -> {} for input {} (first on line {})", quoted(parts.ids[entries[row].supplier]),
                                 quoted(parts.ids[v]), quoted(inputs.table()[input]), keys[run_first].line),
                     "merge the two rows into one with the combined share");
          continue;
        }
        sum += entries[row].share;
        order[kept++] = row;
      }
      if (sum > 1 + share_tolerance) {
        in_file_order(group_kept);
        // Point at the row whose share takes the running sum (in file order) above 1.
        std::uint32_t culprit = counted.back();
        double running = 0;
        for (std::uint32_t i : counted)
          if ((running += entries[i].share) > 1 + share_tolerance) {
            culprit = i;
            break;
          }
        std::string lines;
        for (std::uint32_t i : counted) lines += (lines.empty() ? "" : ", ") + std::to_string(keys[i].line);
        const CellAt at = share_at(culprit);
        diag.error(file, at.line, at.column, "shares-above-one",
                   fmt::format("shares of requirement {} of {} add up to {}, more than 1 (lines {})",
                               quoted(inputs.table()[input]), quoted(parts.ids[v]), sum_text(sum), lines),
                   "the suppliers of one (consumer, input) are alternatives whose shares add up to at most 1");
      } else if (sum < 1 - share_tolerance && diag.admit_warning("shares-below-one")) {
        const std::uint32_t first_row = *std::min_element(order.begin() + group_kept, order.begin() + kept);
        const CellAt at = share_at(first_row);
        diag.warning(file, at.line, at.column, "shares-below-one",
                     fmt::format("shares of requirement {} of {} add up to {}: {:.4g} % of it is unmapped supply",
                                 quoted(inputs.table()[input]), quoted(parts.ids[v]), sum_text(sum), (1 - sum) * 100),
                     "unmapped supply counts as available but not domestic; add the missing suppliers if known");
      }
      parts.req_input.push_back(input);
      parts.entry_begin.push_back(kept);
      it = group_end;
    }
    parts.req_begin.push_back(static_cast<std::uint32_t>(parts.req_input.size()));
  }
  keys = {};
  far_cells = {};
  if (kept == m) {
    gather_in_place(entries, order);
  } else {
    entries = {};  // a duplicate edge is an error: no graph will be built
  }
  order = {};

  for (NodeId v = 0; v < n; ++v) {
    // A row with an empty or repeated id cannot be named by an edge: saying it is isolated is noise.
    if (unnamed_rows && (parts.ids[v].empty() || id_index.find(parts.ids, parts.ids[v]) != v)) continue;
    if (!touched.empty() && !touched[v] && diag.admit_warning("isolated-node"))
      diag.warning(files.nodes_display, node_line[v], 0, "isolated-node",
                   "node " + quoted(parts.ids[v]) + " has no suppliers and supplies nothing",
                   "add its edges, or remove it if it does not belong to this snapshot");
    if (parts.origin[v] == Origin::aggregate && parts.req_begin[v] == parts.req_begin[v + 1] &&
        diag.admit_warning("empty-aggregate"))
      diag.warning(files.nodes_display, node_line[v], 0, "empty-aggregate",
                   "aggregate " + quoted(parts.ids[v]) + " has no suppliers: its domestic share counts as 0",
                   "add edges from the nodes it aggregates into it");
  }
}

}  // namespace

std::optional<SupplyGraph> load_snapshot(const SnapshotFiles& files, const std::string& home,
                                         Diagnostics& diagnostics, const LoadLimits& limits, WorkProgress* progress) {
  SnapshotBuilder b{files, home, diagnostics, limits, progress, {}, {}, {}, {}, {}, {}, false, false, {}, {}, 0, {}, {}, {}, {}};
  std::size_t errors_before = diagnostics.error_count();
  b.prepare_edges();
  b.read_nodes();
  b.read_edges();
  if (!b.nodes_usable) return std::nullopt;
  b.assemble();
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  b.parts.home = home;
  b.parts.stages = b.stages.take();
  b.parts.countries = b.countries.take();
  b.parts.owners = b.owners.take();
  b.parts.inputs = b.inputs.take();
  return SupplyGraph(std::move(b.parts), std::move(b.id_index));
}

}  // namespace scgraph
