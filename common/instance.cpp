#include "common/instance.hpp"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <climits>

namespace dirsync::common {

namespace {

std::string host_name() {
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
}

}  // namespace

const std::string& instance_name() {
    static const std::string name = host_name() + ":" + std::to_string(::getpid());
    return name;
}

bool ended_on_this_host(std::string_view instance) {
    const auto colon = instance.rfind(':');
    if (colon == std::string_view::npos) return false;
    static const std::string here = host_name();
    if (instance.substr(0, colon) != here) return false;
    const auto digits = instance.substr(colon + 1);
    pid_t pid = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
    if (ec != std::errc() || end != digits.data() + digits.size() || pid <= 0) return false;
    if (pid == ::getpid()) return false;
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace dirsync::common
