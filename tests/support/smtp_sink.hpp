#pragma once

// A real SMTP server for tests: tests/support/smtp_sink.py (Debian's python3-aiosmtpd) as a child process on
// a loopback port, writing each message it receives into its own temporary directory.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/helper_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::testing {

/// smtp_sink.py as a child process writing into its own temporary directory.
class smtp_sink {
  public:
    explicit smtp_sink(std::vector<std::string> options = {}) : options_(std::move(options)) { start(0); }
    ~smtp_sink() { stop(); }
    smtp_sink(const smtp_sink&) = delete;
    smtp_sink& operator=(const smtp_sink&) = delete;

    /// Starts the server on `port` (0: any free one) and waits until it listens.
    void start(std::uint16_t port) {
        std::vector<std::string> args = {
            DIRSYNC_SMTP_SINK_PYTHON, DIRSYNC_SMTP_SINK_SCRIPT, "--dir", dir_.path().string(), "--port",
            std::to_string(port)};
        args.insert(args.end(), options_.begin(), options_.end());
        port_ = process_.start(std::move(args), dir_.file("sink.log"), dir_.path() / "ready");
    }

    /// Kills the server; its port then refuses connections.
    void stop() { process_.stop(); }

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
    helper_process process_;
    std::uint16_t port_ = 0;
};

}  // namespace dirsync::testing
