#pragma once

// A real SMTP server for tests: tests/support/smtp_sink.py (Debian's python3-aiosmtpd) as a child process on
// a loopback port, writing each message it receives into its own temporary directory.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace dirsync::testing {

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// smtp_sink.py as a child process writing into its own temporary directory.
class smtp_sink {
  public:
    explicit smtp_sink(std::vector<std::string> options = {}) : options_(std::move(options)) { start(0); }
    ~smtp_sink() { stop(); }
    smtp_sink(const smtp_sink&) = delete;
    smtp_sink& operator=(const smtp_sink&) = delete;

    /// Starts the server on `port` (0: any free one) and waits until it listens.
    void start(std::uint16_t port) {
        std::filesystem::remove(dir_.path() / "ready");
        std::vector<std::string> args = {
            DIRSYNC_SMTP_SINK_PYTHON, DIRSYNC_SMTP_SINK_SCRIPT, "--dir", dir_.path().string(), "--port",
            std::to_string(port)};
        args.insert(args.end(), options_.begin(), options_.end());
        const std::string log = dir_.file("sink.log");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            if (std::freopen(log.c_str(), "a", stderr) == nullptr) ::_exit(126);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (std::filesystem::exists(dir_.path() / "ready")) {
                port_ = static_cast<std::uint16_t>(std::stoi(read_file(dir_.path() / "ready")));
                return;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("smtp_sink.py exited:\n" + read_file(log));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        throw std::runtime_error("smtp_sink.py did not start in time:\n" + read_file(log));
    }

    /// Kills the server; its port then refuses connections.
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    std::uint16_t port() const noexcept { return port_; }
    std::string url(const char* scheme = "smtp") const {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
    }

    /// What msg-N.json says of each message received so far, in order.
    std::vector<nlohmann::json> messages() const {
        std::vector<nlohmann::json> out;
        for (int n = 1;; ++n) {
            const auto p = dir_.path() / ("msg-" + std::to_string(n) + ".json");
            if (!std::filesystem::exists(p)) return out;
            out.push_back(nlohmann::json::parse(read_file(p)));
        }
    }
    std::string raw(int n) const { return read_file(dir_.path() / ("msg-" + std::to_string(n) + ".eml")); }
    std::string log() const { return read_file(dir_.path() / "sink.log"); }

  private:
    temp_dir dir_;
    std::vector<std::string> options_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace dirsync::testing
