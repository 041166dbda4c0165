#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.hpp"

namespace dirsync::testing {

/// Percent-encodes a query parameter value: everything but RFC 3986 unreserved characters is escaped, as
/// Entra and Okta send filters (spaces and quotes included).
inline std::string percent_encode(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

struct http_result {
    int status = 0;  ///< 0 when the connection failed or closed before a response
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::string header(const std::string& name) const {
        for (const auto& [k, v] : headers)
            if (common::iequals_ascii(k, name)) return v;
        return {};
    }
};

/// A minimal blocking HTTP/1.1 client over loopback, written on raw sockets so tests can send anything
/// (malformed, oversized, slow). One connection, reused while the server keeps it alive.
class http_client {
  public:
    explicit http_client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10))
        : port_(port), timeout_(timeout) {}
    ~http_client() { close(); }
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        buffer_.clear();
    }

    /// Sends one request; `headers` are extra lines "Name: value". A Host and Content-Length are added.
    http_result request(const std::string& method, const std::string& target, const std::string& body = {},
                        const std::vector<std::string>& headers = {}) {
        std::string req =
            method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
        for (const auto& h : headers) req += h + "\r\n";
        if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
            req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        req += "\r\n";
        req += body;
        head_request_ = method == "HEAD";
        auto r = raw(req);
        head_request_ = false;
        return r;
    }

    /// Sends bytes as they are and reads nothing (a request left incomplete on purpose).
    bool send_only(const std::string& bytes) {
        if (fd_ < 0) connect();
        return send_all(bytes);
    }

    /// Sends bytes as they are and reads one response.
    http_result raw(const std::string& bytes) {
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (fd_ < 0) connect();
            if (!send_all(bytes)) {
                close();
                continue;
            }
            auto r = read_response();
            if (r.status == 0 && attempt == 0 && reused_) {  // server closed an idle keep-alive connection
                close();
                continue;
            }
            return r;
        }
        return {};
    }

  private:
    void connect() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port_);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd_);
            fd_ = -1;
            throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port_) + " failed");
        }
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        reused_ = false;
    }

    bool send_all(const std::string& bytes) {
        std::size_t off = 0;
        while (off < bytes.size()) {
            auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    bool fill() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) return false;
        char buf[65536];
        auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return false;
        buffer_.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    http_result read_response() {
        http_result r;
        std::size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) {
                close();
                return r;
            }
        std::string head = buffer_.substr(0, end);
        buffer_.erase(0, end + 4);
        auto line_end = head.find("\r\n");
        std::string status_line = head.substr(0, line_end);
        auto sp = status_line.find(' ');
        r.status = std::stoi(status_line.substr(sp + 1, 3));
        std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
        std::size_t length = 0;
        bool close_after = false;
        while (pos < head.size()) {
            auto e = head.find("\r\n", pos);
            if (e == std::string::npos) e = head.size();
            std::string line = head.substr(pos, e - pos);
            pos = e + 2;
            auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string name = line.substr(0, colon);
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            r.headers.emplace_back(name, value);
            if (common::iequals_ascii(name, "content-length")) length = std::stoul(value);
            if (common::iequals_ascii(name, "connection") && common::iequals_ascii(value, "close"))
                close_after = true;
        }
        if (head_request_) length = 0;  // Content-Length describes the GET body, none follows
        while (buffer_.size() < length)
            if (!fill()) break;
        r.body = buffer_.substr(0, length);
        buffer_.erase(0, std::min(length, buffer_.size()));
        if (close_after)
            close();
        else
            reused_ = true;
        return r;
    }

    std::uint16_t port_;
    bool head_request_ = false;  ///< the response to read answers a HEAD: no body follows
    std::chrono::milliseconds timeout_;
    int fd_ = -1;
    bool reused_ = false;
    std::string buffer_;
};

}  // namespace dirsync::testing
