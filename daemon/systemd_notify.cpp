#include "daemon/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace dirsync::daemon {

bool systemd_notify(std::string_view state) noexcept {
    try {
        return ::sd_notify(0, std::string(state).c_str()) > 0;
    } catch (...) {
        return false;
    }
}

bool systemd_notify_reloading() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    const auto usec = static_cast<long long>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
    return systemd_notify("RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC=" +
                          std::to_string(usec));
}

std::optional<std::chrono::microseconds> systemd_watchdog_interval() noexcept {
    std::uint64_t usec = 0;
    if (::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::microseconds{static_cast<std::int64_t>(usec)};
}

}  // namespace dirsync::daemon
