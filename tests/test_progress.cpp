// Progress toward the target: least squares and the projection against hand computation, the
// edge cases (one snapshot, target year reached, target already met, no target), and the
// command's JSON against the format's keys.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "graph/progress.hpp"
#include "run_program.hpp"

using namespace scgraph;

namespace {

std::vector<YearFigures> nominal_years(std::initializer_list<std::pair<int, double>> points) {
  std::vector<YearFigures> years;
  for (auto [year, value] : points) years.push_back({year, value, value / 10, 0.5});
  return years;
}

Target target(double share, int year, Metric metric = Metric::nominal) { return {share, year, metric}; }

}  // namespace

TEST_CASE("progress: least squares on four points by hand") {
  // x = 2019..2022, y = .20 .25 .27 .32: xmean = 2020.5, ymean = .26;
  // dx = -1.5 -.5 .5 1.5, dy = -.06 -.01 .01 .06;
  // Sxy = .09 + .005 + .005 + .09 = .19, Sxx = 2.25 + .25 + .25 + 2.25 = 5, slope = .038.
  std::vector<YearPoint> points{{2019, .20}, {2020, .25}, {2021, .27}, {2022, .32}};
  auto fit = least_squares(points);
  REQUIRE(fit);
  CHECK(fit->slope == doctest::Approx(0.038).epsilon(1e-12));
  CHECK(fit->mean_year == 2020.5);
  CHECK(fit->mean_value == doctest::Approx(0.26));
  // at 2028: .26 + .038 * 7.5 = .545
  CHECK(fit->at(2028) == doctest::Approx(0.545).epsilon(1e-12));
}

TEST_CASE("progress: least squares needs two distinct years") {
  std::vector<YearPoint> one{{2024, .4}};
  CHECK_FALSE(least_squares(one));
  std::vector<YearPoint> same_year{{2024, .4}, {2024, .5}};
  CHECK_FALSE(least_squares(same_year));
  std::vector<YearPoint> none;
  CHECK_FALSE(least_squares(none));
}

TEST_CASE("progress: projection off track, by hand") {
  auto years = nominal_years({{2019, .20}, {2020, .25}, {2021, .27}, {2022, .32}});
  Projection p = project(years, Metric::nominal, target(0.7, 2028));
  CHECK(*p.slope_per_year == doctest::Approx(0.038));
  CHECK(*p.at_target_year == doctest::Approx(0.545));
  // needed = (.70 - .32) / (2028 - 2022) = .38 / 6
  CHECK(*p.needed_per_year == doctest::Approx(0.38 / 6));
  CHECK(*p.gap == doctest::Approx(0.38));
  CHECK(p.on_track == false);
  CHECK(p.verdict == Verdict::off_track);
  CHECK(p.latest_year == 2022);
}

TEST_CASE("progress: projection on track, the worked example of the metrics document") {
  // m(2022) = .40, m(2023) = .43, m(2024) = .49: tmean 2023, mmean .44,
  // b1 = ((-1)(-.04) + 0 + (1)(.05)) / 2 = .045; at 2028: .44 + .045 * 5 = .665.
  auto years = nominal_years({{2022, .40}, {2023, .43}, {2024, .49}});
  Projection off = project(years, Metric::nominal, target(0.70, 2028));
  CHECK(*off.at_target_year == doctest::Approx(0.665));
  CHECK(*off.needed_per_year == doctest::Approx(0.0525));  // (.70 - .49) / 4
  CHECK(off.verdict == Verdict::off_track);
  Projection on = project(years, Metric::nominal, target(0.60, 2028));
  CHECK(on.on_track == true);
  CHECK(on.verdict == Verdict::on_track);
  CHECK(*on.needed_per_year == doctest::Approx(0.0275));  // (.60 - .49) / 4
}

TEST_CASE("progress: a single snapshot has no slope, projection or verdict, but a needed gain") {
  auto years = nominal_years({{2025, .50}});
  Projection p = project(years, Metric::nominal, target(0.7, 2028));
  CHECK_FALSE(p.slope_per_year);
  CHECK_FALSE(p.at_target_year);
  CHECK_FALSE(p.on_track);
  CHECK(p.verdict == Verdict::unknown);
  CHECK(*p.needed_per_year == doctest::Approx(0.2 / 3));  // (.7 - .5) / (2028 - 2025)
  REQUIRE_FALSE(p.notes.empty());
  CHECK(p.notes[0].find("single snapshot") != std::string::npos);
}

TEST_CASE("progress: at or after the target year the measurement decides and nothing is needed") {
  auto years = nominal_years({{2026, .60}, {2027, .65}, {2028, .72}});
  Projection met = project(years, Metric::nominal, target(0.7, 2028));
  CHECK_FALSE(met.needed_per_year);
  CHECK(met.on_track == true);
  CHECK(met.verdict == Verdict::met);
  CHECK(met.at_target_year);  // the trend is still reported
  auto late = nominal_years({{2028, .60}, {2029, .65}});
  Projection missed = project(late, Metric::nominal, target(0.7, 2028));
  CHECK(missed.on_track == false);
  CHECK(missed.verdict == Verdict::missed);
  CHECK(*missed.gap == doctest::Approx(0.05));
}

TEST_CASE("progress: a target already reached needs no further gain") {
  auto years = nominal_years({{2023, .70}, {2024, .75}});
  Projection p = project(years, Metric::nominal, target(0.7, 2028));
  CHECK(*p.needed_per_year == 0.0);
  CHECK(*p.gap == doctest::Approx(-0.05));
  CHECK(p.verdict == Verdict::on_track);
}

TEST_CASE("progress: the target's metric is the one projected; empty figures are skipped") {
  std::vector<YearFigures> years{{2020, .3, .10, std::nullopt}, {2021, .3, std::nullopt, std::nullopt}, {2022, .3, .20, .5}};
  Projection p = project(years, Metric::effective, target(0.5, 2030));
  // effective: (2020, .10), (2022, .20): slope .05, latest 2022
  CHECK(*p.slope_per_year == doctest::Approx(0.05));
  CHECK(p.latest_year == 2022);
  CHECK(*p.at_target_year == doctest::Approx(0.60));
  Projection loc = project(years, Metric::localization, target(0.5, 2030));
  CHECK_FALSE(loc.slope_per_year);  // one year with localization
  Projection no_target = project(years, Metric::nominal, std::nullopt);
  CHECK(*no_target.slope_per_year == doctest::Approx(0.0));
  CHECK_FALSE(no_target.at_target_year);
  CHECK_FALSE(no_target.needed_per_year);
  CHECK(no_target.verdict == Verdict::unknown);
}

TEST_CASE("progress: the command's JSON carries the format's keys and consistent figures") {
  auto r = scgraph::test::run_scgraph({"progress", "data/china-semis", "--format", "json", "--quiet"});
  REQUIRE(r.status == "0");
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "scgraph/1");
  CHECK(j["metric"] == "nominal");
  CHECK(j["target"]["share"] == 0.7);
  CHECK(j["target"]["year"] == 2028);
  const auto& years = j["years"];
  REQUIRE(years.size() >= 2);
  for (const auto& y : years)
    for (const char* key : {"year", "nominal", "effective", "localization"}) CHECK(y.contains(key));
  // The slope again, from the JSON's own points.
  double n = static_cast<double>(years.size()), mx = 0, my = 0;
  for (const auto& y : years) {
    mx += y["year"].get<double>() / n;
    my += y["nominal"].get<double>() / n;
  }
  double sxx = 0, sxy = 0;
  for (const auto& y : years) {
    double dx = y["year"].get<double>() - mx;
    sxx += dx * dx;
    sxy += dx * (y["nominal"].get<double>() - my);
  }
  const auto& p = j["projection"];
  CHECK(p["slope_per_year"].get<double>() == doctest::Approx(sxy / sxx).epsilon(1e-12));
  CHECK(p["at_target_year"].get<double>() == doctest::Approx(my + sxy / sxx * (2028 - mx)).epsilon(1e-12));
  const auto& latest = years.back();
  double needed = (0.7 - latest["nominal"].get<double>()) / (2028 - latest["year"].get<int>());
  CHECK(p["needed_per_year"].get<double>() == doctest::Approx(needed).epsilon(1e-12));
  CHECK(p["on_track"] == (p["at_target_year"].get<double>() >= 0.7));
}

TEST_CASE("progress: csv has a header, a row per snapshot and the trend row; --year is a usage error") {
  auto r = scgraph::test::run_scgraph({"progress", "data/china-semis", "--format", "csv", "--quiet"});
  REQUIRE(r.status == "0");
  CHECK(r.out.rfind("year,source,nominal,effective,localization\n", 0) == 0);
  CHECK(r.out.find("\n2028,trend,") != std::string::npos);
  auto usage = scgraph::test::run_scgraph({"progress", "data/china-semis", "--year", "2024"});
  CHECK(usage.status == "2");
}
