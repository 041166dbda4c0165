#include "metrics/process.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace dirsync::metrics {
namespace {

std::optional<std::string> read_file(const char* path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<double> parse_number(std::string_view text) {
    unsigned long long v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
    return static_cast<double>(v);
}

/// The fields of /proc/self/stat after `(comm)`: fields()[0] is field 3 of proc(5), `state`.
std::vector<std::string_view> stat_fields(std::string_view stat) {
    std::vector<std::string_view> fields;
    const auto close = stat.rfind(')');
    if (close == std::string_view::npos) return fields;
    stat.remove_prefix(close + 1);
    while (!stat.empty()) {
        const auto start = stat.find_first_not_of(" \n");
        if (start == std::string_view::npos) break;
        const auto end = std::min(stat.find_first_of(" \n", start), stat.size());
        fields.push_back(stat.substr(start, end - start));
        stat.remove_prefix(end);
    }
    return fields;
}

/// Field `n` (numbered as in proc(5)) of /proc/self/stat as a number.
std::optional<double> stat_field(const std::vector<std::string_view>& fields, std::size_t n) {
    if (n < 3 || n - 3 >= fields.size()) return std::nullopt;
    return parse_number(fields[n - 3]);
}

std::optional<double> boot_time_seconds() {
    const auto stat = read_file("/proc/stat");
    if (!stat) return std::nullopt;
    std::string_view text = *stat;
    constexpr std::string_view key = "\nbtime ";
    const auto at = text.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    text.remove_prefix(at + key.size());
    return parse_number(text.substr(0, text.find('\n')));
}

std::optional<double> open_fds() {
    std::error_code ec;
    std::filesystem::directory_iterator it("/proc/self/fd", ec);
    if (ec) return std::nullopt;
    double count = 0;
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
        if (ec) return std::nullopt;
        ++count;
    }
    return count;
}

std::optional<double> max_fds() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
    if (limit.rlim_cur == RLIM_INFINITY) return std::numeric_limits<double>::infinity();
    return static_cast<double>(limit.rlim_cur);
}

void write(sample_writer& w, std::string_view name, std::string_view help, std::string_view type,
           std::optional<double> value) {
    if (!value) return;
    w.family(name, help, type);
    w.sample(*value);
}

void collect(sample_writer& w) {
    const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
    const long page_size = ::sysconf(_SC_PAGESIZE);
    const auto stat = read_file("/proc/self/stat");
    const auto fields = stat ? stat_fields(*stat) : std::vector<std::string_view>{};

    std::optional<double> cpu, start;
    if (ticks_per_second > 0) {
        const auto utime = stat_field(fields, 14), stime = stat_field(fields, 15);
        if (utime && stime) cpu = (*utime + *stime) / ticks_per_second;
        const auto boot = boot_time_seconds(), start_ticks = stat_field(fields, 22);
        if (boot && start_ticks) start = *boot + *start_ticks / ticks_per_second;
    }
    std::optional<double> resident;
    if (const auto pages = stat_field(fields, 24); pages && page_size > 0) resident = *pages * page_size;

    write(w, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", cpu);
    write(w, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", resident);
    write(w, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge",
          stat_field(fields, 23));
    write(w, "process_open_fds", "Number of open file descriptors.", "gauge", open_fds());
    write(w, "process_max_fds", "Maximum number of open file descriptors.", "gauge", max_fds());
    write(w, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge",
          start);
}

}  // namespace

void add_process_collector(registry& r) { r.add_collector(collect); }

}  // namespace dirsync::metrics
