#pragma once

// A deliberately dumb HTTP/1.1 client on POSIX sockets, so tests can send malformed, slow or oversized
// input that a real client library would refuse to produce.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.hpp"

namespace dirsync::http::test {

using namespace std::chrono_literals;

/// A parsed HTTP response.
struct raw_response {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    /// First header named `name` (case-insensitive), or nullopt.
    std::optional<std::string> header(std::string_view name) const {
        for (const auto& [n, v] : headers)
            if (common::iequals_ascii(n, name)) return v;
        return std::nullopt;
    }
};

/// Reads one response from `buffer`, refilling it with `read_more` (which appends and returns false on EOF,
/// error or timeout). Consumes the response from `buffer`. `head`: the response has no body whatever
/// Content-Length says.
inline std::optional<raw_response> parse_response(std::string& buffer,
                                                  const std::function<bool(std::string&)>& read_more,
                                                  bool head = false) {
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos)
        if (!read_more(buffer)) return std::nullopt;
    raw_response res;
    const std::string head_block = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    std::size_t line_end = head_block.find("\r\n");
    const std::string status_line = head_block.substr(0, line_end);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return std::nullopt;
    res.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
        const std::size_t start = line_end + 2;
        line_end = head_block.find("\r\n", start);
        const std::string line =
            head_block.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        res.headers.emplace_back(line.substr(0, colon), value);
    }
    if (res.status / 100 == 1 || head) return res;
    const auto length = res.header("Content-Length");
    const std::size_t n = length ? std::stoul(*length) : 0;
    while (buffer.size() < n)
        if (!read_more(buffer)) return std::nullopt;
    res.body = buffer.substr(0, n);
    buffer.erase(0, n);
    return res;
}

/// A TCP connection to 127.0.0.1.
class raw_connection {
  public:
    /// Connects; throws std::runtime_error if the connection is refused.
    explicit raw_connection(std::uint16_t port) : fd_(connect_to(port)) {
        if (fd_ < 0) throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed");
    }
    ~raw_connection() { close(); }
    raw_connection(raw_connection&& other) noexcept
        : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}
    raw_connection& operator=(raw_connection&&) = delete;

    /// A connected socket to 127.0.0.1:`port`, or -1.
    static int connect_to(std::uint16_t port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }

    int fd() const { return fd_; }

    /// Sends all of `data`; false if the peer is gone.
    bool send(std::string_view data) {
        while (!data.empty()) {
            const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    /// Reads one response within `timeout`; nullopt on EOF, reset or timeout.
    std::optional<raw_response> read_response(std::chrono::milliseconds timeout = 5s, bool head = false) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        return parse_response(
            buffer_, [&](std::string& b) { return read_some(b, deadline) > 0; }, head);
    }

    /// Sends `request` and reads the response.
    std::optional<raw_response> roundtrip(std::string_view request, std::chrono::milliseconds timeout = 5s) {
        if (!send(request)) return std::nullopt;
        return read_response(timeout);
    }

    /// True if the server closes the connection (EOF or reset) within `timeout`; data still arriving is
    /// discarded.
    bool wait_closed(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::string discard;
        for (;;) {
            const auto n = read_some(discard, deadline);
            if (n == 0 || n == -1) return true;  // EOF or error
            if (n == -2) return false;           // timeout
        }
    }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    /// Appends what arrives before `deadline` to `out`. Returns bytes read, 0 on EOF, -1 on error, -2 on
    /// timeout.
    long read_some(std::string& out, std::chrono::steady_clock::time_point deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return -2;
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready == 0) return -2;
        if (ready < 0) return -1;
        char chunk[16384];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n < 0) return -1;
        out.append(chunk, static_cast<std::size_t>(n));
        return n;
    }

    int fd_;
    std::string buffer_;
};

}  // namespace dirsync::http::test
