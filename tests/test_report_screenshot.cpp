// The report as a reader sees it: Debian's chromium renders index.html headless to a PNG, which
// must exist and be far from blank. Runs only where /usr/bin/chromium is installed.
#include <doctest/doctest.h>

#include <filesystem>

#include "run_program.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using scgraph::test::run_program;
using scgraph::test::TempDir;

namespace {

constexpr const char* chromium = "/usr/bin/chromium";

// Screenshot of `page` at 1400 x 3000, through a fresh profile, with nothing fetched.
fs::path screenshot(const fs::path& page, const TempDir& dir, const std::string& name) {
  fs::path png = dir.path() / (name + ".png");
  fs::path profile = dir.path() / (name + "-profile");
  fs::create_directories(profile);
  auto r = run_program(chromium,
                       {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", "--user-data-dir=" + profile.string(), "--screenshot=" + png.string(),
                        "--window-size=1400,3000", "file://" + page.string()},
                       dir.path(), 180);
  INFO("chromium: status " << r.status << ", stderr: " << r.err);
  CHECK(r.status == "0");
  return png;
}

}  // namespace

TEST_CASE("report screenshot: chromium renders the sample report to a PNG that is not blank") {
  if (!fs::exists(chromium)) {
    MESSAGE("skipped: " << chromium << " is not installed (apt-get install chromium)");
    return;
  }
  TempDir dir;
  fs::path out = dir.path() / "report";
  auto r = scgraph::test::run_scgraph({"report", "data/china-semis", "--out", out.string(), "--quiet"});
  REQUIRE_MESSAGE(r.status == "0", r.err);
  // The reference: a blank page of the same size, which compresses to almost nothing.
  dir.write("blank.html", "<!DOCTYPE html><html><body></body></html>");
  fs::path blank = screenshot(dir.path() / "blank.html", dir, "blank");
  fs::path page = screenshot(out / "index.html", dir, "page");
  REQUIRE(fs::exists(blank));
  REQUIRE(fs::exists(page));
  std::string png = scgraph::test::read_whole_file(page);
  CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  auto blank_size = fs::file_size(blank), page_size = fs::file_size(page);
  INFO("blank page " << blank_size << " bytes, report " << page_size << " bytes");
  // Text, tables, the chart and the map: many times the bytes of a blank page (measured: a blank
  // 1400 x 3000 page is about 17 KB, the report's first 3000 pixels about 500 KB).
  CHECK(page_size > 10 * blank_size);
}
