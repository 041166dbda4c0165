#pragma once

// A helper server for tests (a python3 script of tests/support/) as a child process: started with its
// arguments, its stderr appended to a log file, and ready once it wrote its port to a file.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace dirsync::testing {

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class helper_process {
  public:
    helper_process() = default;
    ~helper_process() { stop(); }
    helper_process(const helper_process&) = delete;
    helper_process& operator=(const helper_process&) = delete;

    /// Runs `args` (args[0] an absolute path), stderr appended to `log`, and waits until `ready` exists (the
    /// helper writes its port there once it listens); returns that port. Throws when the helper exits first
    /// or takes longer than 10 s, with its log.
    std::uint16_t start(std::vector<std::string> args, const std::filesystem::path& log,
                        const std::filesystem::path& ready) {
        std::filesystem::remove(ready);
        const std::string name = std::filesystem::path(args.size() > 1 ? args[1] : args[0]).filename();
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
            if (std::filesystem::exists(ready))
                return static_cast<std::uint16_t>(std::stoi(read_file(ready)));
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error(name + " exited:\n" + read_file(log));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        throw std::runtime_error(name + " did not start in time:\n" + read_file(log));
    }

    /// Kills the helper; its port then refuses connections.
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

  private:
    pid_t pid_ = -1;
};

}  // namespace dirsync::testing
