// The invitation part of the directory: invite, list, resend, revoke, accept, and the rate limit.
#include <algorithm>
#include <cctype>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "common/sha256.hpp"
#include "common/uuid.hpp"
#include "directory/audit_record.hpp"
#include "directory/directory.hpp"
#include "directory/email_rules.hpp"
#include "directory/name_text.hpp"
#include "directory/notices.hpp"
#include "directory/record_codec.hpp"
#include "store/database.hpp"
#include "store/invitation_table.hpp"
#include "store/tenant_table.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;
namespace inv = store::invitation_table;
namespace users = store::user_table;

constexpr std::string_view invitation_source = "invitation";
constexpr std::int64_t rate_window_ms = 24LL * 60 * 60 * 1000;
/// The most addresses one request may carry (a large team's list; more is a load, not an invitation).
constexpr std::size_t max_addresses = 1000;

std::string hash_of(std::string_view code) { return common::to_hex(common::sha256(code)); }
/// 160 random bits, prefixed so that people and scanners recognise what it is.
std::string new_code() { return "dsi_" + common::random_hex(20); }

/// Whom the rate limit counts: the person an admin token acted for, else the token.
std::string inviter_of(const actor& who) {
    return who.acting_user.empty() ? who.to_string() : who.acting_user;
}

std::vector<std::string> roles_of(const std::string& roles_json) {
    std::vector<std::string> out;
    auto parsed = json::parse(roles_json, nullptr, false);
    if (parsed.is_array())
        for (const auto& r : parsed)
            if (r.is_string()) out.push_back(r.get<std::string>());
    return out;
}

invitation invitation_of(const inv::invitation_row& r, std::int64_t now_ms) {
    invitation out;
    out.id = r.id;
    out.tenant_id = r.tenant_id;
    out.email = r.email;
    out.roles = roles_of(r.roles_json);
    out.invited_by = r.inviter;
    if (r.state == "accepted")
        out.state = invitation_state::accepted;
    else if (r.state == "revoked")
        out.state = invitation_state::revoked;
    else
        out.state = r.expires_ms <= now_ms ? invitation_state::expired : invitation_state::pending;
    out.created = common::from_epoch_ms(r.created_ms);
    out.sent = common::from_epoch_ms(r.sent_ms);
    out.expires = common::from_epoch_ms(r.expires_ms);
    out.sends = r.sends;
    if (r.ended_ms) out.ended = common::from_epoch_ms(*r.ended_ms);
    return out;
}

error no_invitation(std::string_view id) {
    return error(error_code::not_found, "no invitation with id '" + std::string(id) + "' in this tenant");
}

/// forbidden unless the tenant takes invitations now: in invite mode, or switching to idp until its
/// identity provider first writes.
result<void> check_invitations_open(const store::tenant_table::tenant_row& row) {
    if (row.provisioning == "invite" || !row.idp_active) return {};
    return error(error_code::forbidden, "provisioning_idp",
                 "tenant '" + row.id +
                     "' adds its users through its identity provider (provisioning: idp); invitations are "
                     "closed");
}

/// rate_limited when `window` is full, saying when the oldest send leaves it.
result<void> check_rate(const inv::send_window& window, std::uint32_t limit, std::int64_t now_ms) {
    if (window.count < limit) return {};
    const auto wait_ms = std::max<std::int64_t>(window.oldest_ms + rate_window_ms - now_ms, 1000);
    error e(error_code::rate_limited, "rate_limited",
            "at most " + std::to_string(limit) +
                " invitations and resends per administrator per day; the next is possible in " +
                std::to_string((wait_ms + 59'999) / 60'000) + " minute(s)");
    e.retry_after = std::chrono::seconds((wait_ms + 999) / 1000);
    return e;
}

/// The name the invitation message gives the inviter: the acting admin's display name or userName.
std::string inviter_name(store::connection& db, std::string_view tenant, const actor& who) {
    if (!who.acting_user.empty())
        if (auto row = users::find_by_id(db, tenant, who.acting_user)) {
            auto u = from_row(std::move(*row));
            return u.display_name.value_or(u.user_name);
        }
    return "An administrator";
}

/// Where the invitation message sends the invitee.
std::string link_for(const tenant& t, const std::string& code) {
    if (t.invitations.link.empty()) return "the registration page and enter the invite code " + code;
    return notices::render(t.invitations.link, {{"code", code}});
}

/// Queues the invitation message (and webhook event) for a new code.
void queue_invitation(store::connection& db, const notification_channels& channels, const tenant& t,
                      const invitation& i, const std::string& code, const std::string& inviter,
                      common::timestamp now) {
    notices::notice n;
    n.event = i.sends > 1 ? "invitation.resent" : "invitation.sent";
    n.template_name = "invitation";
    n.recipients = {i.email};
    const auto link = link_for(t, code);
    const auto expires = common::format_rfc3339(i.expires);
    n.values = {
        {"inviter", inviter}, {"invitee", i.email}, {"link", link}, {"code", code}, {"expires", expires}};
    n.data = {{"invitationId", i.id}, {"userId", i.id},     {"email", i.email},         {"roles", i.roles},
              {"code", code},         {"expires", expires}, {"invitedBy", i.invited_by}};
    if (!t.invitations.link.empty()) n.data["link"] = link;
    n.holds_code = true;
    notices::enqueue(db, channels, t, n, now);
}

bool account_names_tenant(std::string_view account, const tenant& t) {
    const auto key = common::fold_case(common::trim_ascii(account));
    return !key.empty() && (key == common::fold_case(t.id) || key == common::fold_case(t.name));
}

}  // namespace

std::string_view to_string(invitation_state s) noexcept {
    switch (s) {
        case invitation_state::pending:
            return "pending";
        case invitation_state::expired:
            return "expired";
        case invitation_state::accepted:
            return "accepted";
        case invitation_state::revoked:
            return "revoked";
    }
    return "pending";
}

std::vector<std::string> split_addresses(const std::vector<std::string>& items) {
    std::vector<std::string> out;
    for (const auto& item : items) {
        std::string piece;
        for (char c : item) {
            if (c == ',' || c == ';' || std::isspace(static_cast<unsigned char>(c))) {
                if (!piece.empty()) out.push_back(std::move(piece));
                piece.clear();
            } else {
                piece.push_back(c);
            }
        }
        if (!piece.empty()) out.push_back(std::move(piece));
    }
    return out;
}

result<std::vector<invite_outcome>> tenant_directory::invite(const actor& who, std::string_view tenant,
                                                             const invite_request& request) {
    const auto addresses = split_addresses(request.addresses);
    if (addresses.empty())
        return error(error_code::invalid_value, "no_addresses", "name at least one e-mail address to invite");
    if (addresses.size() > max_addresses)
        return error(error_code::invalid_value, "too_many_addresses",
                     "at most " + std::to_string(max_addresses) + " addresses per request, got " +
                         std::to_string(addresses.size()));
    const auto policy = policy_of(tenant);
    const auto chans = channels();
    return db_.write([&](store::connection& db) -> result<std::vector<invite_outcome>> {
        auto row = store::tenant_table::find(db, tenant);
        if (!row || !policy) return error(error_code::unknown_tenant, "unknown tenant");
        if (auto r = check_invitations_open(*row); !r) return r.error();
        std::vector<std::string> roles;
        for (const auto& r : request.roles)
            if (std::find(roles.begin(), roles.end(), r) == roles.end()) roles.push_back(r);
        std::optional<error> role_refusal;
        if (auto r = role_rules::check_assignment(db, tenant, {}, roles); !r) role_refusal = r.error();

        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        const auto inviter = inviter_of(who);
        const auto from = inviter_name(db, tenant, who);
        auto window = inv::sends_since(db, tenant, inviter, now_ms - rate_window_ms);
        std::vector<std::string> seen;
        std::vector<invite_outcome> outcomes;
        batch b(db, who, *this);
        for (const auto& address : addresses) {
            auto& out = outcomes.emplace_back();
            out.address = address;
            auto refuse = [&](std::string reason, std::string message) {
                out.refused = std::move(reason);
                out.message = std::move(message);
            };
            if (role_refusal) {
                refuse(role_refusal->reason, role_refusal->message);
                continue;
            }
            if (auto r = check_business_address(policy->emails, address); !r) {
                refuse(r.error().reason, r.error().message);
                continue;
            }
            const auto key = common::fold_case(address);
            if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
                refuse("duplicate", "'" + address + "' appears more than once in this request");
                continue;
            }
            seen.push_back(key);
            if (auto pending = inv::find_pending_by_email(db, tenant, key)) {
                const bool expired = pending->expires_ms <= now_ms;
                refuse("already_invited",
                       "'" + address + "' was invited already; that invitation " +
                           (expired ? "expired at " : "is pending until ") +
                           common::format_rfc3339(common::from_epoch_ms(pending->expires_ms)) +
                           ": resend it (invitation " + pending->id + ") instead of inviting again");
                continue;
            }
            std::optional<store::user_row> existing = users::find_by_user_name_key(db, tenant, key);
            if (!existing) {
                auto by_email = users::find_by_email_key(db, tenant, key);
                if (!by_email.empty()) existing = std::move(by_email.front());
            }
            if (existing) {
                refuse("registered_user", "'" + address + "' is already a user of this tenant (user " +
                                              existing->id + ", " + existing->status + ")");
                continue;
            }
            if (auto r = check_rate(window, policy->invitations.daily_limit, now_ms); !r) {
                refuse("rate_limited", r.error().message);
                out.retry_after = r.error().retry_after;
                continue;
            }
            std::optional<user> created;
            auto step = b.step([&](batch& in) -> result<void> {
                user_write w;
                w.resource = json{
                    {"userName", address},
                    {"emails", json::array({json{{"value", address}, {"primary", true}, {"type", "work"}}})},
                    {"active", true}};
                w.roles = roles;
                w.source = std::string(invitation_source);
                w.status = user_status::pending_invite;
                auto u = in.create_user(tenant, std::move(w));
                if (!u) return u.error();
                created = std::move(*u);
                return {};
            });
            if (!step) {
                refuse(step.error().reason.empty() ? "invalid_email" : step.error().reason,
                       step.error().message);
                continue;
            }
            inv::invitation_row r;
            r.tenant_id = std::string(tenant);
            r.id = created->id;
            r.email = address;
            r.email_key = key;
            r.roles_json = json(roles).dump();
            r.inviter = inviter;
            r.created_ms = r.sent_ms = now_ms;
            r.expires_ms = now_ms + policy->invitations.expire_after.count();
            inv::insert(db, r);
            out.code = new_code();
            inv::add_code(db, hash_of(out.code), tenant, r.id, now_ms);
            inv::add_send(db, tenant, inviter, now_ms, now_ms - rate_window_ms);
            if (window.count++ == 0) window.oldest_ms = now_ms;
            out.invited = invitation_of(r, now_ms);
            record_audit(db, who, tenant, "Invitation", r.id, now, "invitation.create",
                         json{{"email", address},
                              {"roles", roles},
                              {"expires", common::format_rfc3339(out.invited->expires)}});
            queue_invitation(db, chans, *policy, *out.invited, out.code, from, now);
        }
        return outcomes;
    });
}

result<invitation_page> tenant_directory::invitations(std::string_view tenant, invitation_filter filter,
                                                      const std::optional<std::string>& after,
                                                      std::int64_t limit) const {
    std::int64_t after_seq = 0;
    if (after) {
        const auto& c = *after;
        const bool digits =
            c.size() > 1 && c.size() < 20 && c[0] == 'i' &&
            std::all_of(c.begin() + 1, c.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
        if (!digits) return error(error_code::invalid_value, "invalid_cursor", "invalid cursor '" + c + "'");
        after_seq = std::stoll(c.substr(1));
    }
    const auto store_filter = [&] {
        switch (filter) {
            case invitation_filter::open:
                return inv::list_filter::open;
            case invitation_filter::pending:
                return inv::list_filter::pending;
            case invitation_filter::expired:
                return inv::list_filter::expired;
            case invitation_filter::accepted:
                return inv::list_filter::accepted;
            case invitation_filter::revoked:
                return inv::list_filter::revoked;
            case invitation_filter::all:
                break;
        }
        return inv::list_filter::all;
    }();
    return db_.read([&](store::connection& db) -> result<invitation_page> {
        if (!store::tenant_table::find(db, tenant))
            return error(error_code::unknown_tenant, "unknown tenant");
        const auto now_ms = common::to_epoch_ms(common::now());
        auto rows = inv::list(db, tenant, store_filter, now_ms, after_seq, limit + 1);
        invitation_page page;
        if (static_cast<std::int64_t>(rows.size()) > limit) {
            rows.resize(static_cast<std::size_t>(limit));
            page.next = "i" + std::to_string(rows.back().seq);
        }
        for (const auto& r : rows) page.invitations.push_back(invitation_of(r, now_ms));
        return page;
    });
}

result<invitation> tenant_directory::get_invitation(std::string_view tenant, std::string_view id) const {
    return db_.read([&](store::connection& db) -> result<invitation> {
        if (!store::tenant_table::find(db, tenant))
            return error(error_code::unknown_tenant, "unknown tenant");
        auto row = inv::find(db, tenant, id);
        if (!row) return no_invitation(id);
        return invitation_of(*row, common::to_epoch_ms(common::now()));
    });
}

result<invite_outcome> tenant_directory::resend_invitation(const actor& who, std::string_view tenant,
                                                           std::string_view id) {
    const auto policy = policy_of(tenant);
    const auto chans = channels();
    return db_.write([&](store::connection& db) -> result<invite_outcome> {
        auto tenant_row = store::tenant_table::find(db, tenant);
        if (!tenant_row || !policy) return error(error_code::unknown_tenant, "unknown tenant");
        auto row = inv::find(db, tenant, id);
        if (!row) return no_invitation(id);
        if (row->state != "pending")
            return error(
                error_code::conflict, "invitation_ended",
                "the invitation to '" + row->email + "' was " + row->state + "; invite again instead");
        if (auto r = check_invitations_open(*tenant_row); !r) return r.error();
        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        const auto inviter = inviter_of(who);
        if (auto r = check_rate(inv::sends_since(db, tenant, inviter, now_ms - rate_window_ms),
                                policy->invitations.daily_limit, now_ms);
            !r)
            return r.error();
        const auto expires_ms = now_ms + policy->invitations.expire_after.count();
        inv::record_resend(db, tenant, id, now_ms, expires_ms);
        invite_outcome out;
        out.address = row->email;
        out.code = new_code();
        inv::add_code(db, hash_of(out.code), tenant, id, now_ms);
        inv::add_send(db, tenant, inviter, now_ms, now_ms - rate_window_ms);
        row->sent_ms = now_ms;
        row->expires_ms = expires_ms;
        ++row->sends;
        out.invited = invitation_of(*row, now_ms);
        record_audit(db, who, tenant, "Invitation", id, now, "invitation.resend",
                     json{{"email", row->email},
                          {"sends", row->sends},
                          {"expires", common::format_rfc3339(out.invited->expires)}});
        queue_invitation(db, chans, *policy, *out.invited, out.code, inviter_name(db, tenant, who), now);
        return out;
    });
}

result<invitation> tenant_directory::revoke_invitation(const actor& who, std::string_view tenant,
                                                       std::string_view id) {
    return db_.write([&](store::connection& db) -> result<invitation> {
        if (!store::tenant_table::find(db, tenant))
            return error(error_code::unknown_tenant, "unknown tenant");
        auto row = inv::find(db, tenant, id);
        if (!row) return no_invitation(id);
        if (row->state != "pending")
            return error(error_code::conflict, "invitation_ended",
                         "the invitation to '" + row->email + "' was " + row->state + " already");
        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        inv::end(db, tenant, id, "revoked", now_ms);
        if (auto u = users::find_by_id(db, tenant, id);
            u && u->status == to_string(user_status::pending_invite))
            if (auto r = batch(db, who, *this).delete_user(tenant, id); !r) return r.error();
        record_audit(db, who, tenant, "Invitation", id, now, "invitation.revoke",
                     json{{"email", row->email}});
        row->state = "revoked";
        row->ended_ms = now_ms;
        return invitation_of(*row, now_ms);
    });
}

result<user> tenant_directory::accept_invitation(const acceptance& a,
                                                 std::optional<std::string_view> tenant_scope) {
    const auto code = common::trim_ascii(a.code);
    const auto chans = channels();
    return db_.write([&](store::connection& db) -> result<user> {
        auto c = code.empty() ? std::nullopt : inv::find_code(db, hash_of(code));
        if (!c || (tenant_scope && *tenant_scope != c->tenant_id))
            return error(error_code::not_found, "invite_code_unknown", "no invitation has this code");
        const auto& tenant = c->tenant_id;
        auto row = inv::find(db, tenant, c->invitation_id);
        if (!row) return error(error_code::not_found, "invite_code_unknown", "no invitation has this code");
        const auto now = common::now();
        const auto now_ms = common::to_epoch_ms(now);
        auto at = [](std::optional<std::int64_t> ms) {
            return ms ? common::format_rfc3339(common::from_epoch_ms(*ms)) : std::string("an unknown time");
        };
        if (row->state == "accepted")
            return error(
                error_code::conflict, "invite_used",
                "this invitation was accepted already, at " + at(row->ended_ms) + "; sign in instead");
        if (row->state == "revoked")
            return error(error_code::gone, "invite_revoked",
                         "this invitation was revoked at " + at(row->ended_ms) + "; ask an administrator");
        if (c->replaced_ms)
            return error(error_code::gone, "invite_code_replaced",
                         "a newer invitation was sent to this address at " + at(c->replaced_ms) +
                             "; use the link in the latest message");
        if (row->expires_ms <= now_ms)
            return error(error_code::gone, "invite_expired",
                         "this invitation expired at " + at(row->expires_ms) +
                             "; ask an administrator to send it again");
        const auto policy = policy_of(tenant);
        if (!policy) return error(error_code::unknown_tenant, "unknown tenant");
        if (policy->invitations.require_account_name &&
            !account_names_tenant(a.account_name.value_or(""), *policy))
            return error(error_code::invalid_value, "account_name_mismatch",
                         a.account_name ? "the account name does not match the account of this invitation"
                                        : "this account asks for its account name with the invite code");
        const auto given = std::string(common::trim_ascii(a.given_name));
        const auto family = std::string(common::trim_ascii(a.family_name));
        if (given.empty() || family.empty())
            return error(error_code::invalid_value, "invalid_name", "give both the first and the last name");
        if (auto r = check_name_text(given, "givenName"); !r)
            return error(error_code::invalid_value, "invalid_name", r.error().message);
        if (auto r = check_name_text(family, "familyName"); !r)
            return error(error_code::invalid_value, "invalid_name", r.error().message);
        auto existing = users::find_by_id(db, tenant, row->id);
        if (!existing || existing->status != to_string(user_status::pending_invite))
            return error(error_code::gone, "invite_revoked", "this invitation no longer has its account");

        const actor registration{std::string(registration_actor), "invitation"};
        batch b(db, registration, *this);
        auto named = b.modify_user(tenant, row->id, [&](const user& u) -> result<user_write> {
            user_write w;
            w.resource = u.resource;
            w.resource["name"] =
                json{{"givenName", given}, {"familyName", family}, {"formatted", given + " " + family}};
            if (!w.resource.contains("displayName")) w.resource["displayName"] = given + " " + family;
            w.source = u.source;
            w.source_anchor = u.source_anchor;
            return w;
        });
        if (!named) return named.error();
        auto u = b.change_status(tenant, row->id, status_request::register_person);
        if (!u) return u.error();
        inv::end(db, tenant, row->id, "accepted", now_ms);
        record_audit(db, registration, tenant, "Invitation", row->id, now, "invitation.accept",
                     json{{"email", row->email}, {"status", to_string(u->status)}});

        notices::notice n;
        n.event = "invitation.accepted";
        n.template_name = "invitation_accepted";
        if (auto inviter = users::find_by_id(db, tenant, row->inviter)) {
            auto who = from_row(std::move(*inviter));
            if (!who.emails.empty()) n.recipients.push_back(who.emails.front());
        }
        if (n.recipients.empty()) n.recipients = notices::admin_addresses(db, tenant);
        const auto invitee = given + " " + family + " <" + row->email + ">";
        n.values = {{"invitee", invitee}, {"user", invitee}};
        n.data = {{"invitationId", row->id},
                  {"userId", row->id},
                  {"email", row->email},
                  {"invitedBy", row->inviter},
                  {"status", to_string(u->status)}};
        notices::enqueue(db, chans, *policy, n, now);
        u->groups.emplace();
        return u;
    });
}

void tenant_directory::note_source_run(const actor& who, std::string_view tenant) {
    db_.write([&](store::connection& db) { return batch(db, who, *this).admit_writer(tenant, false); });
}

}  // namespace dirsync::directory
