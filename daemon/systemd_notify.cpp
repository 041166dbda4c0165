#include "daemon/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace dirsync::daemon {

bool systemd_notify(std::string_view state) noexcept {
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (!path || !*path) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::size_t len = std::strlen(path);
    if (len >= sizeof(addr.sun_path)) return false;
    std::memcpy(addr.sun_path, path, len);
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    auto addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);
    bool ok = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr),
                       addr_len) == static_cast<ssize_t>(state.size());
    ::close(fd);
    return ok;
}

std::optional<std::chrono::microseconds> systemd_watchdog_interval() noexcept {
    const char* usec = std::getenv("WATCHDOG_USEC");
    if (!usec) return std::nullopt;
    if (const char* pid = std::getenv("WATCHDOG_PID"); pid && std::strtol(pid, nullptr, 10) != ::getpid())
        return std::nullopt;
    char* end = nullptr;
    long long v = std::strtoll(usec, &end, 10);
    if (!end || *end != '\0' || v <= 0) return std::nullopt;
    return std::chrono::microseconds{v};
}

}  // namespace dirsync::daemon
