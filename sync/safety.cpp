#include "sync/safety.hpp"

#include <cmath>
#include <cstdio>

namespace dirsync::sync {

namespace {

/// 0.1 -> "10%", 0.125 -> "12.5%": at most one decimal, none when whole.
std::string percent(double ratio) {
    const double p = std::round(ratio * 1000.0) / 10.0;
    char buf[32];
    if (p == std::floor(p))
        std::snprintf(buf, sizeof buf, "%.0f%%", p);
    else
        std::snprintf(buf, sizeof buf, "%.1f%%", p);
    return buf;
}

std::string records(std::size_t n) { return std::to_string(n) + (n == 1 ? " record" : " records"); }

void add_reason(std::optional<std::string>& out, std::string reason) {
    if (out)
        *out += "; " + reason;
    else
        out = std::move(reason);
}

}  // namespace

safety_verdict check_safety(const safety_limits& limits, const safety_input& in,
                            const std::optional<release_allowance>& allowance) {
    std::optional<std::string> reason;
    if (in.mode == run_mode::full && in.read_users == 0 && in.owned_users > 0)
        add_reason(reason, "the source returned no users while it owns " + records(in.owned_users));
    const std::size_t orphans = in.new_orphans > 0 ? in.new_orphans + in.recent_orphans : 0;
    const std::string recent =
        in.new_orphans > 0 && in.recent_orphans > 0
            ? " (with " + std::to_string(in.recent_orphans) + " orphaned by the live runs just before)"
            : std::string();
    if (limits.max_orphans && orphans > *limits.max_orphans)
        add_reason(reason, "would orphan " + records(orphans) + recent + ", above max_orphans " +
                               std::to_string(*limits.max_orphans));
    if (limits.max_orphan_ratio && orphans > 0 &&
        static_cast<double>(orphans) > *limits.max_orphan_ratio * static_cast<double>(in.owned_users)) {
        const double share = in.owned_users ? static_cast<double>(orphans) / in.owned_users : 1.0;
        add_reason(reason, "would orphan " + std::to_string(orphans) + " of " + records(in.owned_users) +
                               recent + " (" + percent(share) + "), above max_orphan_ratio " +
                               percent(*limits.max_orphan_ratio));
    }
    safety_verdict v;
    if (!reason) return v;
    if (allowance && in.new_orphans <= allowance->orphans) {
        v.released_run = allowance->run_id;
        return v;
    }
    v.blocked = std::move(reason);
    return v;
}

}  // namespace dirsync::sync
