#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/sha256.hpp"
#include "directory/actor.hpp"
#include "directory/error.hpp"
#include "directory/folded_keys.hpp"
#include "directory/group.hpp"
#include "directory/invitations.hpp"
#include "directory/roles.hpp"
#include "directory/tenant_policy.hpp"
#include "directory/user.hpp"
#include "resource/service_schemas.hpp"

namespace dirsync::store {
class connection;
class database;
}  // namespace dirsync::store

namespace dirsync::directory {

template <class T>
using result = boost::system::result<T, error>;

struct tenant {
    std::string id;
    std::string name;
    std::optional<std::uint32_t> seats;  ///< absent = unlimited
    /// The e-mail address of the person who owns the tenant: created as an active admin (userName and
    /// primary e-mail this address) when no user has it as userName or e-mail.
    std::optional<std::string> owner{};
    provisioning_mode provisioning = provisioning_mode::idp;
    invitation_policy invitations{};
    email_policy emails{};
    /// By event name (notices.hpp); an event without one uses the built-in text.
    std::map<std::string, message_template, std::less<>> templates{};
};

/// A tenant with what its seats and statuses look like now.
struct tenant_usage {
    tenant settings;
    std::int64_t seats_used = 0;  ///< users holding a seat (consumes_seat)
    /// How many users are in each status, every status listed (0 where none).
    std::vector<std::pair<user_status, std::int64_t>> by_status;
};

/// A status change an administrator (or the product, for `register_person`) asks for by name.
enum class status_request {
    enable,           ///< disabled -> active if the person registered before, else provisioned
    disable,          ///< -> disabled
    disconnect,       ///< -> disconnected: roles and group memberships removed, the record kept
    reconnect,        ///< disconnected -> active if registered before, else provisioned
    register_person,  ///< provisioned or pending_invite -> active: the person signed in for the first time
};

/// What a writer supplies for a user; the directory derives everything else (id, projections, timestamps,
/// version) and decides the status.
struct user_write {
    nlohmann::json resource = nlohmann::json::object();  ///< canonical SCIM resource, without id and meta
    std::optional<std::vector<std::string>> roles;       ///< nullopt: none on create, unchanged on replace
    std::string source = "scim";
    std::optional<std::string> source_anchor;
    /// Explicit status (admin, sync). Absent: derived from `resource.active` (see directory).
    std::optional<user_status> status;
    /// Since when its sync source no longer has the record. Absent: none on create, unchanged on replace;
    /// present: the new value (an empty inner optional clears it).
    std::optional<std::optional<common::timestamp>> orphan_since;
    /// The PHC-form hash of a new password (common::hash_password, computed by the caller before the write
    /// so the writer is not held while hashing). Absent: unchanged (none on create); present: the new hash
    /// (an empty inner optional clears it). Never read back into `user`, never audited but by name.
    std::optional<std::optional<std::string>> password_hash;
    /// On create only, for a relocation: the id the record keeps (it must be free in the tenant) and when the
    /// person registered. Absent: a new UUID, never registered.
    std::optional<std::string> id{};
    std::optional<common::timestamp> registered{};
};

/// A user record as a sync run compares it: the state a reconcile reads, without projections or groups, so
/// that reading a source's 100k records stays cheap. `resource_json` is the resource as stored: canonical
/// JSON text (nlohmann's dump: object keys sorted, no whitespace, `active` included), so an unchanged record
/// is recognised by comparing text, without parsing it. A scan for a full run may carry only the text's
/// SHA-256 (`resource_digest`, `resource_json` empty): a third of a brief's memory, and the text of the few
/// records that changed is read afterwards (stored_user_resources).
struct user_brief {
    std::string id;
    std::string user_name;
    std::string source;
    std::optional<std::string> source_anchor;
    user_status status = user_status::provisioned;
    std::vector<std::string> roles;
    std::optional<common::timestamp> orphan_since;
    std::int64_t version = 0;
    std::string resource_json;
    std::optional<common::sha256_digest> resource_digest;  ///< set, instead of resource_json, by digest scans
};

/// What a brief carries of the stored resource: its text, or only the text's SHA-256.
enum class brief_resource { text, digest };

/// A group record as a sync run compares it, with its members. `resource_json` as for user_brief (without
/// members).
struct group_brief {
    std::string id;
    std::string display_name;
    std::string source;
    std::optional<std::string> source_anchor;
    std::int64_t version = 0;
    std::string resource_json;
    std::vector<group_member> members;  ///< by id; `display` is not read
};

/// An attribute with an index, for `find_users`.
enum class user_index { id, user_name, external_id, email };

struct audit_event {
    std::int64_t seq = 0;
    common::timestamp time{};
    std::string actor;
    std::optional<std::string> acting_user;
    std::string action;
    std::string resource_type;
    std::string resource_id;
    nlohmann::json summary;
};

/// A message of the outbox as administrators see it: everything but its body.
struct outbox_message {
    std::int64_t id = 0;
    std::string tenant_id;
    std::string event;
    std::string channel;  ///< "email" or "webhook"
    std::optional<std::string> recipient;
    std::optional<std::string> subject;
    std::string state;  ///< pending, delivered, failed
    std::int64_t attempts = 0;
    std::optional<common::timestamp> next_attempt;  ///< pending only
    std::optional<std::string> last_error;
    common::timestamp created{};
    std::optional<common::timestamp> done;
};

/// A request to move a person's record between tenants, and where it stands. `state` is requested, completed
/// or cancelled; a request past its expiry reads as cancelled with cancel_reason "expired".
struct relocation {
    std::int64_t id = 0;
    std::string user_id;
    std::string from_tenant;
    std::string to_tenant;
    std::string reason;
    std::vector<std::string> roles;  ///< the person's roles in the destination
    std::string requested_by;
    std::optional<std::string> requester_user;
    std::string state;
    std::optional<std::string> cancel_reason;  ///< refused, unanswered, expired, withdrawn
    std::int64_t attempts = 1;                 ///< authorisation requests sent
    common::timestamp created{};
    common::timestamp asked{};
    common::timestamp expires{};
    std::optional<common::timestamp> ended;
    std::optional<std::string> decided_by;
};

struct relocation_request {
    std::string from_tenant;
    std::string user_id;
    std::string to_tenant;
    std::string reason;
    std::vector<std::string> roles{};
    std::chrono::milliseconds expire_after{std::chrono::hours(24 * 7)};
};

/// A person's record in one tenant.
struct membership {
    std::string tenant_id;
    std::string tenant_name;
    user record;
};

/// What leaving a tenant did: the disconnected record and the person's live memberships elsewhere.
struct departure {
    user record;
    std::vector<membership> elsewhere;
};

/// Which users a tenant's administrators list; every given condition must hold.
struct user_query {
    std::optional<user_status> status{};
    std::optional<std::string> role{};
    /// Name or e-mail, case-insensitively: userName, displayName, givenName, familyName or an e-mail
    /// starting with it, or containing it with `substring`. Prefix searches are answered from indexes; a
    /// substring search reads the tenant's records from the cursor until the page is full.
    std::optional<std::string> search{};
    bool substring = false;
    std::optional<std::string> id{};       ///< exactly this user id
    std::optional<std::string> subject{};  ///< exactly this IdP subject: the source anchor or externalId
    std::optional<std::string> after{};    ///< the cursor a previous page returned
};

/// A page of users in stable list order and the cursor of the next one (nullopt: no more).
struct user_page {
    std::vector<user> users;
    std::optional<std::string> next;
};

/// Which audit events to read; every given condition must hold.
struct audit_query {
    std::optional<std::string> resource_id{};  ///< about this user, group or role
    std::optional<std::string> actor{};        ///< by this actor ("admin:3f2a9c1e") or acting user id
    std::optional<std::string> action{};       ///< "user.update", or a prefix ending in '.': "user."
    std::optional<common::timestamp> since{};  ///< at or after
    std::optional<common::timestamp> until{};  ///< before
    std::optional<std::int64_t> before_seq{};  ///< older than this event (the next page's cursor)
};

/// The one write path for tenant records. Every change is validated here (the resource against the served
/// schemas, then the rules below) and recorded in the audit log in the
/// same transaction; every query is scoped to one tenant, and a record of another tenant is `not_found`.
///
/// Rules enforced:
/// - userName is required and unique per tenant case-insensitively (common::fold_case); its case is kept.
/// - status: an explicit status is taken as given; otherwise `active: false` gives `disabled`, a new user
/// gives
///   `provisioned`, and re-activating a disabled user gives `provisioned`; other statuses are kept.
/// - seat limit: a record that would enter a seat-consuming status (consumes_seat) while the tenant's seats
/// are
///   all used gets `requested` instead.
/// - `resource.active` mirrors the status: false exactly when the status is `disabled` or `disconnected`.
/// - a writer makes only the status moves that are its to make (status_transitions.hpp); another move it asks
///   for leaves the status as it was, and the rest of its change applies.
/// - seats: a freed seat goes to the longest-waiting `requested` user in the same transaction (seats.hpp).
/// - roles: an assigned role must be in the tenant's catalogue (built-in or created), `service_account` never
///   goes with `admin`, and the tenant's last active admin is never deleted, disabled, disconnected or
///   demoted, whoever asks (roles.hpp).
/// - version increments on each change; `expected_version` mismatches are `precondition_failed`.
///
/// Groups:
/// - displayName is required; it is NOT unique (RFC 7643 does not ask it, and IdPs find groups by filtering
/// on
///   it), but indexed case-insensitively for `find_groups`.
/// - members are users or groups of the same tenant: an unknown id, another tenant's id, or a `type` that
///   does not say what the id is, is `invalid_value` and nothing is written. A group cannot contain itself or
///   a group it is nested in (no cycles).
/// - members are stored one row each, apart from the group's resource; a change writes only the members its
///   steps name (remove_all and remove_matching excepted), so its cost does not grow with the group.
/// - a membership change is a change of the group: new version and lastModified. Deleting a user or a group
///   removes it from every group (each such group gets a new version and a `group.members` event).
/// - audit actions: group.create, group.update (resource changed), group.members (added/removed counts and
///   the first few ids), group.delete; a change of both resource and members writes both events.
/// - `user.groups` is computed from the members (direct, and indirect through nesting) on reads.
///
/// Thread-safe: writes are serialized by the store; reads run concurrently.
/// Bounds on what one record may hold, whoever writes it.
struct record_limits {
    /// The largest stored form (the canonical resource as JSON text, without group members, which are stored
    /// apart) of one user or group; larger writes fail with too_large. Big enough for any real identity
    /// (a few KB), small enough that a page of list results cannot be made huge by a few giant records.
    std::size_t max_resource_bytes = 128 * 1024;
};

class tenant_directory {
  public:
    /// `schemas`: what the records are validated against on every write (the schemas the service serves);
    /// never null. `limits`: enforced on every write. Brings the store's folded keys to the current scheme
    /// first when they were made by an older one (folded_keys.hpp).
    explicit tenant_directory(
        store::database& db,
        std::shared_ptr<const resource::service_schemas> schemas = resource::default_service_schemas(),
        record_limits limits = {});

    /// Makes `tenants` the configured ones (at start-up, and again on each configuration reload): creates or
    /// updates each (name, seats, provisioning mode, policies), grants seats a raise frees, and creates each
    /// tenant's owner where absent. A tenant configured before and not now keeps its records in the store,
    /// but find_tenant and usages no longer see it (the admin API answers 404) until it is configured again.
    void configure_tenants(const std::vector<tenant>& tenants);
    /// Replaces the schemas records are validated against (a reload changed `schemas:`); writes already
    /// under way finish with the ones they started with. Never null.
    void set_schemas(std::shared_ptr<const resource::service_schemas> schemas);
    /// The configured tenant `id` with its stored name and seats; nullopt when it is not configured (even
    /// when the store still holds it).
    std::optional<tenant> find_tenant(std::string_view id) const;
    /// The tenant's seats in use and users by status, from one snapshot; nullopt for an unknown tenant.
    std::optional<tenant_usage> usage(std::string_view id) const;
    /// Every configured tenant's usage, by id.
    std::vector<tenant_usage> usages() const;

    /// Mutations for use inside one transaction (see `in_batch`).
    class batch {
      public:
        result<user> create_user(std::string_view tenant, user_write w);
        /// Reads the record, calls `change(current)` for the new content, and replaces it, atomically.
        result<user> modify_user(std::string_view tenant, std::string_view id,
                                 const std::function<result<user_write>(const user&)>& change,
                                 std::optional<std::int64_t> expected_version = std::nullopt);
        result<void> delete_user(std::string_view tenant, std::string_view id,
                                 std::optional<std::int64_t> expected_version = std::nullopt);

        /// Creates a group with its members. The result carries the members as stored.
        result<group> create_group(std::string_view tenant, group_write w);
        /// Reads the group without its members, calls `change(current)` for the new resource and membership
        /// steps, and writes both, atomically. The result carries no members.
        result<group> modify_group(std::string_view tenant, std::string_view id,
                                   const std::function<result<group_change>(const group&)>& change,
                                   std::optional<std::int64_t> expected_version = std::nullopt);
        /// Deletes the group with its members, and removes it from the groups it is a member of.
        result<void> delete_group(std::string_view tenant, std::string_view id,
                                  std::optional<std::int64_t> expected_version = std::nullopt);

        /// Runs `fn` as one step of the batch: when it returns an error, or a write breaks a store
        /// constraint (reported as `uniqueness`), the writes it made are undone and the batch goes on with
        /// its other steps. For runs that count a failed record and continue (sync apply).
        result<void> step(const std::function<result<void>(batch&)>& fn);

        /// As tenant_directory::change_status, inside the batch.
        result<user> change_status(std::string_view tenant, std::string_view id, status_request request);

      private:
        friend class tenant_directory;
        batch(store::connection& db, const actor& who, const tenant_directory& dir)
            : db_(db),
              actor_(who),
              dir_(dir),
              schemas_held_(dir.schemas()),
              schemas_(*schemas_held_),
              limits_(dir.limits_) {}
        /// too_large when `resource_json`, the stored form of a `what` ("user", "group"), is over the limit.
        result<void> check_size(std::string_view what, const std::string& resource_json) const;
        /// The tenant's provisioning rules for this writer: an identity provider (SCIM token) may not write
        /// the users of a tenant in invite mode (forbidden, reason "provisioning_invite"); its first write
        /// (or a sync run's, see note_source_run) after a switch to idp marks the provider active
        /// (invitations close). unknown_tenant when absent. Creates always ask; changes and deletes only
        /// for an IdP (a sync source never feeds an invite tenant).
        result<void> admit_writer(std::string_view tenant, bool writes_users);
        /// Gives free seats to the longest-waiting requested users (seats::grant_free), telling each.
        std::size_t grant_free_seats(std::string_view tenant);
        /// The business-email policy for an administrator's new user: its e-mails (and a userName that is an
        /// address) not at a consumer domain, and not used by a registered user of the tenant.
        result<void> check_admin_addresses(const user& u) const;
        store::connection& db_;
        const actor& actor_;
        const tenant_directory& dir_;
        std::shared_ptr<const resource::service_schemas> schemas_held_;  ///< as at the batch's start
        const resource::service_schemas& schemas_;
        const record_limits& limits_;
    };

    /// Runs `fn` with a batch in ONE write transaction: all its changes commit together, or none when fn
    /// returns an error (or throws). For sync runs and bulk loads.
    result<void> in_batch(const actor& who, const std::function<result<void>(batch&)>& fn);

    result<user> create_user(const actor& who, std::string_view tenant, user_write w);
    result<user> modify_user(const actor& who, std::string_view tenant, std::string_view id,
                             const std::function<result<user_write>(const user&)>& change,
                             std::optional<std::int64_t> expected_version = std::nullopt);
    result<void> delete_user(const actor& who, std::string_view tenant, std::string_view id,
                             std::optional<std::int64_t> expected_version = std::nullopt);
    /// Applies `request` to the user by the rules of status_transitions.hpp (as an administrator, or as the
    /// registration for register_person) and the seat rules (a move into a seat-holding status over the
    /// limit lands in `requested`). A move the rules do not allow from the current status is `conflict`,
    /// naming both; asking for the status the user already has changes nothing.
    result<user> change_status(const actor& who, std::string_view tenant, std::string_view id,
                               status_request request);

    result<user> get_user(std::string_view tenant, std::string_view id) const;
    std::int64_t count_users(std::string_view tenant) const;
    /// Users in stable list order (creation order), skipping `offset`, at most `limit`.
    std::vector<user> list_users(std::string_view tenant, std::int64_t offset, std::int64_t limit) const;
    /// Users whose indexed attribute equals `value` (userName and email case-insensitively; id and
    /// externalId exactly), in list order. Answered from an index.
    std::vector<user> find_users(std::string_view tenant, user_index index, std::string_view value) const;
    /// At most `limit` users matching `query`, from its cursor on. A cursor that is not one this function
    /// returned is invalid_value (reason "invalid_cursor"); an unknown tenant is unknown_tenant.
    result<user_page> query_users(std::string_view tenant, const user_query& query, std::int64_t limit) const;
    /// Visits every user of the tenant in list order until `visit` returns false.
    void scan_users(std::string_view tenant, const std::function<bool(user&&)>& visit) const;

    result<group> create_group(const actor& who, std::string_view tenant, group_write w);
    /// As batch::modify_group; `with_members` loads the members of the result in the same transaction.
    result<group> modify_group(const actor& who, std::string_view tenant, std::string_view id,
                               const std::function<result<group_change>(const group&)>& change,
                               std::optional<std::int64_t> expected_version = std::nullopt,
                               bool with_members = false);
    result<void> delete_group(const actor& who, std::string_view tenant, std::string_view id,
                              std::optional<std::int64_t> expected_version = std::nullopt);

    /// Group reads. Without `with_members` the members are not read at all (`members` stays nullopt).
    result<group> get_group(std::string_view tenant, std::string_view id, bool with_members = true) const;
    std::int64_t count_groups(std::string_view tenant) const;
    /// Groups in stable list order (creation order), skipping `offset`, at most `limit`.
    std::vector<group> list_groups(std::string_view tenant, std::int64_t offset, std::int64_t limit,
                                   bool with_members = true) const;
    /// Groups whose indexed attribute equals `value` (displayName case-insensitively; id and externalId
    /// exactly), in list order. Answered from an index.
    std::vector<group> find_groups(std::string_view tenant, group_index index, std::string_view value,
                                   bool with_members = true) const;
    /// Visits every group of the tenant in list order until `visit` returns false.
    void scan_groups(std::string_view tenant, const std::function<bool(group&&)>& visit,
                     bool with_members = true) const;

    /// Reads for sync runs. The users a sync source owns in a tenant (their `source` is `source`), in list
    /// order, read from one consistent snapshot through the (tenant, source) index, until `visit` returns
    /// false. Records of other sources and tenants are never visited.
    void scan_source_users(std::string_view tenant, std::string_view source,
                           const std::function<bool(user_brief&&)>& visit,
                           brief_resource resource = brief_resource::text) const;
    /// The stored resource text of the tenant's users with these ids, by id (ids of no user of the tenant
    /// are absent), read from one snapshot.
    std::unordered_map<std::string, std::string> stored_user_resources(
        std::string_view tenant, std::span<const std::string> ids) const;
    /// How many users the sync source owns in the tenant.
    std::size_t count_source_users(std::string_view tenant, std::string_view source) const;
    /// The user `source` anchored as `anchor`, if any.
    std::optional<user_brief> find_user_by_anchor(std::string_view tenant, std::string_view source,
                                                  std::string_view anchor) const;
    /// As find_users, as briefs (candidates a sync may adopt by `match_existing`).
    std::vector<user_brief> find_user_briefs(std::string_view tenant, user_index index,
                                             std::string_view value) const;
    /// The groups a sync source anchored in a tenant, in list order, with their members, from one consistent
    /// snapshot, until `visit` returns false.
    void scan_source_groups(std::string_view tenant, std::string_view source,
                            const std::function<bool(group_brief&&)>& visit) const;
    /// The group `source` anchored as `anchor`, with its members, if any.
    std::optional<group_brief> find_group_by_anchor(std::string_view tenant, std::string_view source,
                                                    std::string_view anchor) const;

    /// The newest audit events of a tenant, newest first.
    std::vector<audit_event> audit_log(std::string_view tenant, std::int64_t limit) const;
    /// At most `limit` audit events of a tenant matching `filter`, newest first (see audit_table::query).
    std::vector<audit_event> audit_log(std::string_view tenant, const audit_query& filter,
                                       std::int64_t limit) const;

    // The role catalogue (directory_roles.cpp). Role changes are audited as role.create, role.update,
    // role.delete; assignments as user.update naming the roles before and after.

    /// The built-in roles, then the tenant's custom roles by name, each with how many users hold it;
    /// unknown_tenant for an unknown tenant.
    result<std::vector<role_info>> roles(std::string_view tenant) const;
    /// A new custom role. invalid_value for a bad name (role names as sync rules grant them), uniqueness
    /// (reason "role_exists") when the tenant has the name already, built-in included.
    result<role_info> create_role(const actor& who, std::string_view tenant, std::string_view name,
                                  std::string_view description);
    /// A custom role's new description; not_found for an unknown role, conflict (reason "builtin_role")
    /// for a built-in one.
    result<role_info> describe_role(const actor& who, std::string_view tenant, std::string_view name,
                                    std::string_view description);
    /// What deleting a role took it from.
    struct role_deletion {
        std::int64_t users = 0;        ///< users (not invitees) who held it
        std::int64_t invitations = 0;  ///< open invitations that carried it
    };
    /// Deletes a custom role. While users hold it: conflict (reason "role_in_use", saying how many) unless
    /// `force`, which first removes it from each of them. Open invitations never stop it: it is removed from
    /// them (their pending users included) and the tenant's admins are notified. Built-in roles cannot be
    /// deleted (conflict, reason "builtin_role").
    result<role_deletion> delete_role(const actor& who, std::string_view tenant, std::string_view name,
                                      bool force);
    /// Gives the user `role` (which must be in the catalogue; holding it already changes nothing).
    result<user> assign_role(const actor& who, std::string_view tenant, std::string_view id,
                             std::string_view role);
    /// Takes `role` from the user (not holding it changes nothing); the last-admin rule applies.
    result<user> remove_role(const actor& who, std::string_view tenant, std::string_view id,
                             std::string_view role);

    /// The outbox channels that exist (from the `notifications:` configuration); without any, notices are
    /// not queued. Thread-safe.
    void configure_notifications(notification_channels channels);

    // Invitations (directory_invitations.cpp). An invitation creates the invitee's user in `pending_invite`
    // (no seat held, source "invitation") and queues the invitation message with the code; the code's hash
    // is all that is stored. Audited as invitation.create, invitation.resend, invitation.revoke,
    // invitation.accept; rate-limited per inviter (the acting user, else the actor) per rolling day, the
    // count kept in the store.

    /// Invites each address of `request` (after split_addresses): one outcome per address, in order; a
    /// refused address never stops the others. forbidden (reason "provisioning_idp") when the tenant takes
    /// its users from its identity provider; unknown_tenant.
    result<std::vector<invite_outcome>> invite(const actor& who, std::string_view tenant,
                                               const invite_request& request);
    /// At most `limit` invitations passing `filter`, from the cursor `after` (as returned in `next`).
    result<invitation_page> invitations(std::string_view tenant, invitation_filter filter,
                                        const std::optional<std::string>& after, std::int64_t limit) const;
    result<invitation> get_invitation(std::string_view tenant, std::string_view id) const;
    /// A new code and expiry for a pending (or expired) invitation; the old code stops working. Counts
    /// against the rate limit (rate_limited with retry_after); conflict (reason "invitation_ended") when it
    /// was accepted or revoked.
    result<invite_outcome> resend_invitation(const actor& who, std::string_view tenant, std::string_view id);
    /// Revokes a pending (or expired) invitation: its code stops working and the pending user is deleted.
    result<invitation> revoke_invitation(const actor& who, std::string_view tenant, std::string_view id);
    /// The invitee registers: a valid code makes the user `active` (`requested` without a free seat) with
    /// the given names, records the registration and notifies the inviter. Refusals change nothing: not_found
    /// (reason "invite_code_unknown", also for a code of another tenant than `tenant_scope`), gone
    /// ("invite_expired", "invite_revoked", "invite_code_replaced"), conflict ("invite_used"), invalid_value
    /// ("account_name_mismatch", "invalid_name").
    result<user> accept_invitation(const acceptance& a, std::optional<std::string_view> tenant_scope);
    // The outbox (directory_outbox.cpp): what notices wait, went out or failed. Bodies are never read back
    // (an invitation's holds its code).

    /// At most `limit` messages of the tenant in `state` ("pending", "delivered", "failed"; empty: all),
    /// newest first, older than `before` when given. invalid_value for another state.
    result<std::vector<outbox_message>> outbox(std::string_view tenant, std::string_view state,
                                               std::optional<std::int64_t> before, std::int64_t limit) const;
    /// A failed message of the tenant pending again now, its attempts reset (audited as
    /// notification.retry); not_found unless it is failed.
    result<outbox_message> retry_message(const actor& who, std::string_view tenant, std::int64_t id);

    // People across tenants (directory_people.cpp). The records stay separate per tenant; a person is found
    // in each by their address (userName or an e-mail, case-insensitively).

    /// The person's records in every tenant, tenant by tenant (disconnected ones included).
    std::vector<membership> memberships_of(std::string_view email) const;
    /// The person leaves the tenant (for the product, on their behalf): the record is disconnected (roles
    /// and group memberships removed, kept for the audit), the tenant's admins are notified (audited as
    /// user.leave). Other tenants are untouched; the answer lists the person's other live memberships (none:
    /// the person is left without a tenant). The last-admin rule applies; leaving twice is conflict (reason
    /// "already_left").
    result<departure> leave_tenant(const actor& who, std::string_view tenant, std::string_view id);

    // Relocations (directory_relocations.cpp): moving a person's record from one tenant to another, asked
    // by an operator, authorised by an active admin of the destination who is not the requester, carried out
    // in one transaction. Audited in both tenants (relocation.request, relocation.remind, relocation.refuse,
    // relocation.withdraw, user.relocate).

    /// A new request; the destination's admins are asked to authorise it. invalid_value for an empty reason,
    /// the same tenant twice or a role the destination lacks; not_found for an unknown user; conflict
    /// (reason "relocation_open") when the user has an open request already.
    result<relocation> request_relocation(const actor& who, const relocation_request& request);
    result<relocation> get_relocation(std::int64_t id) const;
    /// Requests involving `tenant` (all when empty) in `state` (requested, completed, cancelled; all when
    /// empty), newest first, older than `before` when given.
    result<std::vector<relocation>> relocations(std::string_view tenant, std::string_view state,
                                                std::optional<std::int64_t> before, std::int64_t limit) const;
    /// Asks the destination's admins again. After the third request went unanswered, the relocation is
    /// cancelled instead (cancel_reason "unanswered").
    result<relocation> remind_relocation(const actor& who, std::int64_t id);
    /// The destination's decision, made by `who.acting_user` (already checked to be an active admin of the
    /// destination): forbidden (reason "requester_cannot_authorise") when that is the requester; gone
    /// ("relocation_expired") past its expiry; conflict ("relocation_ended") when no longer requested.
    /// Authorising carries it out atomically: the record leaves the source (roles and group memberships
    /// there gone, the last-admin rule applies) and arrives in the destination with the same id, its
    /// registration, password and history, the requested roles, and a seat if one is free.
    result<relocation> decide_relocation(const actor& who, std::int64_t id, bool authorise);
    /// The requester withdraws it (cancel_reason "withdrawn").
    result<relocation> withdraw_relocation(const actor& who, std::int64_t id);

    /// Records a successful run of a tenant's sync source: after a switch from invite to idp, the identity
    /// provider counts as active from then on.
    void note_source_run(const actor& who, std::string_view tenant);

    /// The userName collisions found when this directory recomputed the store's folded keys at open (also
    /// logged); empty when the keys were current.
    const std::vector<key_collision>& key_collisions_at_open() const noexcept { return key_collisions_; }

  private:
    /// The configured tenant's settings (policies, templates); nullopt for a tenant not configured.
    std::optional<tenant> policy_of(std::string_view id) const;
    /// Whether `id` is configured now (policy_of without the copy).
    bool configured(std::string_view id) const;
    notification_channels channels() const;
    std::shared_ptr<const resource::service_schemas> schemas() const;

    store::database& db_;
    std::vector<key_collision> key_collisions_;
    mutable std::mutex config_mutex_;
    std::map<std::string, tenant, std::less<>> configured_;
    notification_channels channels_;
    std::shared_ptr<const resource::service_schemas> schemas_;
    record_limits limits_;
};

}  // namespace dirsync::directory
