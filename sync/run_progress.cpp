#include "sync/run_progress.hpp"

#include <nlohmann/json.hpp>

namespace dirsync::sync {

nlohmann::json to_json(const run_progress& p) {
    const auto expected = p.expected.load(std::memory_order_relaxed);
    return nlohmann::json{{"phase", to_string(p.at.load(std::memory_order_relaxed))},
                          {"read", p.read.load(std::memory_order_relaxed)},
                          {"expected", expected ? nlohmann::json(expected) : nlohmann::json()},
                          {"applied", p.applied.load(std::memory_order_relaxed)},
                          {"to_apply", p.to_apply.load(std::memory_order_relaxed)}};
}

}  // namespace dirsync::sync
