#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace dirsync::testing {

/// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class temp_dir {
  public:
    temp_dir() {
        auto base = std::filesystem::temp_directory_path() / "dirsyncd-test-XXXXXX";
        std::string pattern = base.string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    /// Writes `content` to the file `name` in the directory (replacing it) and returns its path.
    std::string write(const std::string& name, const std::string& content) const {
        auto p = path_ / name;
        std::ofstream(p, std::ios::binary) << content;
        return p.string();
    }

  private:
    std::filesystem::path path_;
};

}  // namespace dirsync::testing
