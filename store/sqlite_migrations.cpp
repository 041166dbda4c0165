#include "store/migrations.hpp"

namespace dirsync::store {

const std::vector<std::string>& sqlite_migrations() {
    static const std::vector<std::string> steps = {
        // 1: tenants, users with their index projections, e-mail index, audit log.
        R"sql(
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    seats       INTEGER,
    created_ms  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    seq            INTEGER PRIMARY KEY,          -- insertion order: the stable order of list pages
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    id             TEXT NOT NULL,                -- server-assigned UUID
    user_name      TEXT NOT NULL,                -- as sent, case kept
    user_name_key  TEXT NOT NULL,                -- case-folded, unique per tenant
    external_id    TEXT,
    display_name   TEXT,
    given_name     TEXT,
    family_name    TEXT,
    active         INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN
                       ('active','disabled','provisioned','pending_invite','orphan','requested')),
    roles          TEXT NOT NULL DEFAULT '[]',   -- JSON array of role names
    source         TEXT NOT NULL,                -- 'scim', 'admin', or a sync source name
    source_anchor  TEXT,                         -- immutable id of the record in its source
    created_ms     INTEGER NOT NULL,
    modified_ms    INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    resource       TEXT NOT NULL                 -- the full SCIM resource JSON (without id and meta)
);
CREATE UNIQUE INDEX users_by_id ON users(tenant_id, id);
CREATE UNIQUE INDEX users_by_user_name ON users(tenant_id, user_name_key);
CREATE INDEX users_by_external_id ON users(tenant_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX users_by_anchor ON users(tenant_id, source, source_anchor) WHERE source_anchor IS NOT NULL;
CREATE INDEX users_by_status ON users(tenant_id, status);

CREATE TABLE user_emails (
    user_seq   INTEGER NOT NULL REFERENCES users(seq) ON DELETE CASCADE,
    tenant_id  TEXT NOT NULL,
    value_key  TEXT NOT NULL                     -- case-folded e-mail address
);
CREATE INDEX user_emails_by_value ON user_emails(tenant_id, value_key);
CREATE INDEX user_emails_by_user ON user_emails(user_seq);

CREATE TABLE audit_events (
    seq            INTEGER PRIMARY KEY,
    tenant_id      TEXT NOT NULL,
    time_ms        INTEGER NOT NULL,
    actor          TEXT NOT NULL,                -- e.g. 'scim-token:3f2a…' (digest prefix), 'source:corp-ldap'
    action         TEXT NOT NULL,                -- e.g. 'user.create'
    resource_type  TEXT NOT NULL,
    resource_id    TEXT NOT NULL,
    summary        TEXT NOT NULL                 -- JSON: before/after of the changed fields
);
CREATE INDEX audit_events_by_tenant ON audit_events(tenant_id, seq);
)sql",
        // 2: groups and their members. Members live in their own table, never in the group's JSON, so that a
        // membership change touches only its rows however large the group is.
        R"sql(
CREATE TABLE groups (
    seq               INTEGER PRIMARY KEY,       -- insertion order: the stable order of list pages
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    id                TEXT NOT NULL,             -- server-assigned UUID
    display_name      TEXT NOT NULL,             -- as sent, case kept
    display_name_key  TEXT NOT NULL,             -- case-folded; indexed, NOT unique (RFC 7643 does not ask it)
    external_id       TEXT,
    created_ms        INTEGER NOT NULL,
    modified_ms       INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    resource          TEXT NOT NULL              -- the SCIM resource JSON without id, meta and members
);
CREATE UNIQUE INDEX groups_by_id ON groups(tenant_id, id);
CREATE INDEX groups_by_display_name ON groups(tenant_id, display_name_key);
CREATE INDEX groups_by_external_id ON groups(tenant_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE group_members (
    group_seq    INTEGER NOT NULL REFERENCES groups(seq) ON DELETE CASCADE,
    member_id    TEXT NOT NULL,                  -- id of a user or a group of the same tenant
    tenant_id    TEXT NOT NULL,
    member_type  TEXT NOT NULL CHECK (member_type IN ('User', 'Group')),
    display      TEXT,                           -- as the client sent it, if it did
    PRIMARY KEY (group_seq, member_id)
) WITHOUT ROWID;
CREATE INDEX group_members_by_member ON group_members(tenant_id, member_id);
-- Nested groups only: walks down the nesting without reading the user members of large groups.
CREATE INDEX group_members_nested ON group_members(group_seq, member_id) WHERE member_type = 'Group';
)sql",
        // 3: what sync runs and password writes need. Synced groups are tied to their source by an anchor
        // like
        // users; an orphaned record remembers since when (the orphan policy counts from it); a SCIM password
        // is
        // kept only as a salted hash; run history and incremental state survive restarts.
        R"sql(
ALTER TABLE users ADD COLUMN password_hash TEXT;        -- PHC-style salted hash of the SCIM password; never returned
ALTER TABLE users ADD COLUMN orphan_since_ms INTEGER;    -- set when a sync first finds the anchor gone
ALTER TABLE groups ADD COLUMN source TEXT NOT NULL DEFAULT 'scim';
ALTER TABLE groups ADD COLUMN source_anchor TEXT;
CREATE UNIQUE INDEX groups_by_anchor ON groups(tenant_id, source, source_anchor) WHERE source_anchor IS NOT NULL;
CREATE INDEX users_by_source ON users(tenant_id, source);

CREATE TABLE sync_runs (
    id              INTEGER PRIMARY KEY,           -- run number, increasing
    source          TEXT NOT NULL,                 -- source name from the configuration
    tenant_id       TEXT NOT NULL,
    trigger         TEXT NOT NULL,                 -- 'schedule', 'manual', 'startup', 'cli'
    mode            TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    dry_run         INTEGER NOT NULL DEFAULT 0,
    started_ms      INTEGER NOT NULL,
    ended_ms        INTEGER,                       -- NULL while running
    status          TEXT NOT NULL CHECK (status IN ('running', 'ok', 'blocked', 'failed')),
    counts          TEXT NOT NULL DEFAULT '{}',    -- JSON: read, created, updated, orphaned, ...
    blocked_reason  TEXT,
    errors          TEXT NOT NULL DEFAULT '[]',    -- JSON array of the first error messages
    released_by     TEXT,                          -- admin actor that released a blocked run
    released_ms     INTEGER
);
CREATE INDEX sync_runs_by_source ON sync_runs(source, id);

CREATE TABLE sync_state (
    source          TEXT PRIMARY KEY,              -- source name from the configuration
    tenant_id       TEXT NOT NULL,
    last_full_ms    INTEGER,                       -- end of the last successful full run
    state           TEXT NOT NULL DEFAULT '{}'     -- JSON: syncrepl cookie, highest uSNChanged, ...
) WITHOUT ROWID;
)sql",
        // 4: a user can be `disconnected` (a status the CHECK of step 1 does not allow, so the table is
        // rebuilt, SQLite's way to change a constraint); each user remembers when it entered its status (the
        // longest-waiting `requested` user gets the next free seat) and when it last registered; each tenant
        // keeps its count of seats in use (active, provisioned, orphan), maintained by every write.
        R"sql(
CREATE TABLE users_v4 (
    seq              INTEGER PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    id               TEXT NOT NULL,
    user_name        TEXT NOT NULL,
    user_name_key    TEXT NOT NULL,
    external_id      TEXT,
    display_name     TEXT,
    given_name       TEXT,
    family_name      TEXT,
    active           INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('active','disabled','provisioned','pending_invite',
                                                     'orphan','requested','disconnected')),
    roles            TEXT NOT NULL DEFAULT '[]',
    source           TEXT NOT NULL,
    source_anchor    TEXT,
    created_ms       INTEGER NOT NULL,
    modified_ms      INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    resource         TEXT NOT NULL,
    password_hash    TEXT,
    orphan_since_ms  INTEGER,
    status_since_ms  INTEGER NOT NULL,              -- when the user entered its status
    registered_ms    INTEGER                        -- when the person last registered (signed in first)
);
INSERT INTO users_v4 (seq, tenant_id, id, user_name, user_name_key, external_id, display_name, given_name,
                      family_name, active, status, roles, source, source_anchor, created_ms, modified_ms,
                      version, resource, password_hash, orphan_since_ms, status_since_ms, registered_ms)
    SELECT seq, tenant_id, id, user_name, user_name_key, external_id, display_name, given_name, family_name,
           active, status, roles, source, source_anchor, created_ms, modified_ms, version, resource,
           password_hash, orphan_since_ms, modified_ms,
           CASE WHEN status = 'active' THEN modified_ms END
    FROM users;
DROP TABLE users;
ALTER TABLE users_v4 RENAME TO users;
CREATE UNIQUE INDEX users_by_id ON users(tenant_id, id);
CREATE UNIQUE INDEX users_by_user_name ON users(tenant_id, user_name_key);
CREATE INDEX users_by_external_id ON users(tenant_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX users_by_anchor ON users(tenant_id, source, source_anchor) WHERE source_anchor IS NOT NULL;
CREATE INDEX users_by_status ON users(tenant_id, status, seq);
CREATE INDEX users_by_source ON users(tenant_id, source);
CREATE INDEX users_waiting ON users(tenant_id, status_since_ms, seq) WHERE status = 'requested';

ALTER TABLE tenants ADD COLUMN seats_used INTEGER NOT NULL DEFAULT 0;
UPDATE tenants SET seats_used = (SELECT count(*) FROM users WHERE users.tenant_id = tenants.id
                                 AND users.status IN ('active', 'provisioned', 'orphan'));
)sql",
        // 5: tenant administration. Each tenant's catalogue of custom roles (the built-in ones are not
        // stored); `user_roles` indexes the role names of users.roles, so users are listed and counted by
        // role without reading every record; the audit names the person an admin token acted for, and is
        // read by user and by actor through indexes; names are searchable by prefix through folded keys.
        R"sql(
CREATE TABLE roles (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_ms   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name)
) WITHOUT ROWID;

CREATE TABLE user_roles (
    user_seq   INTEGER NOT NULL REFERENCES users(seq) ON DELETE CASCADE,
    tenant_id  TEXT NOT NULL,
    role       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, role, user_seq)
) WITHOUT ROWID;
CREATE INDEX user_roles_by_user ON user_roles(user_seq);
INSERT OR IGNORE INTO user_roles (user_seq, tenant_id, role)
    SELECT users.seq, users.tenant_id, j.value FROM users, json_each(users.roles) AS j;

ALTER TABLE audit_events ADD COLUMN acting_user TEXT;
CREATE INDEX audit_events_by_resource ON audit_events(tenant_id, resource_id, seq);
CREATE INDEX audit_events_by_actor ON audit_events(tenant_id, actor, seq);
CREATE INDEX audit_events_by_acting_user ON audit_events(tenant_id, acting_user, seq)
    WHERE acting_user IS NOT NULL;

ALTER TABLE users ADD COLUMN display_name_key TEXT;
ALTER TABLE users ADD COLUMN given_name_key TEXT;
ALTER TABLE users ADD COLUMN family_name_key TEXT;
UPDATE users SET display_name_key = lower(display_name), given_name_key = lower(given_name),
                 family_name_key = lower(family_name);
CREATE INDEX users_by_display_name ON users(tenant_id, display_name_key) WHERE display_name_key IS NOT NULL;
CREATE INDEX users_by_given_name ON users(tenant_id, given_name_key) WHERE given_name_key IS NOT NULL;
CREATE INDEX users_by_family_name ON users(tenant_id, family_name_key) WHERE family_name_key IS NOT NULL;
CREATE INDEX users_by_subject ON users(tenant_id, source_anchor) WHERE source_anchor IS NOT NULL;
CREATE INDEX users_in_order ON users(tenant_id, seq);
)sql",
        // 6: the folded keys (userName, e-mail, names, group displayName) move to Unicode NFKC case folding;
        // the directory recomputes them at open while `key_scheme` names the older scheme, then updates it.
        R"sql(
CREATE TABLE store_meta (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO store_meta (name, value) VALUES ('key_scheme', 'simple-fold');
)sql",
        // 7: invitations and the outbox. A tenant remembers how its users arrive (idp or invite) and whether
        // its identity provider has written since it switched from invitations; an invitation keeps the hash
        // of
        // each code it was sent with (a resend replaces the code, the old one is still recognised to say so);
        // sends are counted per inviter for the rolling-day limit; every notice is written to the outbox in
        // the transaction of its change and delivered from there.
        R"sql(
ALTER TABLE tenants ADD COLUMN provisioning TEXT NOT NULL DEFAULT 'idp';
ALTER TABLE tenants ADD COLUMN idp_active INTEGER NOT NULL DEFAULT 1;

CREATE TABLE invitations (
    seq           INTEGER PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    id            TEXT NOT NULL,            -- the invitee's user id
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,            -- folded (common::fold_case)
    roles         TEXT NOT NULL DEFAULT '[]',
    inviter       TEXT NOT NULL,            -- the acting user's id, else the actor ("admin:3f2a9c1e")
    state         TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'revoked')),
    created_ms    INTEGER NOT NULL,
    sent_ms       INTEGER NOT NULL,         -- the last send
    expires_ms    INTEGER NOT NULL,
    sends         INTEGER NOT NULL DEFAULT 1,
    ended_ms      INTEGER                   -- accepted or revoked at
);
CREATE UNIQUE INDEX invitations_by_id ON invitations(tenant_id, id);
CREATE INDEX invitations_by_state ON invitations(tenant_id, state, seq);
CREATE INDEX invitations_by_email ON invitations(tenant_id, email_key) WHERE state = 'pending';

CREATE TABLE invitation_codes (
    code_hash      TEXT PRIMARY KEY,        -- hex SHA-256 of the code; the code itself is never stored
    tenant_id      TEXT NOT NULL,
    invitation_id  TEXT NOT NULL,
    issued_ms      INTEGER NOT NULL,
    replaced_ms    INTEGER                  -- a resend issued a newer code
) WITHOUT ROWID;
CREATE INDEX invitation_codes_by_invitation ON invitation_codes(tenant_id, invitation_id);

CREATE TABLE invitation_sends (
    seq        INTEGER PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    inviter    TEXT NOT NULL,
    sent_ms    INTEGER NOT NULL
);
CREATE INDEX invitation_sends_by_inviter ON invitation_sends(tenant_id, inviter, sent_ms);

CREATE TABLE outbox (
    seq              INTEGER PRIMARY KEY,
    tenant_id        TEXT NOT NULL,
    event            TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    recipient        TEXT,                  -- the e-mail address (email channel)
    subject          TEXT,
    body             TEXT NOT NULL,         -- mail text or webhook JSON
    holds_code       INTEGER NOT NULL DEFAULT 0,  -- body carries an invite code: emptied once delivered
    idempotency_key  TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL,
    last_error       TEXT,
    created_ms       INTEGER NOT NULL,
    done_ms          INTEGER
);
CREATE INDEX outbox_due ON outbox(next_attempt_ms, seq) WHERE state = 'pending';
CREATE INDEX outbox_by_tenant ON outbox(tenant_id, state, seq);
)sql",
        // 8: relocations: a request to move a person's record from one tenant to another, authorised by an
        // admin of the destination, with its lifecycle.
        R"sql(
CREATE TABLE relocations (
    seq             INTEGER PRIMARY KEY,    -- the request's id
    user_id         TEXT NOT NULL,
    from_tenant     TEXT NOT NULL,
    to_tenant       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    roles           TEXT NOT NULL DEFAULT '[]',   -- the roles the person gets in the destination
    requested_by    TEXT NOT NULL,          -- the requesting actor ("admin:3f2a9c1e")
    requester_user  TEXT,                   -- the person the request was made for, if named
    state           TEXT NOT NULL CHECK (state IN ('requested', 'completed', 'cancelled')),
    cancel_reason   TEXT,                   -- refused, unanswered, expired, withdrawn
    attempts        INTEGER NOT NULL DEFAULT 1,   -- authorisation requests sent
    created_ms      INTEGER NOT NULL,
    asked_ms        INTEGER NOT NULL,       -- the last authorisation request
    expires_ms      INTEGER NOT NULL,
    ended_ms        INTEGER,
    decided_by      TEXT                    -- the destination admin who authorised or refused
);
CREATE INDEX relocations_by_state ON relocations(state, seq);
CREATE INDEX relocations_by_tenant ON relocations(from_tenant, seq);
CREATE INDEX relocations_by_destination ON relocations(to_tenant, seq);
)sql",
        // 9: one run per source whoever starts it (the daemon, `dirsyncd sync`, another instance): a source's
        // lease names the process running it and expires unless renewed; each run says which process ran it;
        // a dry run keeps its plan for the admin API.
        R"sql(
CREATE TABLE sync_leases (
    source      TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,                     -- "host:pid" of the running process
    run_id      INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL                   -- renewed while the run goes on
) WITHOUT ROWID;
ALTER TABLE sync_runs ADD COLUMN holder TEXT;
ALTER TABLE sync_runs ADD COLUMN plan TEXT;        -- JSON (sync::to_json, lists cut); dry runs only
)sql",
        // 10: what one instance of a fleet does for all (a live source's watch): a named lease, held by one
        // process at a time until it expires unless renewed (store::instance_leases).
        R"sql(
CREATE TABLE instance_leases (
    name        TEXT PRIMARY KEY,                  -- "watch/<source>"
    holder      TEXT NOT NULL,                     -- common::instance_name() of the holding process
    expires_ms  INTEGER NOT NULL                   -- renewed while the holder works
) WITHOUT ROWID;
)sql",
        // 11: a tenant's seat count in a row of its own. Every user row refers to its tenant's row (on
        // PostgreSQL a foreign-key check locks it); a counter on that row, changed once per user inside the
        // savepoints of a sync chunk, made PostgreSQL walk a chain of versions each locked by another
        // subtransaction at every check: quadratic in the chunk. A row nothing refers to has no such locks.
        R"sql(
CREATE TABLE tenant_seats (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    used       INTEGER NOT NULL DEFAULT 0            -- users holding a seat (directory::consumes_seat)
) WITHOUT ROWID;
INSERT INTO tenant_seats (tenant_id, used) SELECT id, seats_used FROM tenants;
ALTER TABLE tenants DROP COLUMN seats_used;
)sql",
    };
    return steps;
}

}  // namespace dirsync::store
