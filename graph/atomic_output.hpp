#pragma once
// Outputs appear whole or not at all: files and folders are written under a temporary name next to
// their destination and renamed into place only when complete. A run that fails (or is
// interrupted) leaves the destination as it was.
#include <filesystem>
#include <string_view>

namespace scgraph {

// Writes content to path through a temporary file in the same folder and a rename.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// A folder built under a temporary name and moved to its destination by commit(). Without
// commit() (an error, an exception), the temporary folder is removed.
class StagedDirectory {
 public:
  // replace_existing: an existing destination folder is replaced on commit (it is never touched
  // before); otherwise an existing destination is an error at commit.
  explicit StagedDirectory(std::filesystem::path destination, bool replace_existing = true);
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return staging_; }
  void commit();

 private:
  std::filesystem::path destination_, staging_;
  bool replace_existing_;
  bool committed_ = false;
};

}  // namespace scgraph
