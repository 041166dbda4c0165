#pragma once

#include <atomic>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace dirsync::sync {

/// Where a run is, for a progress display: written by the run's thread, read by any other at any time
/// (relaxed atomics: each figure is exact, the figures together a moment's approximation).
struct run_progress {
    enum class phase : std::uint8_t { starting, reading, mapping, planning, applying, done };

    std::atomic<phase> at{phase::starting};
    std::atomic<std::uint64_t> read{0};      ///< entries read so far (users and groups)
    std::atomic<std::uint64_t> expected{0};  ///< entries the last full run read: the likely total; 0 unknown
    std::atomic<std::uint64_t> applied{0};   ///< changes written so far
    std::atomic<std::uint64_t> to_apply{0};  ///< changes the plan holds (apply.hpp applied_changes)
};

constexpr std::string_view to_string(run_progress::phase p) noexcept {
    switch (p) {
        case run_progress::phase::starting:
            return "starting";
        case run_progress::phase::reading:
            return "reading";
        case run_progress::phase::mapping:
            return "mapping";
        case run_progress::phase::planning:
            return "planning";
        case run_progress::phase::applying:
            return "applying";
        case run_progress::phase::done:
            return "done";
    }
    return "starting";
}

/// {"phase", "read", "expected", "applied", "to_apply"}; expected null when unknown.
nlohmann::json to_json(const run_progress& p);

}  // namespace dirsync::sync
