#include "config/local_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "config/wipe.hpp"

namespace dirsync::config {

namespace {

/// Owns one file descriptor.
class file_descriptor {
  public:
    explicit file_descriptor(int fd) noexcept : fd_(fd) {}
    ~file_descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    file_descriptor(file_descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    file_descriptor(const file_descriptor&) = delete;
    file_descriptor& operator=(const file_descriptor&) = delete;
    file_descriptor& operator=(file_descriptor&&) = delete;

    int get() const noexcept { return fd_; }

  private:
    int fd_;
};

value_error fail(const std::filesystem::path& path, std::string_view reason) {
    return value_error("cannot read '" + path.string() + "': " + std::string(reason));
}

value_error fail_errno(const std::filesystem::path& path, int error) {
    return fail(path, std::strerror(error));
}

/// An open regular file and its size at open time.
struct opened_file {
    file_descriptor fd;
    std::size_t size;
};

boost::system::result<opened_file, value_error> open_regular(const std::filesystem::path& path) {
    if (path.empty()) return value_error("empty file name");
    file_descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) return fail_errno(path, errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail_errno(path, errno);
    if (!S_ISREG(st.st_mode)) return fail(path, "not a regular file");
    return opened_file{std::move(fd), static_cast<std::size_t>(st.st_size)};
}

}  // namespace

boost::system::result<void, value_error> check_readable_file(const std::filesystem::path& path) {
    auto file = open_regular(path);
    if (!file) return file.error();
    return {};
}

boost::system::result<std::string, value_error> read_file(const std::filesystem::path& path,
                                                          std::size_t max_bytes) {
    auto file = open_regular(path);
    if (!file) return file.error();
    if (file->size > max_bytes) return fail(path, "larger than " + std::to_string(max_bytes) + " bytes");
    // Read straight into a buffer of the expected size (plus one byte to notice growth), so a secret is not
    // left behind in reallocated memory unless the file grows while being read.
    std::string content(file->size + 1, '\0');
    std::size_t used = 0;
    for (;;) {
        if (used == content.size()) {
            if (content.size() > max_bytes) break;
            content.resize(std::min(content.size() * 2, max_bytes + 1));
        }
        auto n = ::read(file->fd.get(), content.data() + used, content.size() - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            int error = errno;
            wipe(content);
            return fail_errno(path, error);
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    if (used > max_bytes) {
        wipe(content);
        return fail(path, "larger than " + std::to_string(max_bytes) + " bytes");
    }
    content.resize(used);  // shrinking never reallocates
    // value_error is constructible from std::string too, so say which alternative is meant.
    return {boost::system::in_place_value, std::move(content)};
}

}  // namespace dirsync::config
