#include "sync/safety.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace dirsync::sync {
namespace {

struct safety_case {
    const char* name;
    safety_limits limits;
    safety_input in;
    std::optional<release_allowance> allowance;
    std::optional<std::string> blocked;  ///< the exact reason, or nullopt
    std::optional<std::int64_t> released_run;
};

constexpr auto full = run_mode::full;
constexpr auto incremental = run_mode::incremental;

TEST(SafetyTest, Rules) {
    const safety_case cases[] = {
        {"no limits, no orphans", {}, {full, 1000, 1000, 0}, std::nullopt, std::nullopt, std::nullopt},
        {"no limits, many orphans", {}, {full, 1000, 100, 900}, std::nullopt, std::nullopt, std::nullopt},
        {"at max_orphans",
         {500, std::nullopt},
         {full, 1000, 500, 500},
         std::nullopt,
         std::nullopt,
         std::nullopt},
        {"above max_orphans",
         {500, std::nullopt},
         {full, 1000, 499, 501},
         std::nullopt,
         "would orphan 501 records, above max_orphans 500",
         std::nullopt},
        {"max_orphans 0 blocks any orphan",
         {0, std::nullopt},
         {full, 10, 9, 1},
         std::nullopt,
         "would orphan 1 record, above max_orphans 0",
         std::nullopt},
        {"at the ratio",
         {std::nullopt, 0.10},
         {full, 1000, 900, 100},
         std::nullopt,
         std::nullopt,
         std::nullopt},
        {"above the ratio",
         {std::nullopt, 0.10},
         {full, 1000, 100, 900},
         std::nullopt,
         "would orphan 900 of 1000 records (90%), above max_orphan_ratio 10%",
         std::nullopt},
        {"fractional percentages",
         {std::nullopt, 0.125},
         {full, 1000, 850, 150},
         std::nullopt,
         "would orphan 150 of 1000 records (15%), above max_orphan_ratio 12.5%",
         std::nullopt},
        {"ratio 0 blocks any orphan",
         {std::nullopt, 0.0},
         {full, 3, 2, 1},
         std::nullopt,
         "would orphan 1 of 3 records (33.3%), above max_orphan_ratio 0%",
         std::nullopt},
        {"ratio with no orphans",
         {std::nullopt, 0.0},
         {full, 3, 3, 0},
         std::nullopt,
         std::nullopt,
         std::nullopt},
        {"both limits broken",
         {500, 0.10},
         {full, 1000, 100, 900},
         std::nullopt,
         "would orphan 900 records, above max_orphans 500; "
         "would orphan 900 of 1000 records (90%), above max_orphan_ratio 10%",
         std::nullopt},
        {"zero users while owning records",
         {},
         {full, 1000, 0, 1000},
         std::nullopt,
         "the source returned no users while it owns 1000 records",
         std::nullopt},
        {"zero users, all already orphans",
         {},
         {full, 5, 0, 0},
         std::nullopt,
         "the source returned no users while it owns 5 records",
         std::nullopt},
        {"zero users owning nothing", {}, {full, 0, 0, 0}, std::nullopt, std::nullopt, std::nullopt},
        {"an empty delta is normal", {}, {incremental, 1000, 0, 0}, std::nullopt, std::nullopt, std::nullopt},
        {"a delta deleting too many",
         {5, std::nullopt},
         {incremental, 1000, 0, 6},
         std::nullopt,
         "would orphan 6 records, above max_orphans 5",
         std::nullopt},
        {"release covers the run",
         {std::nullopt, 0.10},
         {full, 1000, 100, 900},
         release_allowance{7, 900},
         std::nullopt,
         7},
        {"release covers fewer orphans too",
         {std::nullopt, 0.10},
         {full, 1000, 200, 800},
         release_allowance{7, 900},
         std::nullopt,
         7},
        {"release too small",
         {std::nullopt, 0.10},
         {full, 1000, 50, 950},
         release_allowance{7, 900},
         "would orphan 950 of 1000 records (95%), above max_orphan_ratio 10%",
         std::nullopt},
        {"release of an empty source",
         {},
         {full, 1000, 0, 1000},
         release_allowance{3, 1000},
         std::nullopt,
         3},
        {"release unused within the limits",
         {500, std::nullopt},
         {full, 1000, 990, 10},
         release_allowance{3, 1000},
         std::nullopt,
         std::nullopt},
    };
    for (const auto& c : cases) {
        auto v = check_safety(c.limits, c.in, c.allowance);
        EXPECT_EQ(v.blocked, c.blocked) << c.name;
        EXPECT_EQ(v.released_run, c.released_run) << c.name;
    }
}

}  // namespace
}  // namespace dirsync::sync
