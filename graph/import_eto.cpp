#include "import_eto.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "atomic_output.hpp"
#include "csv_reader.hpp"
#include "csv_writer.hpp"
#include "dataset.hpp"
#include "header_map.hpp"
#include "loader.hpp"
#include "numbers.hpp"

namespace scgraph::eto {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// The release as read: only the columns the mapping uses, by name.

struct InputRow {
  std::string id, name, type, stage_name, stage_id, size_text;
  std::size_t line = 0, size_column = 0;
};
struct ProviderRow {
  std::string id, name, alias, type, country;
  std::size_t line = 0;
};
struct ProvisionRow {
  std::string provider_id, provided_id, share_text;
  std::optional<int> year;
  std::size_t line = 0, share_column = 0;
};
struct SequenceRow {
  std::string input, goes_into, type_of;
  std::size_t line = 0, input_column = 0, goes_into_column = 0, type_of_column = 0;
};

struct Release {
  std::string inputs_file, providers_file, provision_file, sequence_file;  // as diagnostics name them
  std::vector<InputRow> inputs;
  std::vector<ProviderRow> providers;
  std::vector<ProvisionRow> provision;
  std::vector<SequenceRow> sequence;
  std::string title;  // first heading of README.md, when there is one
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::string display_join(const std::string& dir, const std::string& file) {
  if (dir.empty() || dir == ".") return file;
  return (fs::path(dir) / file).lexically_normal().generic_string();
}

// Reads one CSV file of the release through the project's reader and header map; on_row sees each
// record of the header's width. False (with errors) when the file or a required column is missing.
template <class OnRow>
bool read_table(const fs::path& path, const std::string& display, std::vector<ColumnSpec> columns, Diagnostics& diag,
                OnRow&& on_row) {
  csv::Reader reader(path, display, diag);
  if (!reader.ok()) return false;
  csv::Record record;
  if (!reader.next(record)) {
    diag.error(display, 0, 0, "file-empty", "file has no header row");
    return false;
  }
  HeaderMap header(record, display, diag, std::move(columns), /*keep_unknown_as_attributes=*/false);
  if (!header.usable()) return false;
  while (reader.next(record)) {
    if (!header.check_width(record)) continue;
    on_row(record, header);
  }
  return true;
}

std::string cell(const csv::Record& r, int column) { return column >= 0 ? std::string(trim(r[column])) : std::string(); }

// Market-size columns in the releases seen so far; the first present is read.
constexpr std::string_view kSizeColumns[] = {"market_share_chart_global_market_size_info", "global_market_size_info",
                                             "market_size"};

bool read_release(const fs::path& folder, const std::string& display, Release& out, Diagnostics& diag) {
  out.inputs_file = display_join(display, "inputs.csv");
  out.providers_file = display_join(display, "providers.csv");
  out.provision_file = display_join(display, "provision.csv");
  out.sequence_file = display_join(display, "sequence.csv");
  bool ok = true;

  std::vector<ColumnSpec> input_columns = {{"input_id", true}, {"input_name", true}, {"type", true},
                                           {"stage_name", false}, {"stage_id", false}};
  for (auto name : kSizeColumns) input_columns.push_back({name, false});
  ok &= read_table(folder / "inputs.csv", out.inputs_file, input_columns, diag, [&](const csv::Record& r, const HeaderMap& h) {
    int c_size = -1;
    for (auto name : kSizeColumns)
      if (c_size < 0) c_size = h.index(name);
    InputRow row{cell(r, h.index("input_id")), cell(r, h.index("input_name")), cell(r, h.index("type")),
                 cell(r, h.index("stage_name")), cell(r, h.index("stage_id")), cell(r, c_size), r.line(),
                 c_size >= 0 ? r.column_of(c_size) : 0};
    if (row.id.empty()) {
      diag.warning(out.inputs_file, r.line(), r.column_of(h.index("input_id")), "eto-empty-id",
                   "input without an input_id is left out");
      return;
    }
    out.inputs.push_back(std::move(row));
  });

  ok &= read_table(folder / "providers.csv", out.providers_file,
                   {{"provider_id", true}, {"provider_name", true}, {"provider_type", true}, {"country", true}, {"alias", false}},
                   diag, [&](const csv::Record& r, const HeaderMap& h) {
                     out.providers.push_back({cell(r, h.index("provider_id")), cell(r, h.index("provider_name")),
                                              cell(r, h.index("alias")), cell(r, h.index("provider_type")),
                                              cell(r, h.index("country")), r.line()});
                   });

  ok &= read_table(folder / "provision.csv", out.provision_file,
                   {{"provider_id", true}, {"provided_id", true}, {"share_provided", true}, {"year", false}}, diag,
                   [&](const csv::Record& r, const HeaderMap& h) {
                     ProvisionRow row{cell(r, h.index("provider_id")), cell(r, h.index("provided_id")),
                                      std::string(r[h.index("share_provided")]), std::nullopt, r.line(),
                                      r.column_of(h.index("share_provided"))};
                     if (int c = h.index("year"); c >= 0 && !trim(r[c]).empty()) {
                       auto y = parse_number(r[c]);
                       if (y && *y == static_cast<int>(*y) && *y >= 1900 && *y <= 2200)
                         row.year = static_cast<int>(*y);
                       else
                         diag.warning(out.provision_file, r.line_of(c), r.column_of(c), "eto-bad-year",
                                      fmt::format("year '{}' is not a year: the row counts as undated", trim(r[c])));
                     }
                     out.provision.push_back(std::move(row));
                   });

  ok &= read_table(folder / "sequence.csv", out.sequence_file,
                   {{"input_id", true}, {"goes_into_id", true}, {"is_type_of_id", true}}, diag,
                   [&](const csv::Record& r, const HeaderMap& h) {
                     const int a = h.index("input_id"), g = h.index("goes_into_id"), t = h.index("is_type_of_id");
                     out.sequence.push_back({cell(r, a), cell(r, g), cell(r, t), r.line(), r.column_of(a), r.column_of(g),
                                             r.column_of(t)});
                   });

  // The release's name, for the manifest: "# ETO ... Dataset (August 2026 release)".
  std::ifstream readme(folder / "README.md");
  for (std::string line; std::getline(readme, line);) {
    std::string_view t = trim(line);
    if (t.empty()) continue;
    if (t.starts_with('#')) out.title = std::string(trim(t.substr(t.find_first_not_of('#'))));
    break;
  }
  return ok;
}

std::string release_from_title(const std::string& title) {
  auto open = title.rfind('('), close = title.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string inside = title.substr(open + 1, close - open - 1);
    if (lower(inside).find("release") != std::string::npos) return inside;
  }
  return title.empty() ? "unknown" : title;
}

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
        else out += c;
    }
  }
  return out + "\"";
}

// ---------------------------------------------------------------------------------------------
// The mapping.

// One node that provides an input: a country, or a firm.
struct Producer {
  std::string key;      // country code or provider id: the part of the node id after '@'
  std::string country;  // ISO alpha-3
  std::string owner;    // the firm, at firm level
  std::string label;    // country name or firm name, for the node's display name
  std::vector<std::string> provider_ids;
  double share = 0;
};

// Who provides one input (or one stage), as chosen from provision.csv.
struct Supply {
  std::vector<Producer> producers;  // sorted by key
  std::optional<int> year;
  std::vector<std::string> unquantified;  // providers listed without a share
  bool any_rows = false;
};

struct OutNode {
  std::string id, name, kind, stage, country, owner, value, eto_input, eto_type, eto_provider, year, basis, unquantified;
};
struct OutEdge {
  std::string supplier, consumer, input;
  double share;
  std::size_t consumer_order;
};

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

class Mapper {
 public:
  Mapper(const Release& release, const ImportOptions& options, Diagnostics& diag)
      : r_(release), opt_(options), diag_(diag) {}

  ImportedDataset run();

 private:
  void index();
  void link_sequence();
  void assign_stages();
  Supply resolve_supply(const std::string& provided_id, const std::string& what);
  std::vector<Producer> with_other_firms(std::vector<Producer> firms, const std::vector<Producer>& countries,
                                         const std::string& what, std::size_t line);
  void add_producers(Supply& supply, const std::vector<std::size_t>& rows, bool country_rows, bool per_firm,
                     const std::string& what);
  void assign_supplies();
  void assign_sizes();
  std::optional<double> subtype_size(std::size_t i, std::vector<char>& visiting);
  bool has_data(std::size_t i);
  const std::vector<std::size_t>& leaves(std::size_t i);
  std::vector<std::size_t> data_subtypes(std::size_t i);
  bool is_grouping(std::size_t i) const;
  void build();
  void add_edge(const std::string& supplier, const std::string& consumer, const std::string& input, double share,
                std::size_t consumer_order);
  void add_need(std::size_t supplied, const std::string& consumer, std::size_t consumer_order);
  void add_weighted(const std::vector<std::size_t>& members, std::optional<double> whole, const std::string& consumer,
                    const std::string& input, std::size_t consumer_order);
  std::string write_manifest(std::optional<int> year) const;
  std::string input_label(std::size_t i) const { return r_.inputs[i].id + " (" + r_.inputs[i].name + ")"; }

  const Release& r_;
  const ImportOptions& opt_;
  Diagnostics& diag_;

  std::unordered_map<std::string, std::size_t> input_of_, provider_of_;
  std::unordered_map<std::string, std::string> country_name_;  // country code -> alias
  std::unordered_map<std::string, std::vector<std::size_t>> provision_of_;
  std::vector<std::vector<std::size_t>> needs_, consumers_, subtypes_, parents_;  // by input
  std::vector<std::string> stage_;
  std::vector<Supply> supply_;
  std::vector<char> from_stage_;
  std::map<std::string, Supply> stage_supply_;
  std::vector<std::optional<double>> size_;
  std::vector<std::string> basis_;
  std::vector<signed char> data_state_;  // -1 unknown, 0 no, 1 yes, 2 being decided
  std::vector<std::optional<std::vector<std::size_t>>> leaves_;
  std::set<std::size_t> warned_no_size_;

  std::vector<OutNode> nodes_;
  std::vector<OutEdge> edges_;
  std::set<std::tuple<std::string, std::string, std::string>> edge_keys_;
  std::set<std::string> node_ids_;
};

void Mapper::index() {
  for (std::size_t i = 0; i < r_.inputs.size(); ++i) {
    auto [it, fresh] = input_of_.emplace(r_.inputs[i].id, i);
    if (!fresh)
      diag_.error(r_.inputs_file, r_.inputs[i].line, 0, "eto-duplicate-input",
                  fmt::format("input_id '{}' appears twice (first on line {})", r_.inputs[i].id, r_.inputs[it->second].line));
  }
  for (std::size_t i = 0; i < r_.providers.size(); ++i) {
    const ProviderRow& p = r_.providers[i];
    auto [it, fresh] = provider_of_.emplace(p.id, i);
    // A repeated id with the same name, type and country is another alias of the same firm (the
    // release lists "Canon ANELVA" and "Canon Machinery" as P159): nothing to decide. Only a row
    // that contradicts the first is worth a warning.
    const ProviderRow& first = r_.providers[it->second];
    if (!fresh && (p.name != first.name || lower(p.type) != lower(first.type) || p.country != first.country))
      diag_.warning(r_.providers_file, p.line, 0, "eto-duplicate-provider",
                    fmt::format("provider_id '{}' appears again as '{}' ({}, {}), unlike line {} ('{}', {}, {}): the "
                                "first is used",
                                p.id, p.name, p.type, p.country.empty() ? "no country" : p.country, first.line, first.name,
                                first.type, first.country.empty() ? "no country" : first.country));
    if (lower(p.type) == "country") {
      std::string code = is_country_code(p.name) ? p.name : is_country_code(p.country) ? p.country : "";
      if (!code.empty() && !p.alias.empty()) country_name_.emplace(code, p.alias);
    }
  }
  for (std::size_t i = 0; i < r_.provision.size(); ++i) provision_of_[r_.provision[i].provided_id].push_back(i);
}

void Mapper::link_sequence() {
  const std::size_t n = r_.inputs.size();
  needs_.assign(n, {});
  consumers_.assign(n, {});
  subtypes_.assign(n, {});
  parents_.assign(n, {});
  auto push_unique = [](std::vector<std::size_t>& v, std::size_t x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  };
  for (const SequenceRow& s : r_.sequence) {
    auto find = [&](const std::string& id, std::size_t column) -> std::optional<std::size_t> {
      auto it = input_of_.find(id);
      if (it != input_of_.end()) return it->second;
      diag_.warning(r_.sequence_file, s.line, column, "eto-unknown-input",
                    fmt::format("'{}' is not an input_id of inputs.csv: the row is left out", id));
      return std::nullopt;
    };
    if (s.input.empty() || (s.goes_into.empty() && s.type_of.empty())) continue;
    auto a = find(s.input, s.input_column);
    if (!a) continue;
    for (const auto& [target, column, is_type] :
         {std::tuple{&s.goes_into, s.goes_into_column, false}, std::tuple{&s.type_of, s.type_of_column, true}}) {
      if (target->empty()) continue;
      auto b = find(*target, column);
      if (!b) continue;
      if (*a == *b) {
        diag_.warning(r_.sequence_file, s.line, column, "eto-self-reference",
                      fmt::format("'{}' {} itself: the row is left out", s.input, is_type ? "is a type of" : "goes into"));
        continue;
      }
      if (is_type) {
        push_unique(subtypes_[*b], *a);
        push_unique(parents_[*a], *b);
      } else {
        push_unique(needs_[*b], *a);
        push_unique(consumers_[*a], *b);
      }
    }
  }
}

// Inputs other than processes carry no stage in inputs.csv: they take the first stage found by
// walking up to what they are a type of and what they go into, nearest first. The final product
// goes into nothing: it takes the stage it comes out of, walking down what goes into it.
void Mapper::assign_stages() {
  const std::size_t n = r_.inputs.size();
  stage_.assign(n, {});
  auto nearest_stage = [&](std::size_t i, const std::vector<std::vector<std::size_t>>& a,
                           const std::vector<std::vector<std::size_t>>& b) -> std::string {
    std::vector<char> seen(n, 0);
    std::vector<std::size_t> queue{i};
    seen[i] = 1;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const std::size_t v = queue[q];
      if (!r_.inputs[v].stage_name.empty()) return r_.inputs[v].stage_name;
      for (const auto* next : {&a[v], &b[v]})
        for (std::size_t w : *next)
          if (!seen[w]) {
            seen[w] = 1;
            queue.push_back(w);
          }
    }
    return {};
  };
  for (std::size_t i = 0; i < n; ++i) {
    stage_[i] = nearest_stage(i, parents_, consumers_);
    if (stage_[i].empty()) stage_[i] = nearest_stage(i, needs_, subtypes_);
  }
}

void Mapper::add_producers(Supply& supply, const std::vector<std::size_t>& rows, bool country_rows, bool per_firm,
                           const std::string& what) {
  std::vector<ShareCell> cells;
  for (std::size_t row : rows) cells.push_back(parse_share_cell(r_.provision[row].share_text));
  Shares shares = normalise_shares(cells);
  const std::size_t first_line = r_.provision[rows.front()].line;
  if (shares.read_as_fractions)
    diag_.warning(r_.provision_file, first_line, 0, "eto-fractions",
                  fmt::format("shares of {} are all at most 1 and add up to {:.4g}: read as fractions, not percentages",
                              what, shares.written_total));
  if (shares.scaled)
    diag_.warning(r_.provision_file, first_line, 0, "eto-shares-above-100",
                  fmt::format("{} shares of {} add up to {:.4g} %: scaled down to 100 %",
                              country_rows ? "country" : "firm", what, shares.written_total * 100),
                  "the publishers round small shares up; every share was divided by the total");

  std::map<std::string, Producer> by_key;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const ProvisionRow& row = r_.provision[rows[k]];
    const ProviderRow& p = r_.providers[provider_of_.at(row.provider_id)];
    switch (shares.use[k]) {
      case ShareUse::share: break;
      case ShareUse::zero: continue;
      case ShareUse::unquantified: supply.unquantified.push_back(p.name.empty() ? p.id : p.name); continue;
      case ShareUse::out_of_range:
        diag_.warning(r_.provision_file, row.line, row.share_column, "eto-bad-share",
                      fmt::format("share '{}' of {} is not between 0 and 100 %: the row is left out", trim(row.share_text), what));
        continue;
      case ShareUse::invalid:
        diag_.warning(r_.provision_file, row.line, row.share_column, "eto-bad-share",
                      fmt::format("share '{}' of {} is not a number: the row is left out", trim(row.share_text), what));
        continue;
    }
    // A country row names its country in provider_name (the country column is usually empty); a
    // firm row in the country column. "Various countries" is no country: its share stays unmapped.
    std::string code = country_rows ? (is_country_code(p.name) ? p.name : is_country_code(p.country) ? p.country : "")
                                    : (is_country_code(p.country) ? p.country : "");
    if (code.empty()) continue;
    std::string key = per_firm ? p.id : code;
    Producer& prod = by_key[key];
    if (prod.key.empty()) {
      prod.key = key;
      prod.country = code;
      if (per_firm) {
        prod.owner = p.name;
        prod.label = p.name;
      } else {
        auto alias = country_name_.find(code);
        prod.label = alias != country_name_.end() ? alias->second : code;
      }
    } else if (country_rows) {
      diag_.warning(r_.provision_file, row.line, 0, "eto-duplicate-provision",
                    fmt::format("{} is listed twice for {}: the shares are added", code, what));
    }
    prod.share += shares.fraction[k];
    if (std::find(prod.provider_ids.begin(), prod.provider_ids.end(), p.id) == prod.provider_ids.end())
      prod.provider_ids.push_back(p.id);
  }
  for (auto& [key, prod] : by_key) {
    prod.share = std::min(prod.share, 1.0);
    supply.producers.push_back(std::move(prod));
  }
}

// Firm level: the listed firms, plus for every country whose share is larger than its firms' sum
// a producer INPUT@COUNTRY for its other firms, holding the difference; firms that hold more than
// their country (rounding, mostly) are scaled down to it. So each country's share is exactly its
// share at country level. A firm of no country ("Various companies") stays unmapped: the country
// remainders stand for it.
std::vector<Producer> Mapper::with_other_firms(std::vector<Producer> firms, const std::vector<Producer>& countries,
                                               const std::string& what, std::size_t line) {
  std::map<std::string, double> listed;
  for (const Producer& f : firms) listed[f.country] += f.share;
  for (const Producer& c : countries) {
    const double firms_share = listed[c.country];
    if (firms_share > c.share) {
      // More than a rounding error of the published tables (0.1 points each) is worth a warning.
      if (firms_share > c.share + 0.01)
        diag_.warning(r_.provision_file, line, 0, "eto-firms-above-country",
                      fmt::format("the firms of {} in {} hold {:.4g} %, the country {:.4g} %: they are scaled down to "
                                  "the country's share",
                                  c.country, what, firms_share * 100, c.share * 100));
      for (Producer& f : firms)
        if (f.country == c.country) f.share *= c.share / firms_share;
      continue;
    }
    const double rest = c.share - firms_share;
    if (rest <= 1e-9) continue;  // the firms account for all of it
    Producer other = c;
    other.label = c.label + ", other firms";
    other.share = rest;
    firms.push_back(std::move(other));
  }
  std::sort(firms.begin(), firms.end(), [](const Producer& a, const Producer& b) { return a.key < b.key; });
  double total = 0;
  for (const Producer& p : firms) total += p.share;
  if (total > 1 + 1e-9) {
    // Only where firms of a country without a country row push the total above 100 %.
    diag_.warning(r_.provision_file, line, 0, "eto-firms-above-country",
                  fmt::format("the firms of {} and the rest of their countries' shares add up to {:.4g} %: scaled down "
                              "to 100 %",
                              what, total * 100),
                  "some listed firms belong to a country that has no share of its own");
    for (Producer& p : firms) p.share /= total;
  }
  return firms;
}

Supply Mapper::resolve_supply(const std::string& provided_id, const std::string& what) {
  Supply supply;
  auto found = provision_of_.find(provided_id);
  if (found == provision_of_.end()) return supply;
  const auto& rows = found->second;
  supply.any_rows = true;

  // The latest year (not after --year); undated rows only when no dated row qualifies.
  std::optional<int> year;
  for (std::size_t row : rows) {
    const auto& y = r_.provision[row].year;
    if (y && (!opt_.year || *y <= *opt_.year) && (!year || *y > *year)) year = y;
  }
  std::vector<std::size_t> chosen;
  for (std::size_t row : rows)
    if (r_.provision[row].year == year) chosen.push_back(row);
  if (chosen.empty()) {
    diag_.warning(r_.provision_file, r_.provision[rows.front()].line, 0, "eto-no-year",
                  fmt::format("{} has no provision in or before {}: it is mapped without providers", what, *opt_.year));
    return supply;
  }
  supply.year = year;

  std::vector<std::size_t> country_rows, firm_rows;
  for (std::size_t row : chosen) {
    const ProvisionRow& p = r_.provision[row];
    auto it = provider_of_.find(p.provider_id);
    if (it == provider_of_.end()) {
      diag_.warning(r_.provision_file, p.line, 0, "eto-unknown-provider",
                    fmt::format("provider_id '{}' is not in providers.csv: the row is left out", p.provider_id));
      continue;
    }
    (lower(r_.providers[it->second].type) == "country" ? country_rows : firm_rows).push_back(row);
  }

  // Country level: the country rows; firms are added up by their country only when no country row
  // gives a share. Firm level: one producer per firm, and each country's share that its listed firms
  // do not account for goes to a producer for the country's other firms (id INPUT@COUNTRY), so that
  // a country's direct share is the same at both levels; an input whose firms carry no share keeps
  // its country rows.
  if (opt_.level == Level::firm) {
    Supply firms, countries;
    if (!firm_rows.empty()) add_producers(firms, firm_rows, false, true, what);
    if (!country_rows.empty()) add_producers(countries, country_rows, true, false, what);
    supply.producers = firms.producers.empty() ? std::move(countries.producers)
                                               : with_other_firms(std::move(firms.producers), countries.producers, what,
                                                                  r_.provision[chosen.front()].line);
    supply.unquantified = std::move(firms.unquantified);
    supply.unquantified.insert(supply.unquantified.end(), countries.unquantified.begin(), countries.unquantified.end());
  } else {
    if (!country_rows.empty()) add_producers(supply, country_rows, true, false, what);
    if (supply.producers.empty() && !firm_rows.empty()) {
      Supply by_country;
      add_producers(by_country, firm_rows, false, false, what);
      supply.producers = std::move(by_country.producers);
      if (!supply.producers.empty() || country_rows.empty())
        supply.unquantified.insert(supply.unquantified.end(), by_country.unquantified.begin(), by_country.unquantified.end());
    }
  }
  std::sort(supply.unquantified.begin(), supply.unquantified.end());
  supply.unquantified.erase(std::unique(supply.unquantified.begin(), supply.unquantified.end()), supply.unquantified.end());
  if (!supply.unquantified.empty())
    diag_.warning(r_.provision_file, r_.provision[chosen.front()].line, 0, "eto-unquantified",
                  fmt::format("{} provider{} of {} {} listed without a share ({}): no edge for {}, noted in the node's "
                              "'unquantified' column",
                              supply.unquantified.size(), supply.unquantified.size() == 1 ? "" : "s", what,
                              supply.unquantified.size() == 1 ? "is" : "are", join(supply.unquantified, ", "),
                              supply.unquantified.size() == 1 ? "it" : "them"));
  return supply;
}

// A process fed only by tools, materials or other bundles, which goes into other processes
// ("EDA and Core IP", "Fabrication materials"), is a bundle of what those processes need, not a
// place where work is done: the stage's capacity shares do not describe who provides it.
bool Mapper::is_grouping(std::size_t i) const {
  auto is_process = [&](std::size_t j) { return lower(r_.inputs[j].type) == "process"; };
  return is_process(i) && std::none_of(needs_[i].begin(), needs_[i].end(), is_process) &&
         std::any_of(consumers_[i].begin(), consumers_[i].end(), is_process);
}

void Mapper::assign_supplies() {
  const std::size_t n = r_.inputs.size();
  supply_.assign(n, {});
  from_stage_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const InputRow& in = r_.inputs[i];
    supply_[i] = resolve_supply(in.id, input_label(i));
    if (!supply_[i].producers.empty() || lower(in.type) != "process" || in.stage_id.empty() || is_grouping(i)) continue;
    // A process step without shares of its own (photolithography, testing, ...) is done where the
    // stage's capacity is: the stage rows of provision.csv (S1, S2, S3) say which countries hold it.
    auto cached = stage_supply_.find(in.stage_id);
    if (cached == stage_supply_.end())
      cached = stage_supply_.emplace(in.stage_id, resolve_supply(in.stage_id, "stage " + in.stage_id + " (" + in.stage_name + ")"))
                   .first;
    if (cached->second.producers.empty()) continue;
    supply_[i] = cached->second;
    from_stage_[i] = 1;
  }
  // Provision for ids that are neither an input nor a stage of one is reported, not guessed at.
  std::set<std::string> stage_ids;
  for (const auto& in : r_.inputs)
    if (!in.stage_id.empty()) stage_ids.insert(in.stage_id);
  std::set<std::string> reported;
  for (const ProvisionRow& p : r_.provision)
    if (!input_of_.count(p.provided_id) && !stage_ids.count(p.provided_id) && reported.insert(p.provided_id).second)
      diag_.warning(r_.provision_file, p.line, 0, "eto-unknown-input",
                    fmt::format("provided_id '{}' is neither an input_id of inputs.csv nor a stage of one: its rows are left out",
                                p.provided_id));
}

std::optional<double> Mapper::subtype_size(std::size_t i, std::vector<char>& visiting) {
  if (size_[i]) return size_[i];
  if (visiting[i] || subtypes_[i].empty()) return std::nullopt;
  visiting[i] = 1;
  std::optional<double> sum;
  for (std::size_t t : subtypes_[i])
    if (auto s = subtype_size(t, visiting)) sum = sum.value_or(0) + *s;
  visiting[i] = 0;
  if (sum) {
    size_[i] = sum;
    basis_[i] = "subtypes";
  }
  return sum;
}

// Market sizes: the text of inputs.csv; else the sum of the subtypes' sizes; else, for a process,
// what it buys: the sizes of the tools and materials that go into it, each split evenly among the
// inputs it goes into (an estimate, so that process steps weigh something; see the docs).
void Mapper::assign_sizes() {
  const std::size_t n = r_.inputs.size();
  size_.assign(n, std::nullopt);
  basis_.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    const InputRow& in = r_.inputs[i];
    if (in.size_text.empty()) continue;
    size_[i] = parse_market_size_musd(in.size_text);
    if (size_[i]) basis_[i] = "market size";
    else
      diag_.warning(r_.inputs_file, in.line, in.size_column, "eto-no-amount",
                    fmt::format("market size '{}' of {} gives no amount: the input has no value", in.size_text, input_label(i)));
  }
  std::vector<char> visiting(n, 0);
  for (std::size_t i = 0; i < n; ++i) subtype_size(i, visiting);
  auto is_process = [&](std::size_t j) { return lower(r_.inputs[j].type) == "process"; };
  for (std::size_t i = 0; i < n; ++i) {
    if (size_[i] || !is_process(i)) continue;
    std::optional<double> sum;
    for (std::size_t s : needs_[i])
      if (!is_process(s) && size_[s]) sum = sum.value_or(0) + *size_[s] / static_cast<double>(consumers_[s].size());
    if (sum) {
      size_[i] = sum;
      basis_[i] = "inputs";
    }
  }
}

// Whether anything is known about who provides the input, directly or through its subtypes or
// what goes into it.
bool Mapper::has_data(std::size_t i) {
  if (data_state_[i] == 0 || data_state_[i] == 1) return data_state_[i] == 1;
  if (data_state_[i] == 2) return false;  // a cycle: no data through it
  data_state_[i] = 2;
  bool yes = !supply_[i].producers.empty();
  for (std::size_t t : subtypes_[i]) yes = has_data(t) || yes;
  for (std::size_t s : needs_[i]) yes = has_data(s) || yes;
  data_state_[i] = yes ? 1 : 0;
  return yes;
}

std::vector<std::size_t> Mapper::data_subtypes(std::size_t i) {
  std::vector<std::size_t> out;
  for (std::size_t t : subtypes_[i])
    if (has_data(t)) out.push_back(t);
  return out;
}

// The finest known types of an input: its subtypes with data, each replaced by its own finest
// types when it has some.
const std::vector<std::size_t>& Mapper::leaves(std::size_t i) {
  if (leaves_[i]) return *leaves_[i];
  leaves_[i].emplace();  // guards against a cycle of "is a type of"
  std::vector<std::size_t> out;
  for (std::size_t t : data_subtypes(i)) {
    const auto& finer = data_subtypes(t).empty() ? std::vector<std::size_t>{t} : leaves(t);
    for (std::size_t l : finer)
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  }
  leaves_[i] = std::move(out);
  return *leaves_[i];
}

void Mapper::add_edge(const std::string& supplier, const std::string& consumer, const std::string& input, double share,
                      std::size_t consumer_order) {
  if (share <= 0) return;
  if (!edge_keys_.emplace(supplier, consumer, input).second) return;
  edges_.push_back({supplier, consumer, input, share, consumer_order});
}

// Members weighted by their market size, as alternatives of one requirement: share = size / the
// whole (or the members' total when that is larger or the whole is unknown).
void Mapper::add_weighted(const std::vector<std::size_t>& members, std::optional<double> whole, const std::string& consumer,
                          const std::string& input, std::size_t consumer_order) {
  double total = 0;
  for (std::size_t m : members) {
    if (size_[m]) {
      total += *size_[m];
    } else if (warned_no_size_.insert(m).second) {
      diag_.warning(r_.inputs_file, r_.inputs[m].line, r_.inputs[m].size_column, "eto-no-size",
                    fmt::format("{} has no market size: it cannot be weighted among the types of its parent and is left "
                                "out of them",
                                input_label(m)));
    }
  }
  const double denominator = std::max(total, whole.value_or(0));
  if (denominator <= 0) return;
  for (std::size_t m : members)
    if (size_[m]) add_edge(r_.inputs[m].id, consumer, input, *size_[m] / denominator, consumer_order);
}

// `consumer` needs input `supplied`: the input itself (all of it, as the publishers sized it by
// provider) and, when the input has finer types than its own requirement shows, those types
// weighted by market size, as a second requirement.
void Mapper::add_need(std::size_t supplied, const std::string& consumer, std::size_t consumer_order) {
  const std::string& id = r_.inputs[supplied].id;
  add_edge(id, consumer, id, 1.0, consumer_order);
  const auto& finest = leaves(supplied);
  if (finest.empty()) return;
  if (supply_[supplied].producers.empty() && finest == data_subtypes(supplied)) return;  // the same as its own requirement
  add_weighted(finest, size_[supplied], consumer, id + " types", consumer_order);
}

void Mapper::build() {
  const std::size_t n = r_.inputs.size();
  data_state_.assign(n, -1);
  leaves_.assign(n, std::nullopt);
  auto value_text = [](std::optional<double> v) { return v ? csv::decimal(*v, 6) : std::string(); };

  for (std::size_t i = 0; i < n; ++i) {
    const InputRow& in = r_.inputs[i];
    const Supply& supply = supply_[i];
    const std::string year = supply.year ? std::to_string(*supply.year) : "";
    const std::size_t input_order = nodes_.size();
    nodes_.push_back({in.id, in.name, "category", stage_[i], "", "", value_text(size_[i]), in.id, in.type, "", year,
                      basis_[i], join(supply.unquantified, "; ")});

    std::optional<Kind> kind;
    if (!supply.producers.empty()) {
      kind = producer_kind(in.type, in.name, stage_[i]);
      if (!kind)
        diag_.warning(r_.inputs_file, in.line, 0, "eto-unknown-type",
                      fmt::format("type '{}' of {} (stage '{}') has no kind of its own: its providers are written as "
                                  "kind category",
                                  in.type, input_label(i), stage_[i]));
    }
    for (const Producer& p : supply.producers) {
      const std::string id = in.id + "@" + p.key;
      const std::size_t order = nodes_.size();
      nodes_.push_back({id, in.name + " (" + p.label + ")", std::string(to_string(kind.value_or(Kind::category))),
                        stage_[i], p.country, p.owner, size_[i] ? value_text(p.share * *size_[i]) : "", in.id, in.type,
                        join(p.provider_ids, ";"), year, size_[i] ? "share x " + basis_[i] : "", ""});
      add_edge(id, in.id, in.id, p.share, input_order);
      for (std::size_t s : needs_[i]) add_need(s, id, order);
    }
    if (supply.producers.empty()) {
      auto members = data_subtypes(i);
      if (!members.empty()) add_weighted(members, size_[i], in.id, in.id, input_order);
      for (std::size_t s : needs_[i]) add_need(s, in.id, input_order);
    }
  }
  for (const auto& node : nodes_)
    if (!node_ids_.insert(node.id).second)
      diag_.error(r_.inputs_file, 0, 0, "eto-id-collision",
                  fmt::format("two nodes would have the id '{}'", node.id), "rename the input whose id contains '@'");
}

std::string Mapper::write_manifest(std::optional<int> year) const {
  const std::string level = opt_.level == Level::firm ? "firm" : "country";
  std::string release = opt_.release.empty() ? release_from_title(r_.title) : opt_.release;
  std::string m;
  m += "# Imported by `scgraph import eto` from the ETO Advanced Semiconductor Supply Chain Dataset.\n";
  m += "# Attribute ETO/CSET wherever these data are shown (CC BY 4.0). docs/IMPORT-ETO.md explains the mapping.\n";
  m += "name = " + toml_string(fmt::format("ETO advanced semiconductor supply chain, home {} ({} level)", opt_.home, level)) + "\n";
  m += "home = " + toml_string(opt_.home) + "\n";
  if (year) m += fmt::format("year = {}            # the provision year used (each input: its latest year up to this)\n", *year);
  m += "source = " +
       toml_string("Emerging Technology Observatory (ETO), Center for Security and Emerging Technology (CSET): "
                   "Advanced Semiconductor Supply Chain Dataset") +
       "\n";
  m += "release = " + toml_string(release) + "\n";
  m += "licence = " + toml_string("ETO/CSET, CC BY 4.0") + "\n";
  m += "level = " + toml_string(level) + "\n";
  m += "\n# A placeholder target (China's 70 % by 2028): edit it to the goal you measure against.\n";
  m += "[target]\nshare = 0.7\nyear = 2028\nmetric = \"nominal\"\n";
  return m;
}

// Shares as written to edges.csv, in billionths: each rounded down, then the billionths that the
// rounding lost in a requirement handed back to its largest remainders (ties: the earlier edge).
// A requirement whose shares add up to 1 is then written adding up to exactly 1, not 0.9999999997
// with a warning about 3e-8 % of unmapped supply; none is written above 1, nor above its true
// total by more than half a billionth.
// `edges` is sorted by (consumer, input), so each requirement is one run of rows.
std::vector<std::string> written_shares(const std::vector<OutEdge>& edges) {
  constexpr double unit = 1e9;
  std::vector<std::string> out(edges.size());
  for (std::size_t begin = 0; begin < edges.size();) {
    std::size_t end = begin;
    double total = 0;
    while (end < edges.size() && edges[end].consumer == edges[begin].consumer && edges[end].input == edges[begin].input)
      total += edges[end++].share;
    // 1e-6 of a billionth absorbs the binary error of decimal shares (0.45 x 1e9 = 449999999.99999994).
    std::vector<long long> units;
    std::vector<double> remainder;
    long long floors = 0;
    for (std::size_t k = begin; k < end; ++k) {
      const double scaled = edges[k].share * unit;
      units.push_back(static_cast<long long>(std::floor(scaled + 1e-6)));
      remainder.push_back(scaled - static_cast<double>(units.back()));
      floors += units.back();
    }
    const long long target = std::min(std::llround(total * unit), static_cast<long long>(unit));
    std::vector<std::size_t> order(units.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (long long missing = target - floors, k = 0; missing > 0 && k < static_cast<long long>(order.size()); --missing, ++k)
      ++units[order[static_cast<std::size_t>(k)]];
    for (std::size_t k = begin; k < end; ++k) out[k] = csv::decimal(static_cast<double>(units[k - begin]) / unit, 9);
    begin = end;
  }
  return out;
}

ImportedDataset Mapper::run() {
  index();
  link_sequence();
  assign_stages();
  assign_supplies();
  assign_sizes();
  build();

  ImportedDataset out;
  out.inputs = r_.inputs.size();
  std::optional<int> year = opt_.year;
  for (std::size_t i = 0; i < r_.inputs.size(); ++i) {
    if (supply_[i].producers.empty()) continue;
    out.producers += supply_[i].producers.size();
    if (!from_stage_[i]) ++out.inputs_with_shares;
    if (!opt_.year && supply_[i].year && (!year || *supply_[i].year > *year)) year = supply_[i].year;
  }
  if (!year)
    diag_.warning(r_.provision_file, 0, 0, "eto-undated",
                  "provision.csv dates no row: the dataset gets no year", "pass --year Y to record the year of the release");
  out.year = year;

  std::stable_sort(edges_.begin(), edges_.end(), [](const OutEdge& a, const OutEdge& b) {
    return std::tie(a.consumer_order, a.input, a.supplier) < std::tie(b.consumer_order, b.input, b.supplier);
  });
  csv::Writer nodes({"id", "name", "kind", "stage", "country", "owner", "value_musd", "eto_input", "eto_type",
                     "eto_provider", "provision_year", "value_basis", "unquantified"});
  for (const OutNode& v : nodes_)
    nodes.row({v.id, v.name, v.kind, v.stage, v.country, v.owner, v.value, v.eto_input, v.eto_type, v.eto_provider, v.year,
               v.basis, v.unquantified});
  csv::Writer edges({"supplier", "consumer", "input", "share"});
  const auto shares = written_shares(edges_);
  for (std::size_t k = 0; k < edges_.size(); ++k)
    edges.row({edges_[k].supplier, edges_[k].consumer, edges_[k].input, shares[k]});

  out.manifest = write_manifest(year);
  out.nodes_csv = nodes.text();
  out.edges_csv = edges.text();
  out.nodes = nodes.rows();
  out.edges = edges.rows();
  return out;
}

}  // namespace

std::optional<ImportedDataset> import_release(const fs::path& folder, const std::string& display, const ImportOptions& options,
                                              Diagnostics& diagnostics) {
  Release release;
  if (!read_release(folder, display, release, diagnostics) || diagnostics.has_errors()) return std::nullopt;
  Mapper mapper(release, options, diagnostics);
  ImportedDataset out = mapper.run();
  if (diagnostics.has_errors()) return std::nullopt;
  return out;
}

bool write_dataset(const ImportedDataset& dataset, const std::string& home, const fs::path& out, bool replace_existing,
                   Diagnostics& load_diagnostics) {
  StagedDirectory staged(out, replace_existing);
  write_file_atomically(staged.path() / "dataset.toml", dataset.manifest);
  write_file_atomically(staged.path() / "nodes.csv", dataset.nodes_csv);
  write_file_atomically(staged.path() / "edges.csv", dataset.edges_csv);

  // Read back as every command will: the manifest, then the snapshot; diagnostics name the files
  // where they are about to be.
  Diagnostics manifest_diagnostics;
  auto opened = open_dataset(staged.path(), std::nullopt, manifest_diagnostics);
  for (Diagnostic d : manifest_diagnostics.entries()) {
    d.file = display_join(out.generic_string(), "dataset.toml");
    load_diagnostics.add(std::move(d));
  }
  if (!opened || manifest_diagnostics.has_errors()) return false;
  SnapshotFiles files = opened->snapshots.back();
  files.nodes_display = display_join(out.generic_string(), "nodes.csv");
  files.edges_display = display_join(out.generic_string(), "edges.csv");
  auto graph = load_snapshot(files, home, load_diagnostics);
  if (!graph || load_diagnostics.has_errors()) return false;
  staged.commit();
  return true;
}

}  // namespace scgraph::eto
