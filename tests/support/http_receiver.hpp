#pragma once

// A loopback HTTP receiver for tests of outgoing HTTP (webhooks): records each request and answers it with a
// configured status.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/ascii.hpp"

namespace dirsync::testing {

/// A TCP socket on 127.0.0.1 and an ephemeral port, bound; `listening` also listens (backlog 16).
class loopback_socket {
  public:
    explicit loopback_socket(bool listening) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket failed");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
            (listening && ::listen(fd_, 16) != 0))
            throw std::runtime_error("bind/listen failed");
        port_ = ntohs(address.sin_port);
    }
    ~loopback_socket() { ::close(fd_); }
    loopback_socket(const loopback_socket&) = delete;
    loopback_socket& operator=(const loopback_socket&) = delete;

    int fd() const noexcept { return fd_; }
    std::uint16_t port() const noexcept { return port_; }
    std::string url(const std::string& path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }

  private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

struct received_request {
    std::string method;
    std::string target;
    std::map<std::string, std::vector<std::string>> headers;  // lower-case names
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        if (it == headers.end() || it->second.size() != 1) return "<" + name + " missing or repeated>";
        return it->second.front();
    }
};

/// An HTTP/1.1 receiver on loopback: records each request (one per connection) and answers it with the
/// configured status line and extra header lines, an empty body and Connection: close.
class http_receiver {
  public:
    http_receiver() : socket_(true), thread_([this] { serve(); }) {}
    ~http_receiver() {
        ::shutdown(socket_.fd(), SHUT_RDWR);  // wakes accept()
        thread_.join();
    }

    void answer(int status, std::string extra_headers = {}) {
        std::lock_guard lock(mutex_);
        status_ = status;
        extra_headers_ = std::move(extra_headers);
    }
    std::vector<received_request> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    std::string url(const std::string& path = "/hook") const { return socket_.url(path); }

  private:
    void serve() {
        for (;;) {
            const int c = ::accept4(socket_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) return;
            handle(c);
            ::close(c);
        }
    }

    void handle(int c) {
        std::string data;
        char buffer[4096];
        std::size_t header_end = std::string::npos;
        std::size_t content_length = 0;
        received_request request;
        for (;;) {
            if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
            const ssize_t n = ::recv(c, buffer, sizeof buffer, 0);
            if (n <= 0) return;
            data.append(buffer, static_cast<std::size_t>(n));
            if (header_end == std::string::npos &&
                (header_end = data.find("\r\n\r\n")) != std::string::npos) {
                std::size_t pos = data.find("\r\n");
                const std::string request_line = data.substr(0, pos);
                request.method = request_line.substr(0, request_line.find(' '));
                request.target = request_line.substr(request.method.size() + 1);
                request.target = request.target.substr(0, request.target.find(' '));
                while (pos < header_end) {
                    const std::size_t next = data.find("\r\n", pos + 2);
                    const std::string line = data.substr(pos + 2, next - pos - 2);
                    const std::size_t colon = line.find(':');
                    std::string value = line.substr(colon + 1);
                    value.erase(0, value.find_first_not_of(' '));
                    request.headers[common::to_lower_ascii(line.substr(0, colon))].push_back(value);
                    pos = next;
                }
                if (auto it = request.headers.find("content-length"); it != request.headers.end())
                    content_length = std::stoul(it->second.front());
            }
        }
        request.body = data.substr(header_end + 4, content_length);
        std::string response;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(std::move(request));
            response = "HTTP/1.1 " + std::to_string(status_) + " Test\r\n" + extra_headers_ +
                       "Content-Length: 0\r\nConnection: close\r\n\r\n";
        }
        ::send(c, response.data(), response.size(), MSG_NOSIGNAL);
    }

    loopback_socket socket_;
    mutable std::mutex mutex_;
    int status_ = 204;
    std::string extra_headers_;
    std::vector<received_request> requests_;
    std::thread thread_;
};

}  // namespace dirsync::testing
