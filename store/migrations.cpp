#include "store/migrations.hpp"

namespace dirsync::store {

const std::vector<std::string>& migrations() {
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
    };
    return steps;
}

}  // namespace dirsync::store
