#pragma once

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace dirsync::testing {

/// The real dirsyncd binary (DIRSYNCD_PATH) started on a configuration file, its stderr captured to a file.
/// `start()` waits for the "listening on HOST:PORT" log line and records the port.
class daemon_process {
  public:
    daemon_process(std::string config_file, std::string log_file)
        : config_(std::move(config_file)), log_(std::move(log_file)) {}
    ~daemon_process() { kill_hard(); }
    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;

    /// When set, the daemon runs as this user and group (a test run as root that needs file permissions to
    /// apply to the daemon).
    std::optional<std::pair<uid_t, gid_t>> run_as;

    void start(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        std::ofstream(log_, std::ios::trunc).close();
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            int fd = ::open(log_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
            ::dup2(fd, STDERR_FILENO);
            ::dup2(fd, STDOUT_FILENO);
            if (run_as && (::setgroups(0, nullptr) != 0 || ::setgid(run_as->second) != 0 ||
                           ::setuid(run_as->first) != 0))
                ::_exit(126);
            ::execl(DIRSYNCD_PATH, "dirsyncd", "--config", config_.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        auto deadline = std::chrono::steady_clock::now() + timeout;
        static const std::regex listening("listening on [^ ]*:([0-9]+) ");
        while (std::chrono::steady_clock::now() < deadline) {
            std::smatch m;
            std::string text = log();
            if (std::regex_search(text, m, listening)) {
                port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
                return;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("dirsyncd exited during start-up:\n" + text);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        throw std::runtime_error("dirsyncd did not start listening in time:\n" + log());
    }

    /// SIGTERM and wait; returns the exit status (or -1 when killed by a signal).
    int stop(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        if (pid_ <= 0) return -1;
        ::kill(pid_, SIGTERM);
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill_hard();
        return -2;
    }

    /// SIGKILL and reap: a crash.
    void kill_hard() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    std::uint16_t port() const noexcept { return port_; }
    pid_t pid() const noexcept { return pid_; }
    std::string log() const {
        std::ifstream in(log_);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

  private:
    std::string config_;
    std::string log_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace dirsync::testing
