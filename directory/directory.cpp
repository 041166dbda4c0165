#include "directory/directory.hpp"

#include <algorithm>
#include <array>

#include "common/casefold.hpp"
#include "common/email_address.hpp"
#include "common/log.hpp"
#include "common/uuid.hpp"
#include "directory/audit_record.hpp"
#include "directory/email_rules.hpp"
#include "directory/memberships.hpp"
#include "directory/notices.hpp"
#include "directory/record_codec.hpp"
#include "directory/roles.hpp"
#include "directory/seats.hpp"
#include "directory/status_transitions.hpp"
#include "store/audit_table.hpp"
#include "store/database.hpp"
#include "store/invitation_table.hpp"
#include "store/tenant_table.hpp"
#include "store/user_password.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;
namespace users = store::user_table;

error not_found(std::string_view id) {
    return error(error_code::not_found, "no user with id '" + std::string(id) + "'");
}

void mirror_active(user& u) {
    u.active = u.status != user_status::disabled && u.status != user_status::disconnected;
    u.resource["active"] = u.active;
}

result<void> check_unique_user_name(store::connection& db, const user& u) {
    auto existing = users::find_by_user_name_key(db, u.tenant_id, common::fold_case(u.user_name));
    if (existing && existing->id != u.id)
        return error(error_code::uniqueness,
                     "userName '" + u.user_name + "' is already taken in this tenant");
    return {};
}

json audit_view(const user& u) {
    json v{{"userName", u.user_name}, {"status", to_string(u.status)}, {"active", u.active}};
    if (u.orphan_since) v["orphanSince"] = common::format_rfc3339(*u.orphan_since);
    return v;
}

void audit(store::connection& db, const actor& who, const user& u, std::string_view action,
           const json& summary) {
    record_audit(db, who, u.tenant_id, "User", u.id, u.last_modified, action, summary);
}

/// An audit summary's account of a role change: the roles before and after, those added and removed.
json roles_change(const std::vector<std::string>& before, const std::vector<std::string>& after) {
    json added = json::array(), removed = json::array();
    for (const auto& r : after)
        if (std::find(before.begin(), before.end(), r) == before.end()) added.push_back(r);
    for (const auto& r : before)
        if (std::find(after.begin(), after.end(), r) == after.end()) removed.push_back(r);
    return {{"before", before}, {"after", after}, {"added", added}, {"removed", removed}};
}

/// `roles` without repeats, in first-seen order.
std::vector<std::string> distinct(std::vector<std::string> roles) {
    std::vector<std::string> out;
    out.reserve(roles.size());
    for (auto& r : roles)
        if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(std::move(r));
    return out;
}

bool tenant_exists(store::connection& db, std::string_view tenant) {
    return store::tenant_table::find(db, tenant).has_value();
}

/// The tenant's first administrator, unless a user has `email` as userName or e-mail already.
void create_owner(store::connection& db, tenant_directory::batch&& b, std::string_view tenant,
                  const std::string& email) {
    const auto key = common::fold_case(email);
    if (users::find_by_user_name_key(db, tenant, key) || !users::find_by_email_key(db, tenant, key).empty())
        return;
    user_write w;
    w.resource = json{{"userName", email},
                      {"emails", json::array({json{{"value", email}, {"primary", true}, {"type", "work"}}})},
                      {"active", true}};
    w.roles = std::vector<std::string>{std::string(admin_role)};
    w.status = user_status::active;
    w.source = "config";
    auto created = b.create_user(tenant, std::move(w));
    if (!created)
        common::log_warning("tenant '" + std::string(tenant) + "': owner " + email +
                            " not created: " + created.error().message);
}

}  // namespace

tenant_directory::tenant_directory(store::database& db,
                                   std::shared_ptr<const resource::service_schemas> schemas,
                                   record_limits limits)
    : db_(db), schemas_(std::move(schemas)), limits_(limits) {
    key_collisions_ = db_.write([](store::connection& c) { return upgrade_folded_keys(c); });
}

result<void> tenant_directory::batch::check_size(std::string_view what,
                                                 const std::string& resource_json) const {
    if (resource_json.size() <= limits_.max_resource_bytes) return {};
    return error(error_code::too_large,
                 "the " + std::string(what) + " is " + std::to_string(resource_json.size()) +
                     " bytes as stored; at most " + std::to_string(limits_.max_resource_bytes) +
                     " are stored per resource (storage.max_resource_size)");
}

void tenant_directory::configure_tenants(const std::vector<tenant>& tenants) {
    {
        std::lock_guard lock(config_mutex_);
        configured_.clear();
        for (const auto& t : tenants) configured_.insert_or_assign(t.id, t);
    }
    db_.write([&](store::connection& db) {
        for (const auto& t : tenants) {
            store::tenant_table::tenant_row row;
            row.id = t.id;
            row.name = t.name;
            if (t.seats) row.seats = *t.seats;
            row.created_ms = common::to_epoch_ms(common::now());
            store::tenant_table::upsert(db, row);
            const actor configuration{std::string(system_actor), "configuration"};
            const auto mode = t.provisioning == provisioning_mode::invite ? "invite" : "idp";
            if (store::tenant_table::set_provisioning(db, t.id, mode))
                record_audit(db, configuration, t.id, "Tenant", t.id, common::now(), "tenant.provisioning",
                             json{{"provisioning", mode}});
            // More seats than before (or none): the users waiting for one get them now.
            batch(db, configuration, *this).grant_free_seats(t.id);
            if (t.owner) create_owner(db, batch(db, configuration, *this), t.id, *t.owner);
        }
    });
}

void tenant_directory::set_schemas(std::shared_ptr<const resource::service_schemas> schemas) {
    std::lock_guard lock(config_mutex_);
    schemas_ = std::move(schemas);
}

std::shared_ptr<const resource::service_schemas> tenant_directory::schemas() const {
    std::lock_guard lock(config_mutex_);
    return schemas_;
}

std::optional<tenant> tenant_directory::find_tenant(std::string_view id) const {
    auto t = policy_of(id);
    if (!t) return std::nullopt;
    auto row = db_.read([&](store::connection& db) { return store::tenant_table::find(db, id); });
    if (!row) return std::nullopt;
    t->name = row->name;
    t->seats.reset();
    if (row->seats) t->seats = static_cast<std::uint32_t>(*row->seats);
    return t;
}

namespace {

tenant_usage usage_of(store::connection& db, store::tenant_table::tenant_row&& row) {
    tenant_usage out;
    out.settings = {row.id, row.name, std::nullopt};
    if (row.seats) out.settings.seats = static_cast<std::uint32_t>(*row.seats);
    out.seats_used = row.seats_used;
    for (auto s : all_user_statuses()) out.by_status.emplace_back(s, 0);
    for (const auto& [status, n] : users::count_by_status(db, row.id))
        if (auto s = parse_user_status(status))
            for (auto& entry : out.by_status)
                if (entry.first == *s) entry.second = n;
    return out;
}

}  // namespace

std::optional<tenant_usage> tenant_directory::usage(std::string_view id) const {
    return db_.read([&](store::connection& db) -> std::optional<tenant_usage> {
        store::read_snapshot snapshot(db);
        auto row = store::tenant_table::find(db, id);
        if (!row || !configured(id)) return std::nullopt;
        return usage_of(db, std::move(*row));
    });
}

std::vector<tenant_usage> tenant_directory::usages() const {
    return db_.read([&](store::connection& db) {
        store::read_snapshot snapshot(db);
        std::vector<tenant_usage> out;
        for (auto& row : store::tenant_table::all(db))
            if (configured(row.id)) out.push_back(usage_of(db, std::move(row)));
        return out;
    });
}

void tenant_directory::configure_notifications(notification_channels channels) {
    std::lock_guard lock(config_mutex_);
    channels_ = channels;
}

std::optional<tenant> tenant_directory::policy_of(std::string_view id) const {
    std::lock_guard lock(config_mutex_);
    auto it = configured_.find(id);
    if (it == configured_.end()) return std::nullopt;
    return it->second;
}

bool tenant_directory::configured(std::string_view id) const {
    std::lock_guard lock(config_mutex_);
    return configured_.contains(id);
}

notification_channels tenant_directory::channels() const {
    std::lock_guard lock(config_mutex_);
    return channels_;
}

result<void> tenant_directory::batch::admit_writer(std::string_view tenant, bool writes_users) {
    auto row = store::tenant_table::find(db_, tenant);
    if (!row) return error(error_code::unknown_tenant, "unknown tenant");
    const auto writer = writer_of(actor_);
    if (writer != status_writer::idp && writer != status_writer::sync) return {};
    if (row->provisioning == "invite") {
        if (writes_users)
            return error(error_code::forbidden, "provisioning_invite",
                         "tenant '" + std::string(tenant) +
                             "' adds its users by invitation (provisioning: invite); its identity provider "
                             "cannot create or change users");
        return {};
    }
    if (!row->idp_active && store::tenant_table::mark_idp_active(db_, tenant))
        record_audit(db_, actor_, tenant, "Tenant", tenant, common::now(), "tenant.idp_active",
                     json{{"provisioning", "idp"}, {"invitations", "closed"}});
    return {};
}

std::size_t tenant_directory::batch::grant_free_seats(std::string_view tenant) {
    // The tenant's policy is copied only when someone gets a seat: most frees find nobody waiting.
    std::optional<directory::tenant> policy;
    return seats::grant_free(db_, actor_, tenant, [&](const user& u) {
        if (!policy) policy = dir_.policy_of(tenant);
        if (!policy) return;
        notices::notice n;
        n.event = "seat.granted";
        n.template_name = "seat_granted";
        if (!u.emails.empty())
            n.recipients.push_back(u.emails.front());
        else if (common::is_email_address(u.user_name))
            n.recipients.push_back(u.user_name);
        n.values = {{"user", u.display_name.value_or(u.user_name)}};
        n.data = {{"userId", u.id}, {"userName", u.user_name}, {"status", to_string(u.status)}};
        notices::enqueue(db_, dir_.channels(), *policy, n, u.last_modified);
    });
}

result<void> tenant_directory::batch::check_admin_addresses(const user& u) const {
    if (writer_of(actor_) != status_writer::admin) return {};
    const auto policy = dir_.policy_of(u.tenant_id);
    if (!policy) return {};
    std::vector<std::string> addresses = u.emails;
    if (u.user_name.find('@') != std::string::npos &&
        std::find(addresses.begin(), addresses.end(), u.user_name) == addresses.end())
        addresses.push_back(u.user_name);
    for (const auto& address : addresses) {
        if (!common::is_email_address(address)) continue;  // the schema checked what it is
        if (auto r = check_business_address(policy->emails, address); !r) return r.error();
        const auto key = common::fold_case(address);
        for (const auto& other : users::find_by_email_key(db_, u.tenant_id, key)) {
            if (other.status == to_string(user_status::pending_invite)) continue;
            return error(error_code::uniqueness, "email_in_use",
                         "'" + address + "' is already the address of a registered user of this tenant");
        }
    }
    return {};
}

result<user> tenant_directory::batch::create_user(std::string_view tenant, user_write w) {
    if (auto r = admit_writer(tenant, true); !r) return r.error();
    user u;
    u.tenant_id = std::string(tenant);
    u.id = w.id ? *w.id : common::random_uuid();
    if (w.id && users::find_by_id(db_, tenant, *w.id))
        return error(error_code::uniqueness, "a user with id '" + *w.id + "' exists in this tenant already");
    u.registered = w.registered;
    u.resource = std::move(w.resource);
    if (auto r = derive_projections(u, schemas_.users()); !r) return r.error();
    if (auto r = check_unique_user_name(db_, u); !r) return r.error();
    if (auto r = check_admin_addresses(u); !r) return r.error();
    if (w.source_anchor && users::find_by_anchor(db_, tenant, w.source, *w.source_anchor))
        return error(error_code::uniqueness, "a user with this source anchor already exists");

    user_status wanted = w.status ? *w.status : (u.active ? user_status::provisioned : user_status::disabled);
    u.status = seats::admit(db_, tenant, wanted, false);
    mirror_active(u);
    if (w.roles) {
        u.roles = distinct(std::move(*w.roles));
        if (auto r = role_rules::check_assignment(db_, tenant, {}, u.roles); !r) return r.error();
    }
    u.source = std::move(w.source);
    u.source_anchor = std::move(w.source_anchor);
    if (w.orphan_since) u.orphan_since = *w.orphan_since;
    u.created = u.last_modified = u.status_since = common::now();
    u.version = 1;

    auto row = to_row(u);
    if (auto r = check_size("user", row.resource_json); !r) return r.error();
    users::insert(db_, row);
    seats::account(db_, tenant, std::nullopt, u.status);
    json summary{{"after", audit_view(u)}};
    if (w.password_hash && *w.password_hash) {
        store::user_password::set(db_, tenant, u.id, *w.password_hash);
        summary["password"] = "set";
    }
    audit(db_, actor_, u, "user.create", summary);
    return u;
}

result<user> tenant_directory::batch::modify_user(
    std::string_view tenant, std::string_view id,
    const std::function<result<user_write>(const user&)>& change,
    std::optional<std::int64_t> expected_version) {
    auto row = users::find_by_id(db_, tenant, id);
    if (!row) return not_found(id);
    if (writer_of(actor_) == status_writer::idp)
        if (auto r = admit_writer(tenant, true); !r) return r.error();
    user before = from_row(std::move(*row));
    if (expected_version && *expected_version != before.version)
        return error(error_code::precondition_failed,
                     "the resource was modified (version " + std::to_string(before.version) + ")");
    auto w = change(before);
    if (!w) return w.error();

    user u = before;
    u.resource = std::move(w->resource);
    if (auto r = derive_projections(u, schemas_.users()); !r) return r.error();
    if (auto r = check_unique_user_name(db_, u); !r) return r.error();
    if (w->roles) {
        u.roles = distinct(std::move(*w->roles));
        if (auto r = role_rules::check_assignment(db_, tenant, before.roles, u.roles); !r) return r.error();
    }
    if (w->source_anchor != before.source_anchor || w->source != before.source) {
        // Re-anchoring is an explicit adoption (sync match_existing); keep the anchor unique per source.
        if (w->source_anchor && users::find_by_anchor(db_, tenant, w->source, *w->source_anchor))
            return error(error_code::uniqueness, "a user with this source anchor already exists");
        u.source = w->source;
        u.source_anchor = w->source_anchor;
    }
    if (w->orphan_since) u.orphan_since = *w->orphan_since;
    // A new hash always differs (fresh salt); clearing changes something only when one is stored.
    const bool password_changes =
        w->password_hash && (w->password_hash->has_value() || store::user_password::get(db_, tenant, id));

    user_status wanted = before.status;
    if (w->status)
        wanted = *w->status;
    else if (!u.active)
        wanted = user_status::disabled;
    else if (before.status == user_status::disabled)
        wanted = before.registered ? user_status::active : user_status::provisioned;
    // A move this writer may not make leaves the status as it was (an IdP's active: true does not bring
    // back a disconnected user); the rest of the change applies.
    if (!may_move(writer_of(actor_), before.status, wanted)) wanted = before.status;
    u.status =
        wanted == before.status ? wanted : seats::admit(db_, tenant, wanted, consumes_seat(before.status));
    mirror_active(u);

    if (u.resource == before.resource && u.roles == before.roles && u.status == before.status &&
        u.source == before.source && u.source_anchor == before.source_anchor &&
        u.orphan_since == before.orphan_since && !password_changes)
        return before;  // nothing changed: no new version, no audit event

    u.last_modified = common::now();
    if (u.last_modified < before.last_modified) u.last_modified = before.last_modified;
    u.version = before.version + 1;
    if (u.status != before.status) u.status_since = u.last_modified;
    auto updated = to_row(u);
    if (auto r = check_size("user", updated.resource_json); !r) return r.error();
    if (auto r = role_rules::check_keeps_admin(db_, before, &u); !r) return r.error();
    users::update(db_, updated);
    json changed = changed_attributes(before.resource, u.resource);
    if (password_changes) {
        store::user_password::set(db_, tenant, id, *w->password_hash);
        changed.push_back("password");  // the name only: the hash stays in its column
    }
    json summary{{"before", audit_view(before)}, {"after", audit_view(u)}};
    if (u.roles != before.roles) {
        changed.push_back("roles");
        summary["roles"] = roles_change(before.roles, u.roles);
    }
    summary["changed"] = std::move(changed);
    audit(db_, actor_, u, "user.update", summary);
    if (seats::account(db_, tenant, before.status, u.status)) grant_free_seats(tenant);
    return u;
}

result<void> tenant_directory::batch::delete_user(std::string_view tenant, std::string_view id,
                                                  std::optional<std::int64_t> expected_version) {
    auto row = users::find_by_id(db_, tenant, id);
    if (!row) return not_found(id);
    if (writer_of(actor_) == status_writer::idp)
        if (auto r = admit_writer(tenant, true); !r) return r.error();
    user before = from_row(std::move(*row));
    if (expected_version && *expected_version != before.version)
        return error(error_code::precondition_failed,
                     "the resource was modified (version " + std::to_string(before.version) + ")");
    if (auto r = role_rules::check_keeps_admin(db_, before, nullptr); !r) return r.error();
    before.last_modified = common::now();
    drop_memberships(db_, actor_, tenant, id, before.last_modified);
    users::remove(db_, tenant, id);
    // An invitee's record gone: so is the invitation (its code stops working).
    if (before.status == user_status::pending_invite)
        store::invitation_table::end(db_, tenant, id, "revoked", common::to_epoch_ms(before.last_modified));
    audit(db_, actor_, before, "user.delete", json{{"before", audit_view(before)}});
    if (seats::account(db_, tenant, before.status, std::nullopt)) grant_free_seats(tenant);
    return {};
}

result<void> tenant_directory::batch::step(const std::function<result<void>(batch&)>& fn) {
    store::savepoint sp(db_);
    try {
        auto r = fn(*this);
        if (r) sp.release();
        return r;
    } catch (const store::database_error& e) {
        if (!e.is_constraint()) throw;
        return error(error_code::uniqueness, "the change conflicts with another record");
    }
}

result<void> tenant_directory::in_batch(const actor& who, const std::function<result<void>(batch&)>& fn) {
    return db_.write([&](store::connection& db) -> result<void> {
        batch b(db, who, *this);
        return fn(b);
    });
}

result<user> tenant_directory::create_user(const actor& who, std::string_view tenant, user_write w) {
    return db_.write([&](store::connection& db) {
        auto u = batch(db, who, *this).create_user(tenant, std::move(w));
        if (u) u->groups.emplace();  // a new user is in no group
        return u;
    });
}

result<user> tenant_directory::modify_user(const actor& who, std::string_view tenant, std::string_view id,
                                           const std::function<result<user_write>(const user&)>& change,
                                           std::optional<std::int64_t> expected_version) {
    return db_.write([&](store::connection& db) {
        auto u = batch(db, who, *this).modify_user(tenant, id, change, expected_version);
        if (u) load_user_groups(db, tenant, std::span(&*u, 1));
        return u;
    });
}

result<void> tenant_directory::delete_user(const actor& who, std::string_view tenant, std::string_view id,
                                           std::optional<std::int64_t> expected_version) {
    return db_.write([&](store::connection& db) {
        return batch(db, who, *this).delete_user(tenant, id, expected_version);
    });
}

namespace {

std::string_view verb_of(status_request r) {
    switch (r) {
        case status_request::enable:
            return "enable";
        case status_request::disable:
            return "disable";
        case status_request::disconnect:
            return "disconnect";
        case status_request::reconnect:
            return "reconnect";
        case status_request::register_person:
            return "register";
    }
    return "change";
}

/// The status `request` asks for a user now in `from`, and who asks it.
std::pair<user_status, status_writer> target_of(status_request request, const user& u) {
    const user_status back = u.registered ? user_status::active : user_status::provisioned;
    switch (request) {
        case status_request::enable:
        case status_request::reconnect:
            return {back, status_writer::admin};
        case status_request::disable:
            return {user_status::disabled, status_writer::admin};
        case status_request::disconnect:
            return {user_status::disconnected, status_writer::admin};
        case status_request::register_person:
            return {user_status::active, status_writer::registration};
    }
    return {u.status, status_writer::admin};
}

}  // namespace

result<user> tenant_directory::change_status(const actor& who, std::string_view tenant, std::string_view id,
                                             status_request request) {
    return db_.write([&](store::connection& db) -> result<user> {
        auto u = batch(db, who, *this).change_status(tenant, id, request);
        if (u) load_user_groups(db, tenant, std::span(&*u, 1));
        return u;
    });
}

result<user> tenant_directory::batch::change_status(std::string_view tenant, std::string_view id,
                                                    status_request request) {
    auto& db = db_;
    const actor& who = actor_;
    {
        auto row = users::find_by_id(db, tenant, id);
        if (!row) return not_found(id);
        user before = from_row(std::move(*row));
        auto [wanted, writer] = target_of(request, before);
        const bool reconnecting = request == status_request::reconnect;
        if ((request == status_request::enable && before.status != user_status::disabled) ||
            (reconnecting && before.status != user_status::disconnected) ||
            !may_move(writer, before.status, wanted))
            return error(error_code::conflict, "cannot " + std::string(verb_of(request)) + " a user who is " +
                                                   std::string(to_string(before.status)));
        user u = before;
        const auto now = std::max(common::now(), before.last_modified);
        if (request == status_request::register_person) u.registered = now;
        u.status =
            wanted == before.status ? wanted : seats::admit(db, tenant, wanted, consumes_seat(before.status));
        if (u.status == before.status && u.registered == before.registered) return before;
        mirror_active(u);
        json changed = json::array();
        if (u.status != before.status) changed.push_back("status");
        if (u.registered != before.registered) changed.push_back("registered");
        if (u.status == user_status::disconnected) {
            if (!u.roles.empty()) changed.push_back("roles");
            u.roles.clear();
        }
        if (auto r = role_rules::check_keeps_admin(db, before, &u); !r) return r.error();
        if (u.status == user_status::disconnected) drop_memberships(db, who, tenant, id, now);
        // An invitee registered (through the admin API rather than with the code) or disconnected: the
        // invitation ends with it.
        if (before.status == user_status::pending_invite)
            store::invitation_table::end(db, tenant, id,
                                         request == status_request::register_person ? "accepted" : "revoked",
                                         common::to_epoch_ms(now));
        u.last_modified = now;
        if (u.status != before.status) u.status_since = now;
        u.version = before.version + 1;
        users::update(db, to_row(u));
        json summary{{"before", audit_view(before)}, {"after", audit_view(u)}, {"changed", changed}};
        if (u.roles != before.roles) summary["roles"] = roles_change(before.roles, u.roles);
        record_audit(db, who, tenant, "User", id, now, "user." + std::string(verb_of(request)), summary);
        if (seats::account(db, tenant, before.status, u.status)) grant_free_seats(tenant);
        return u;
    }
}

result<user> tenant_directory::get_user(std::string_view tenant, std::string_view id) const {
    auto u = db_.read([&](store::connection& db) -> std::optional<user> {
        store::read_snapshot snapshot(db);  // the user and its groups as of one moment, one read lock
        auto row = users::find_by_id(db, tenant, id);
        if (!row) return std::nullopt;
        user found = from_row(std::move(*row));
        load_user_groups(db, tenant, std::span(&found, 1));
        return found;
    });
    if (!u) return not_found(id);
    return std::move(*u);
}

std::int64_t tenant_directory::count_users(std::string_view tenant) const {
    return db_.read([&](store::connection& db) { return users::count(db, tenant); });
}

std::vector<user> tenant_directory::list_users(std::string_view tenant, std::int64_t offset,
                                               std::int64_t limit) const {
    return db_.read([&](store::connection& db) {
        store::read_snapshot snapshot(db);  // the users and their groups as of one moment, one read lock
        auto rows = users::page(db, tenant, offset, limit);
        std::vector<user> out;
        out.reserve(rows.size());
        for (auto& r : rows) out.push_back(from_row(std::move(r)));
        load_user_groups(db, tenant, out);
        return out;
    });
}

namespace {

/// A page cursor: "u" and the last listed user's seq, so a cursor is not mistaken for an id or a count.
std::string cursor_of(std::int64_t seq) { return "u" + std::to_string(seq); }

std::optional<std::int64_t> seq_of_cursor(std::string_view cursor) {
    if (cursor.size() < 2 || cursor.front() != 'u' || cursor.size() > 19) return std::nullopt;  // no overflow
    std::int64_t seq = 0;
    for (char c : cursor.substr(1)) {
        if (c < '0' || c > '9') return std::nullopt;
        seq = seq * 10 + (c - '0');
    }
    return seq;
}

}  // namespace

result<user_page> tenant_directory::query_users(std::string_view tenant, const user_query& q,
                                                std::int64_t limit) const {
    limit = std::max<std::int64_t>(limit, 1);
    users::user_filter f;
    if (q.after) {
        auto seq = seq_of_cursor(*q.after);
        if (!seq)
            return error(error_code::invalid_value, "invalid_cursor",
                         "invalid cursor '" + *q.after + "': pass the `next` of the previous page");
        f.after_seq = *seq;
    }
    if (q.status) f.status = std::string(to_string(*q.status));
    f.role = q.role;
    f.id = q.id;
    f.subject = q.subject;
    if (q.search && !q.search->empty()) f.name_key = common::fold_case(*q.search);
    f.substring = q.substring;
    return db_.read([&](store::connection& db) -> result<user_page> {
        store::read_snapshot snapshot(db);
        if (!tenant_exists(db, tenant)) return error(error_code::unknown_tenant, "unknown tenant");
        // One more than asked tells whether another page follows.
        auto rows = users::query(db, tenant, f, limit + 1);
        user_page page;
        if (static_cast<std::int64_t>(rows.size()) > limit) {
            rows.pop_back();
            page.next = cursor_of(rows.back().seq);
        }
        page.users.reserve(rows.size());
        for (auto& r : rows) page.users.push_back(from_row(std::move(r)));
        load_user_groups(db, tenant, page.users);
        return page;
    });
}

std::vector<user> tenant_directory::find_users(std::string_view tenant, user_index index,
                                               std::string_view value) const {
    return db_.read([&](store::connection& db) {
        // The users and their groups as of one moment; one read lock, not one per statement (on SQLite a
        // read transaction takes and releases a lock on the WAL index: three system calls).
        store::read_snapshot snapshot(db);
        std::vector<store::user_row> rows;
        switch (index) {
            case user_index::id:
                if (auto r = users::find_by_id(db, tenant, value)) rows.push_back(std::move(*r));
                break;
            case user_index::user_name:
                if (auto r = users::find_by_user_name_key(db, tenant, common::fold_case(value)))
                    rows.push_back(std::move(*r));
                break;
            case user_index::external_id:
                rows = users::find_by_external_id(db, tenant, value);
                break;
            case user_index::email:
                rows = users::find_by_email_key(db, tenant, common::fold_case(value));
                break;
        }
        std::vector<user> out;
        out.reserve(rows.size());
        for (auto& r : rows) out.push_back(from_row(std::move(r)));
        load_user_groups(db, tenant, out);
        return out;
    });
}

void tenant_directory::scan_users(std::string_view tenant, const std::function<bool(user&&)>& visit) const {
    constexpr std::size_t chunk_size = 256;  // users whose groups are loaded by one query
    db_.read([&](store::connection& db) {
        std::vector<user> chunk;
        bool more = true;
        auto flush = [&] {
            load_user_groups(db, tenant, chunk);
            for (auto& u : chunk)
                if (more) more = visit(std::move(u));
            chunk.clear();
            return more;
        };
        users::scan(db, tenant, [&](store::user_row&& row) {
            chunk.push_back(from_row(std::move(row)));
            return chunk.size() < chunk_size || flush();
        });
        if (more && !chunk.empty()) flush();
    });
}

namespace {

audit_event event_of(store::audit_table::audit_row&& r) {
    return audit_event{r.seq,
                       common::from_epoch_ms(r.time_ms),
                       std::move(r.actor),
                       std::move(r.acting_user),
                       std::move(r.action),
                       std::move(r.resource_type),
                       std::move(r.resource_id),
                       json::parse(r.summary_json)};
}

}  // namespace

std::vector<audit_event> tenant_directory::audit_log(std::string_view tenant, std::int64_t limit) const {
    return audit_log(tenant, audit_query{}, limit);
}

std::vector<audit_event> tenant_directory::audit_log(std::string_view tenant, const audit_query& q,
                                                     std::int64_t limit) const {
    store::audit_table::audit_filter f;
    f.resource_id = q.resource_id;
    f.actor = q.actor;
    f.action = q.action;
    if (q.since) f.since_ms = common::to_epoch_ms(*q.since);
    if (q.until) f.until_ms = common::to_epoch_ms(*q.until);
    f.before_seq = q.before_seq;
    auto rows =
        db_.read([&](store::connection& db) { return store::audit_table::query(db, tenant, f, limit); });
    std::vector<audit_event> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(event_of(std::move(r)));
    return out;
}

}  // namespace dirsync::directory
