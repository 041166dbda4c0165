#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <utility>

namespace dirsync::testing {

/// Runs `command` through the shell; returns its exit status (-1 when it did not exit normally) and its
/// standard output.
inline std::pair<int, std::string> run_command(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr) return {-1, out};
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace dirsync::testing
