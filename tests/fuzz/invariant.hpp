#pragma once

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

namespace dirsync::fuzz {

/// JSON text for a failure report; never throws on invalid UTF-8 (replaced by U+FFFD).
inline std::string describe(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Reports a broken invariant on stderr and aborts, which libFuzzer records as a crash (the input is saved
/// under the artifact prefix). `detail` says what was expected and what happened instead.
[[noreturn]] inline void invariant_failed(std::string_view what, std::string_view detail) {
    std::fprintf(stderr, "\n==== invariant broken: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

}  // namespace dirsync::fuzz
