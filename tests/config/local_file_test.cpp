#include "config/local_file.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace dirsync::config {
namespace {

// A file in the temporary directory, removed at the end of the test.
class temp_file {
  public:
    explicit temp_file(const std::string& content) {
        std::string name = (std::filesystem::temp_directory_path() / "dirsync-config-test-XXXXXX").string();
        int fd = ::mkstemp(name.data());
        if (fd < 0) throw std::runtime_error("mkstemp failed");
        if (::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()))
            throw std::runtime_error("write failed");
        ::close(fd);
        path_ = name;
    }
    ~temp_file() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

TEST(ReadFile, ReadsTheWholeFile) {
    std::string content(10000, 'x');
    temp_file f(content);
    auto read = read_file(f.path(), 10000);
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(*read, content);
    EXPECT_TRUE(check_readable_file(f.path()).has_value());
}

TEST(ReadFile, RejectsFilesOverTheLimit) {
    temp_file f("12345");
    auto read = read_file(f.path(), 4);
    ASSERT_FALSE(read.has_value());
    EXPECT_NE(read.error().message.find("larger than 4 bytes"), std::string::npos);
}

TEST(ReadFile, ExplainsMissingFilesAndDirectories) {
    auto missing = read_file("/nonexistent-dirsync-test/file", 100);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message,
              "cannot read '/nonexistent-dirsync-test/file': No such file or directory");
    auto directory = check_readable_file(std::filesystem::temp_directory_path());
    ASSERT_FALSE(directory.has_value());
    EXPECT_NE(directory.error().message.find("not a regular file"), std::string::npos);
}

TEST(ReadFile, ExplainsUnreadableFiles) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
    temp_file f("secret");
    std::filesystem::permissions(f.path(), std::filesystem::perms::none);
    auto read = check_readable_file(f.path());
    ASSERT_FALSE(read.has_value());
    EXPECT_NE(read.error().message.find("Permission denied"), std::string::npos);
}

}  // namespace
}  // namespace dirsync::config
