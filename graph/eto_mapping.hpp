#pragma once
// The rules that turn cells of the ETO Advanced Semiconductor Supply Chain Dataset into scgraph
// values: market-size text to million USD, share cells to fractions of 1 (per input, because
// releases differ in how they write them), and ETO input types to node kinds.
// docs/IMPORT-ETO.md gives the reason for each rule.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace scgraph::eto {

enum class Level { country, firm };

// "$574.1 billion (2022)" -> 574100; "$44 million (2022)" -> 44; "$1.2B" -> 1200. The first
// amount is taken: a number after '$' or before a scale word (thousand, million, billion,
// trillion, or k/m/mn/b/bn/t right after it). Numbers that are neither ("(2022)") are skipped.
// nullopt when the text gives no amount.
std::optional<double> parse_market_size_musd(std::string_view text);

// A share cell as a release writes it: a plain number ("61", or "0.61" in a release that uses
// fractions), a percentage ("61%"), blank, "negligible", or something else.
enum class ShareForm { number, percent, blank, negligible, invalid };
struct ShareCell {
  ShareForm form = ShareForm::blank;
  double written = 0;  // the number as written: 61 for "61%" and for "61"
};
ShareCell parse_share_cell(std::string_view text);

// What became of each cell of one input's provider rows.
enum class ShareUse : unsigned char {
  share,         // a share in (0,1] after normalising
  zero,          // written as 0: no supply, no edge
  unquantified,  // blank or negligible: the provider is listed, its share is unknown
  out_of_range,  // negative, or above 100 %
  invalid,       // not a number
};

struct Shares {
  std::vector<double> fraction;  // per cell; 0 unless use is share
  std::vector<ShareUse> use;
  bool read_as_fractions = false;  // plain numbers were read as fractions of 1, not percentages
  bool scaled = false;             // they added up to more than 1 and were scaled down to 1
  double written_total = 0;        // their sum before scaling, as a fraction (1.02 for 102 %)
  [[nodiscard]] double total() const;  // sum of fraction, at most 1
};

// Plain numbers are percentages, unless every plain number of the input is at most 1 and they add
// up to at most 1.05 (a release writing fractions), and no cell of the input carries '%'.
// Cells with '%' are percentages. Shares adding up to more than 1 are scaled down to 1 (the
// publishers round small shares up); less than 1 is left as it is (the rest is unmapped).
Shares normalise_shares(std::span<const ShareCell> cells);

// The kind of the nodes that provide an input of ETO type `type` named `name` in stage `stage`:
//   tool_resource -> equipment, material_resource -> material, design_resource -> design,
//   ultimate_output -> chip, process -> design / fab / packaging by its stage;
// except that a non-process input named for design automation (EDA) is eda, and one named for
// intellectual property (IP) is ip. nullopt for a type (or a process stage) it does not know.
std::optional<Kind> producer_kind(std::string_view type, std::string_view name, std::string_view stage);

}  // namespace scgraph::eto
