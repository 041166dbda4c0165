#include "metrics/process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <optional>
#include <sstream>
#include <string>

namespace dirsync::metrics {
namespace {

/// The label-less samples of an exposition, by name. A value that does not parse as a whole is NaN.
std::map<std::string, std::string> samples(const std::string& exposition) {
    std::map<std::string, std::string> found;
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#' || line.find('{') != std::string::npos) continue;
        const auto space = line.find(' ');
        found[line.substr(0, space)] = line.substr(space + 1);
    }
    return found;
}

/// `text` as a number, if the whole of it is one.
std::optional<double> number(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
    return v;
}

double sample(const registry& r, const std::string& name) {
    const auto all = samples(r.expose());
    const auto it = all.find(name);
    if (it == all.end()) {
        ADD_FAILURE() << name << " missing from the exposition";
        return -1;
    }
    const auto v = number(it->second);
    if (!v) ADD_FAILURE() << name << " is not a number: " << it->second;
    return v.value_or(-1);
}

TEST(ProcessCollector, WritesStandardFamilies) {
    registry r;
    add_process_collector(r);
    const auto text = r.expose();
    for (const char* type_line :
         {"# TYPE process_cpu_seconds_total counter\n", "# TYPE process_resident_memory_bytes gauge\n",
          "# TYPE process_virtual_memory_bytes gauge\n", "# TYPE process_open_fds gauge\n",
          "# TYPE process_max_fds gauge\n", "# TYPE process_start_time_seconds gauge\n"}) {
        EXPECT_NE(text.find(type_line), std::string::npos) << type_line << text;
    }
    const auto resident = sample(r, "process_resident_memory_bytes");
    EXPECT_GT(resident, 0);
    EXPECT_GE(sample(r, "process_virtual_memory_bytes"), resident);
    EXPECT_GT(sample(r, "process_max_fds"), 0);
    EXPECT_GE(sample(r, "process_cpu_seconds_total"), 0);
}

TEST(ProcessCollector, StartTimeIsRecent) {
    registry r;
    add_process_collector(r);
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto start = sample(r, "process_start_time_seconds");
    EXPECT_LE(start, now + 2);  // btime is whole seconds, starttime in clock ticks
    EXPECT_GT(start, now - 3600);
}

TEST(ProcessCollector, OpenFdsFollowOpenAndClose) {
    registry r;
    add_process_collector(r);
    const auto before = sample(r, "process_open_fds");
    EXPECT_GT(before, 0);
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(sample(r, "process_open_fds"), before + 1);
    ::close(fd);
    EXPECT_EQ(sample(r, "process_open_fds"), before);
}

TEST(ProcessCollector, CpuSecondsGrowWithWork) {
    registry r;
    add_process_collector(r);
    const auto before = sample(r, "process_cpu_seconds_total");
    // Spin until this process has used 0.2 s more CPU, measured by the C library's own clock.
    const std::clock_t until = std::clock() + CLOCKS_PER_SEC / 5;
    volatile unsigned spin = 0;
    while (std::clock() < until) spin = spin + 1;
    EXPECT_GE(sample(r, "process_cpu_seconds_total"), before + 0.1);
}

}  // namespace
}  // namespace dirsync::metrics
