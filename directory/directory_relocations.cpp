// Relocations: a person's record moved from one tenant to another, asked by an operator and authorised by an
// admin of the destination.
#include "common/ascii.hpp"
#include "directory/audit_record.hpp"
#include "directory/directory.hpp"
#include "directory/notices.hpp"
#include "directory/record_codec.hpp"
#include "store/audit_table.hpp"
#include "store/database.hpp"
#include "store/relocation_table.hpp"
#include "store/tenant_table.hpp"
#include "store/user_password.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;
namespace relocations_table = store::relocation_table;
namespace users = store::user_table;

/// Authorisation requests sent before an unanswered relocation is cancelled.
constexpr std::int64_t max_attempts = 3;

relocation relocation_of(const relocations_table::relocation_row& r, std::int64_t now_ms) {
    relocation out;
    out.id = r.seq;
    out.user_id = r.user_id;
    out.from_tenant = r.from_tenant;
    out.to_tenant = r.to_tenant;
    out.reason = r.reason;
    auto roles = json::parse(r.roles_json, nullptr, false);
    if (roles.is_array())
        for (const auto& role : roles)
            if (role.is_string()) out.roles.push_back(role.get<std::string>());
    out.requested_by = r.requested_by;
    out.requester_user = r.requester_user;
    out.state = r.state;
    out.cancel_reason = r.cancel_reason;
    if (r.state == "requested" && r.expires_ms <= now_ms) {
        out.state = "cancelled";
        out.cancel_reason = "expired";
    }
    out.attempts = r.attempts;
    out.created = common::from_epoch_ms(r.created_ms);
    out.asked = common::from_epoch_ms(r.asked_ms);
    out.expires = common::from_epoch_ms(r.expires_ms);
    if (r.ended_ms) out.ended = common::from_epoch_ms(*r.ended_ms);
    out.decided_by = r.decided_by;
    return out;
}

error no_relocation(std::int64_t id) {
    return error(error_code::not_found, "no relocation " + std::to_string(id));
}

/// The open request `id`, or why it is not open (ended, or expired).
result<relocations_table::relocation_row> open_request(store::connection& db, std::int64_t id,
                                                       std::int64_t now_ms) {
    auto row = relocations_table::find(db, id);
    if (!row) return no_relocation(id);
    if (row->state != "requested")
        return error(error_code::conflict, "relocation_ended",
                     "relocation " + std::to_string(id) + " is " + row->state +
                         (row->cancel_reason ? " (" + *row->cancel_reason + ")" : std::string()));
    if (row->expires_ms <= now_ms)
        return error(error_code::gone, "relocation_expired",
                     "relocation " + std::to_string(id) + " expired at " +
                         common::format_rfc3339(common::from_epoch_ms(row->expires_ms)));
    return std::move(*row);
}

void audit_both(store::connection& db, const actor& who, const relocations_table::relocation_row& r,
                common::timestamp now, std::string_view action, const json& summary) {
    record_audit(db, who, r.from_tenant, "Relocation", std::to_string(r.seq), now, action, summary);
    record_audit(db, who, r.to_tenant, "Relocation", std::to_string(r.seq), now, action, summary);
}

}  // namespace

result<relocation> tenant_directory::request_relocation(const actor& who, const relocation_request& request) {
    const auto reason = std::string(common::trim_ascii(request.reason));
    if (reason.empty())
        return error(error_code::invalid_value, "reason_required", "say why the person moves");
    if (request.from_tenant == request.to_tenant)
        return error(error_code::invalid_value, "same_tenant",
                     "the destination is the tenant the person is in");
    const auto destination = policy_of(request.to_tenant);
    const auto chans = channels();
    return db_.write([&](store::connection& db) -> result<relocation> {
        for (const auto* t : {&request.from_tenant, &request.to_tenant})
            if (!store::tenant_table::find(db, *t))
                return error(error_code::unknown_tenant, "no tenant '" + *t + "'");
        auto user_row = users::find_by_id(db, request.from_tenant, request.user_id);
        if (!user_row)
            return error(error_code::not_found,
                         "no user '" + request.user_id + "' in tenant '" + request.from_tenant + "'");
        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        if (auto open = relocations_table::find_open(db, request.from_tenant, request.user_id, now_ms))
            return error(error_code::conflict, "relocation_open",
                         "relocation " + std::to_string(open->seq) + " of this user is open already");
        if (auto r = role_rules::check_assignment(db, request.to_tenant, {}, request.roles); !r)
            return r.error();
        relocations_table::relocation_row row;
        row.user_id = request.user_id;
        row.from_tenant = request.from_tenant;
        row.to_tenant = request.to_tenant;
        row.reason = reason;
        row.roles_json = json(request.roles).dump();
        row.requested_by = who.to_string();
        if (!who.acting_user.empty()) row.requester_user = who.acting_user;
        row.created_ms = row.asked_ms = now_ms;
        row.expires_ms = now_ms + request.expire_after.count();
        row.seq = relocations_table::insert(db, row);
        const auto u = from_row(std::move(*user_row));
        audit_both(db, who, row, now, "relocation.request",
                   {{"userId", u.id},
                    {"userName", u.user_name},
                    {"from", row.from_tenant},
                    {"to", row.to_tenant},
                    {"reason", reason}});
        if (destination) {
            notices::notice n;
            n.event = "relocation.requested";
            n.template_name = "relocation_requested";
            n.recipients = notices::admin_addresses(db, row.to_tenant);
            n.values = {{"user", u.user_name}, {"count", "1"}};
            n.data = {{"relocationId", row.seq},
                      {"userName", u.user_name},
                      {"from", row.from_tenant},
                      {"reason", reason},
                      {"expires", common::format_rfc3339(common::from_epoch_ms(row.expires_ms))}};
            notices::enqueue(db, chans, *destination, n, now);
        }
        return relocation_of(row, now_ms);
    });
}

result<relocation> tenant_directory::get_relocation(std::int64_t id) const {
    return db_.read([&](store::connection& db) -> result<relocation> {
        auto row = relocations_table::find(db, id);
        if (!row) return no_relocation(id);
        return relocation_of(*row, common::to_epoch_ms(common::now()));
    });
}

result<std::vector<relocation>> tenant_directory::relocations(std::string_view tenant, std::string_view state,
                                                              std::optional<std::int64_t> before,
                                                              std::int64_t limit) const {
    if (!state.empty() && state != "requested" && state != "completed" && state != "cancelled")
        return error(error_code::invalid_value, "invalid_value",
                     "state must be requested, completed or cancelled, or absent for all");
    return db_.read([&](store::connection& db) -> result<std::vector<relocation>> {
        const auto now_ms = common::to_epoch_ms(common::now());
        std::vector<relocation> out;
        for (const auto& row : relocations_table::list(db, tenant, state, before.value_or(0), limit))
            out.push_back(relocation_of(row, now_ms));
        return out;
    });
}

result<relocation> tenant_directory::remind_relocation(const actor& who, std::int64_t id) {
    const auto chans = channels();
    return db_.write([&](store::connection& db) -> result<relocation> {
        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        auto row = open_request(db, id, now_ms);
        if (!row) return row.error();
        if (row->attempts >= max_attempts) {
            relocations_table::end(db, id, "cancelled", "unanswered", std::nullopt, now_ms);
            audit_both(db, who, *row, now, "relocation.cancel",
                       {{"reason", "unanswered"}, {"attempts", row->attempts}});
        } else {
            relocations_table::record_attempt(db, id, now_ms);
            audit_both(db, who, *row, now, "relocation.remind", {{"attempt", row->attempts + 1}});
            if (auto destination = policy_of(row->to_tenant)) {
                notices::notice n;
                n.event = "relocation.requested";
                n.template_name = "relocation_requested";
                n.recipients = notices::admin_addresses(db, row->to_tenant);
                n.values = {{"user", row->user_id}, {"count", std::to_string(row->attempts + 1)}};
                n.data = {{"relocationId", id},
                          {"from", row->from_tenant},
                          {"reason", row->reason},
                          {"attempt", row->attempts + 1}};
                notices::enqueue(db, chans, *destination, n, now);
            }
        }
        return relocation_of(*relocations_table::find(db, id), now_ms);
    });
}

result<relocation> tenant_directory::decide_relocation(const actor& who, std::int64_t id, bool authorise) {
    return db_.write([&](store::connection& db) -> result<relocation> {
        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        auto row = open_request(db, id, now_ms);
        if (!row) return row.error();
        if (who.acting_user.empty())
            return error(error_code::forbidden, "acting_user_required",
                         "an active admin of the destination decides, named in Dirsync-Acting-User");
        if (row->requester_user && *row->requester_user == who.acting_user)
            return error(error_code::forbidden, "requester_cannot_authorise",
                         "the person who asked for the relocation cannot decide it");
        if (!authorise) {
            relocations_table::end(db, id, "cancelled", "refused", who.acting_user, now_ms);
            audit_both(db, who, *row, now, "relocation.refuse", {{"decidedBy", who.acting_user}});
            return relocation_of(*relocations_table::find(db, id), now_ms);
        }
        auto source_row = users::find_by_id(db, row->from_tenant, row->user_id);
        if (!source_row)
            return error(error_code::conflict, "relocation_user_gone",
                         "user '" + row->user_id + "' is no longer in tenant '" + row->from_tenant + "'");
        const user before = from_row(std::move(*source_row));
        const auto password = store::user_password::get(db, row->from_tenant, row->user_id);
        if (auto r = batch(db, who, *this).delete_user(row->from_tenant, row->user_id); !r) return r.error();
        user_write w;
        w.resource = before.resource;
        w.roles = relocation_of(*row, now_ms).roles;
        w.source = "relocation";
        w.status = before.registered ? user_status::active : user_status::provisioned;
        w.id = before.id;
        w.registered = before.registered;
        if (password) w.password_hash = std::optional<std::string>(*password);
        auto moved = batch(db, who, *this).create_user(row->to_tenant, std::move(w));
        if (!moved) return moved.error();
        const auto copied =
            store::audit_table::copy_history(db, row->from_tenant, row->to_tenant, row->user_id);
        relocations_table::end(db, id, "completed", std::nullopt, who.acting_user, now_ms);
        const json summary{{"relocation", id},        {"from", row->from_tenant},
                           {"to", row->to_tenant},    {"decidedBy", who.acting_user},
                           {"historyCopied", copied}, {"status", to_string(moved->status)}};
        record_audit(db, who, row->from_tenant, "User", row->user_id, now, "user.relocate", summary);
        record_audit(db, who, row->to_tenant, "User", row->user_id, now, "user.relocate", summary);
        return relocation_of(*relocations_table::find(db, id), now_ms);
    });
}

result<relocation> tenant_directory::withdraw_relocation(const actor& who, std::int64_t id) {
    return db_.write([&](store::connection& db) -> result<relocation> {
        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        auto row = open_request(db, id, now_ms);
        if (!row) return row.error();
        relocations_table::end(db, id, "cancelled", "withdrawn", std::nullopt, now_ms);
        audit_both(db, who, *row, now, "relocation.withdraw", json::object());
        return relocation_of(*relocations_table::find(db, id), now_ms);
    });
}

}  // namespace dirsync::directory
