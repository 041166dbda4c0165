#include "directory/seats.hpp"

#include "common/clock.hpp"
#include "directory/audit_record.hpp"
#include "directory/record_codec.hpp"
#include "store/tenant_table.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory::seats {

namespace {

/// Whether the tenant has a seat left (always, without a limit).
bool has_free_seat(store::connection& db, std::string_view tenant) {
    auto t = store::tenant_table::find(db, tenant);
    return t && (!t->seats || t->seats_used < *t->seats);
}

}  // namespace

user_status admit(store::connection& db, std::string_view tenant, user_status wanted, bool already_seated) {
    if (!consumes_seat(wanted) || already_seated) return wanted;
    return has_free_seat(db, tenant) ? wanted : user_status::requested;
}

bool account(store::connection& db, std::string_view tenant, std::optional<user_status> before,
             std::optional<user_status> after) {
    const int held_before = before && consumes_seat(*before) ? 1 : 0;
    const int held_after = after && consumes_seat(*after) ? 1 : 0;
    store::tenant_table::add_seats_used(db, tenant, held_after - held_before);
    return held_after < held_before;
}

std::size_t grant_free(store::connection& db, const actor& who, std::string_view tenant,
                       const std::function<void(const user&)>& granted_to) {
    std::size_t granted = 0;
    while (has_free_seat(db, tenant)) {
        auto row = store::user_table::longest_waiting(db, tenant);
        if (!row) break;
        user u = from_row(std::move(*row));
        const auto waited_since = u.status_since;
        u.status = u.registered ? user_status::active : user_status::provisioned;
        const auto now = common::now();
        u.status_since = now;
        u.last_modified = now < u.last_modified ? u.last_modified : now;
        ++u.version;
        store::user_table::update(db, to_row(u));
        account(db, tenant, user_status::requested, u.status);
        record_audit(db, who, tenant, "User", u.id, u.last_modified, "user.seat_granted",
                     nlohmann::json{{"before", {{"status", "requested"}}},
                                    {"after", {{"status", to_string(u.status)}}},
                                    {"waitingSince", common::format_rfc3339(waited_since)}});
        if (granted_to) granted_to(u);
        ++granted;
    }
    return granted;
}

}  // namespace dirsync::directory::seats
