#include "atomic_output.hpp"

#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include "interrupts.hpp"

namespace scgraph {

namespace fs = std::filesystem;

namespace {
std::string unique_suffix() {
  std::random_device rd;
  return std::to_string(getpid()) + "-" + std::to_string(rd());
}
}  // namespace

void write_file_atomically(const fs::path& path, std::string_view content) {
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  fs::path temp = dir / ("." + path.filename().string() + ".tmp-" + unique_suffix());
  CleanupOnInterrupt guard(temp);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temp.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      std::error_code ec;
      fs::remove(temp, ec);
      throw std::runtime_error("cannot write " + path.string() + " (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw std::runtime_error("cannot move the new file into place at " + path.string());
  }
}

StagedDirectory::StagedDirectory(fs::path destination, bool replace_existing)
    : destination_(std::move(destination)), replace_existing_(replace_existing) {
  fs::path parent = destination_.parent_path().empty() ? fs::path(".") : destination_.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  staging_ = parent / ("." + destination_.filename().string() + ".tmp-" + unique_suffix());
  fs::create_directory(staging_);
  register_interrupt_cleanup(staging_);
}

StagedDirectory::~StagedDirectory() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  unregister_interrupt_cleanup(staging_);
}

void StagedDirectory::commit() {
  std::error_code ec;
  fs::path old;
  if (fs::exists(destination_, ec)) {
    if (!replace_existing_) throw std::runtime_error(destination_.string() + " exists already");
    if (!fs::is_directory(destination_, ec))
      throw std::runtime_error(destination_.string() + " exists and is not a folder");
    // Move the old folder aside first so that the swap leaves one complete folder in place.
    old = destination_.parent_path() / ("." + destination_.filename().string() + ".old-" + unique_suffix());
    if (destination_.parent_path().empty()) old = fs::path("." + destination_.filename().string() + ".old-" + unique_suffix());
    fs::rename(destination_, old);
  }
  fs::rename(staging_, destination_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, destination_);
    throw std::runtime_error("cannot move the output into place at " + destination_.string() + ": " + ec.message());
  }
  committed_ = true;
  unregister_interrupt_cleanup(staging_);
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace scgraph
