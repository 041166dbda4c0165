// The reconcile plan, sans I/O: tables of owned records, candidates and source entries, and the plan each
// gives, written as one line per planned change.
#include "sync/reconcile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/sha256.hpp"

namespace dirsync::sync {
namespace {

using json = nlohmann::json;
using directory::user_brief;
using directory::user_status;
using namespace std::chrono_literals;

const common::timestamp now = common::from_epoch_ms(1'800'000'000'000);

json person(const std::string& name, json extra = json::object()) {
    json r{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
           {"userName", name},
           {"displayName", "User " + name},
           {"emails", {{{"value", name + "@example.com"}, {"type", "work"}}}}};
    r.update(extra);
    return r;
}

/// A record as the directory would store it for `resource`.
user_brief record(const std::string& anchor, const std::string& name,
                  user_status status = user_status::provisioned, json resource = json(),
                  std::string source = "corp") {
    user_brief b;
    b.id = "id-" + (anchor.empty() ? name : anchor);
    b.user_name = name;
    b.source = std::move(source);
    if (!anchor.empty()) b.source_anchor = anchor;
    b.status = status;
    b.version = 3;
    json r = resource.is_null() ? person(name) : resource;
    r["active"] = status != user_status::disabled;
    b.resource_json = r.dump();
    return b;
}

user_brief orphan_record(const std::string& anchor, const std::string& name, std::chrono::hours age,
                         user_status status = user_status::orphan) {
    auto b = record(anchor, name, status);
    b.orphan_since = now - age;
    return b;
}

user_brief with_roles(user_brief b, std::vector<std::string> roles) {
    b.roles = std::move(roles);
    return b;
}

/// A record pushed by SCIM (or made by an admin, or of another source): a candidate for match_existing.
user_brief pushed(const std::string& id, const std::string& name, json extra = json::object(),
                  std::string source = "scim") {
    auto b = record("", name, user_status::active, person(name, std::move(extra)), std::move(source));
    b.id = id;
    return b;
}

source_user entry(const std::string& anchor, const std::string& name, json extra = json::object()) {
    source_user u;
    u.anchor = anchor;
    u.dn = "uid=" + name + ",ou=people";
    u.resource = person(name, std::move(extra));
    return u;
}

source_user disabled_entry(const std::string& anchor, const std::string& name) {
    auto u = entry(anchor, name);
    u.disabled = true;
    return u;
}

source_user with_roles(source_user u, std::vector<std::string> roles) {
    u.roles = std::move(roles);
    return u;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::string describe(const user_change& c) {
    std::string s = std::string(to_string(c.kind)) + " " + (c.anchor.empty() ? c.id : c.anchor);
    if (!c.from_source.empty()) s += " from=" + c.from_source;
    if (!c.attributes.empty()) {
        std::vector<std::string> names;
        for (const auto& a : c.attributes) names.push_back(a.name);
        s += " attrs=" + join(names);
    }
    if (c.status_after != c.status_before)
        s += " status=" + std::string(directory::to_string(c.status_before)) + ">" +
             std::string(directory::to_string(c.status_after));
    if (c.roles) s += " roles=" + join(*c.roles);
    if (c.orphan_since) s += *c.orphan_since ? " orphan_since=set" : " orphan_since=clear";
    return s;
}

/// One line per planned change, in plan order; "blocked" last when the plan is.
std::vector<std::string> describe(const plan& p) {
    std::vector<std::string> out;
    for (const auto& c : p.creates)
        out.push_back("create " + c.anchor + " " + std::string(directory::to_string(c.status)));
    for (const auto& c : p.updates) out.push_back(describe(c));
    for (const auto& c : p.orphans) out.push_back(describe(c));
    for (const auto& c : p.disables) out.push_back(describe(c));
    for (const auto& d : p.deletes) out.push_back("delete " + d.anchor);
    for (const auto& s : p.skipped) out.push_back("skip " + s.substr(0, s.find(':')));
    if (p.blocked) out.push_back("blocked");
    return out;
}

struct plan_case {
    const char* name;
    std::vector<user_brief> owned;
    std::vector<source_user> users;
    std::vector<std::string> expected;
    std::function<void(policy&)> tweak = {};
    std::vector<user_brief> others = {};  ///< records of the tenant that are not this source's
    std::vector<std::string> skipped_anchors = {};
    std::optional<release_allowance> allowance = {};
};

/// Candidates for match_existing from `others`, as the directory's indexes would answer.
candidate_lookup lookup_in(const std::vector<user_brief>& others) {
    return [&others](match_key key, std::string_view value) {
        std::vector<user_brief> out;
        for (const auto& o : others) {
            auto r = json::parse(o.resource_json);
            bool hit = false;
            switch (key) {
                case match_key::external_id:
                    hit = r.value("externalId", "") == value;
                    break;
                case match_key::user_name:
                    hit = r.value("userName", "") == value;
                    break;
                case match_key::email:
                    for (const auto& e : r.value("emails", json::array()))
                        hit |= e.value("value", "") == value;
                    break;
            }
            if (hit) out.push_back(o);
        }
        return out;
    };
}

policy corp_policy() {
    policy p;
    p.source = "corp";
    p.tenant = "acme";
    return p;
}

/// How a case's users and records reach the reconcile.
enum class form {
    tree,     ///< the users as the mapper builds them, the records with their texts
    compact,  ///< the users as a snapshot keeps them (source_user::compact)
    digest,   ///< compact users; the records carry digests (load_current), their texts read on demand
    dropped,  ///< as digest, and users the records store as they are carry no text (drop_stored_texts)
};

plan run_full(const plan_case& c, form f = form::tree) {
    policy rules = corp_policy();
    if (c.tweak) c.tweak(rules);
    current_records current{c.owned, {}};
    snapshot s;
    s.users = c.users;
    if (f != form::tree)
        for (auto& u : s.users) u.compact();
    if (f == form::digest || f == form::dropped)
        for (auto& r : current.users) {
            r.resource_digest = common::sha256(r.resource_json);
            r.resource_json.clear();
        }
    if (f == form::dropped)
        for (auto& u : s.users)
            for (const auto& r : current.users)
                if (r.source_anchor == u.anchor && common::sha256(u.text) == *r.resource_digest) {
                    u.text.clear();
                    u.stored_as_is = true;
                }
    for (const auto& a : c.skipped_anchors) {
        s.skipped.push_back("uid=" + a + ": a required attribute is missing");
        s.skipped_anchors.push_back(a);
    }
    reconcile_input in{rules, current, lookup_in(c.others), now, c.allowance};
    in.stored_resources = [&](std::span<const std::string> ids) {
        std::unordered_map<std::string, std::string> out;
        for (const auto& id : ids)
            for (const auto& r : c.owned)
                if (r.id == id) out.emplace(id, r.resource_json);
        return out;
    };
    return reconcile(std::move(s), in);
}

// Every case plans the same from compact users (the stored text compares without a tree), and against
// records known by their digests.
void run_table(const std::vector<plan_case>& cases) {
    for (const auto& c : cases) {
        EXPECT_EQ(describe(run_full(c)), c.expected) << c.name;
        EXPECT_EQ(describe(run_full(c, form::compact)), c.expected) << c.name << " (compact)";
        EXPECT_EQ(describe(run_full(c, form::digest)), c.expected) << c.name << " (digest)";
        EXPECT_EQ(describe(run_full(c, form::dropped)), c.expected) << c.name << " (dropped)";
    }
}

TEST(ReconcileTest, CompactUsersKeepTheirResourceThroughThePlan) {
    auto renamed = entry("a1", "alice", {{"title", "Dr"}});
    renamed.compact();
    EXPECT_TRUE(renamed.resource.is_null());
    EXPECT_EQ(json::parse(renamed.text).at("active"), true);
    auto fresh = disabled_entry("n1", "nina");
    fresh.compact();
    EXPECT_EQ(json::parse(fresh.text).at("active"), false);
    snapshot s;
    s.users = {renamed, fresh};
    current_records current{{record("a1", "alice")}, {}};
    auto p = reconcile(std::move(s), reconcile_input{corp_policy(), current, {}, now, {}});
    ASSERT_EQ(p.updates.size(), 1u);
    ASSERT_TRUE(p.updates[0].resource);
    EXPECT_EQ(p.updates[0].resource->at("title"), "Dr");
    EXPECT_FALSE(p.updates[0].resource->contains("active"));
    ASSERT_EQ(p.creates.size(), 1u);
    EXPECT_EQ(p.creates[0].status, user_status::disabled);
    EXPECT_EQ(p.creates[0].resource().at("userName"), "nina");
    EXPECT_FALSE(p.creates[0].resource().contains("active"));  // the status decides, at apply
}

/// `r` as load_current reads it: the stored text's digest, not the text.
user_brief digest_only(user_brief r) {
    r.resource_digest = common::sha256(r.resource_json);
    r.resource_json.clear();
    return r;
}

TEST(ReconcileTest, RecordsKnownByDigestReadTheTextsOfChangedRecordsInChunks) {
    current_records current;
    std::unordered_map<std::string, std::string> stored;
    snapshot s;
    for (int i = 0; i < 1200; ++i) {
        const auto n = std::to_string(i);
        auto r = record("a" + n, "user" + n);
        stored.emplace(r.id, r.resource_json);
        current.users.push_back(digest_only(std::move(r)));
        // Every other user changes its title; the others are as stored.
        auto u = i % 2 ? entry("a" + n, "user" + n, {{"title", "Dr"}}) : entry("a" + n, "user" + n);
        u.compact();
        s.users.push_back(std::move(u));
    }
    std::vector<std::size_t> asked;
    reconcile_input in{corp_policy(), current, {}, now, {}};
    in.stored_resources = [&](std::span<const std::string> ids) {
        asked.push_back(ids.size());
        std::unordered_map<std::string, std::string> out;
        for (const auto& id : ids) out.emplace(id, stored.at(id));
        return out;
    };
    auto p = reconcile(std::move(s), in);
    EXPECT_EQ(asked, (std::vector<std::size_t>{500, 100}));  // only the 600 changed records, by 500
    ASSERT_EQ(p.updates.size(), 600u);
    EXPECT_EQ(p.unchanged_users, 600u);
    for (const auto& c : p.updates) {
        ASSERT_EQ(c.attributes.size(), 1u) << c.anchor;
        EXPECT_EQ(c.attributes[0].name, "title");
        EXPECT_EQ(c.attributes[0].before, nullptr);
        ASSERT_TRUE(c.resource);
        EXPECT_EQ(c.resource->at("title"), "Dr");
    }
    EXPECT_EQ(p.updates.front().anchor, "a1");  // in source order
    EXPECT_EQ(p.updates.back().anchor, "a1199");
}

TEST(ReconcileTest, ARecordKnownByDigestStoredInAnotherSpellingIsUnchanged) {
    // The same resource as the entry's, its keys in another order and spaced: a different digest, and no
    // attribute differs once the stored text is read.
    auto r = record("a1", "alice");
    const std::string spelled = json::parse(r.resource_json).dump(1);
    r.resource_json = spelled;
    current_records current{{digest_only(r), digest_only(record("b1", "bob"))}, {}};
    snapshot s;
    s.users = {entry("a1", "alice"), entry("b1", "bob", {{"title", "Dr"}})};
    reconcile_input in{corp_policy(), current, {}, now, {}};
    in.stored_resources = [&](std::span<const std::string> ids) {
        std::unordered_map<std::string, std::string> out;
        for (const auto& id : ids)
            if (id == "id-a1") out.emplace(id, spelled);  // bob's record was deleted since the scan
        return out;
    };
    auto p = reconcile(std::move(s), in);
    EXPECT_EQ(p.unchanged_users, 1u);
    ASSERT_EQ(p.updates.size(), 1u);
    EXPECT_EQ(p.updates[0].anchor, "b1");
    // Its stored text is gone: every attribute is new to it (the write then finds no record).
    EXPECT_EQ(p.updates[0].attributes.size(), person("bob", {{"title", "Dr"}}).size());
}

TEST(ReconcileTest, RecordsKnownByDigestNeedTheStoredTexts) {
    current_records current{{digest_only(record("a1", "alice"))}, {}};
    snapshot s;
    s.users = {entry("a1", "alice", {{"title", "Dr"}})};
    EXPECT_THROW(reconcile(std::move(s), reconcile_input{corp_policy(), current, {}, now, {}}),
                 std::logic_error);
}

void flag_after_7d(policy& p) { p.orphans.disable_after = std::chrono::milliseconds(7 * 24h); }

TEST(ReconcileTest, UsersPresentInTheSource) {
    run_table({
        {"new entry", {}, {entry("a1", "alice")}, {"create a1 provisioned"}},
        {"new disabled entry", {}, {disabled_entry("a1", "alice")}, {"create a1 disabled"}},
        {"unchanged", {record("a1", "alice")}, {entry("a1", "alice")}, {}},
        {"unchanged active user stays active",
         {record("a1", "alice", user_status::active)},
         {entry("a1", "alice")},
         {}},
        {"requested waits for a seat",
         {record("a1", "alice", user_status::requested)},
         {entry("a1", "alice")},
         {}},
        {"pending invite kept",
         {record("a1", "alice", user_status::pending_invite)},
         {entry("a1", "alice")},
         {}},
        {"attribute changed",
         {record("a1", "alice")},
         {entry("a1", "alice", {{"displayName", "Alice Liddell"}})},
         {"update a1 attrs=displayName"}},
        {"attribute added and removed",
         {record("a1", "alice", user_status::provisioned, person("alice", {{"title", "Dr"}}))},
         {entry("a1", "alice", {{"nickName", "Al"}})},
         {"update a1 attrs=nickName,title"}},
        {"rename keeps the record",
         {record("a1", "alice")},
         {entry("a1", "alicia", {{"displayName", "User alice"}, {"emails", person("alice")["emails"]}})},
         {"update a1 attrs=userName"}},
        {"source disables",
         {record("a1", "alice")},
         {disabled_entry("a1", "alice")},
         {"update a1 status=provisioned>disabled"}},
        {"source disables an active user",
         {record("a1", "alice", user_status::active)},
         {disabled_entry("a1", "alice")},
         {"update a1 status=active>disabled"}},
        {"already disabled",
         {record("a1", "alice", user_status::disabled)},
         {disabled_entry("a1", "alice")},
         {}},
        {"source re-enables",
         {record("a1", "alice", user_status::disabled)},
         {entry("a1", "alice")},
         {"update a1 status=disabled>provisioned"}},
        {"role granted",
         {record("a1", "alice")},
         {with_roles(entry("a1", "alice"), {"admin"})},
         {"update a1 roles=admin"}},
        {"role revoked",
         {with_roles(record("a1", "alice"), {"admin"})},
         {entry("a1", "alice")},
         {"update a1 roles="}},
        {"roles in another order are the same",
         {with_roles(record("a1", "alice"), {"b", "a"})},
         {with_roles(entry("a1", "alice"), {"a", "b"})},
         {}},
        {"duplicate anchor in the source",
         {},
         {entry("a1", "alice"), entry("a1", "alice2")},
         {"create a1 provisioned", "skip uid=alice2,ou=people"}},
        {"other sources' records are not this source's",
         {},
         {entry("a1", "alice")},
         {"create a1 provisioned"},
         {},
         {record("a1", "alice", user_status::active, json(), "other")}},
    });
}

TEST(ReconcileTest, OrphansAndThePolicy) {
    run_table({
        {"anchor gone: flagged",
         {record("a1", "alice"), record("b1", "bob")},
         {entry("a1", "alice")},
         {"orphan b1 status=provisioned>orphan orphan_since=set"}},
        {"active user flagged",
         {record("b1", "bob", user_status::active), record("a1", "alice")},
         {entry("a1", "alice")},
         {"orphan b1 status=active>orphan orphan_since=set"}},
        {"disabled user keeps its status",
         {record("b1", "bob", user_status::disabled), record("a1", "alice")},
         {entry("a1", "alice")},
         {"orphan b1 orphan_since=set"}},
        {"requested user keeps its status",
         {record("b1", "bob", user_status::requested), record("a1", "alice")},
         {entry("a1", "alice")},
         {"orphan b1 orphan_since=set"}},
        {"policy action disable",
         {record("b1", "bob"), record("a1", "alice")},
         {entry("a1", "alice")},
         {"orphan b1 status=provisioned>disabled orphan_since=set"},
         [](policy& p) { p.orphans.action = orphan_policy::first_action::disable; }},
        {"skipped entry is not orphaned",
         {record("b1", "bob"), record("a1", "alice")},
         {entry("a1", "alice")},
         {"skip uid=b1"},
         {},
         {},
         {"b1"}},
        {"orphan stays flagged without disable_after",
         {orphan_record("b1", "bob", 24h * 400), record("a1", "alice")},
         {entry("a1", "alice")},
         {}},
        {"before disable_after nothing happens",
         {orphan_record("b1", "bob", 24h * 6), record("a1", "alice")},
         {entry("a1", "alice")},
         {},
         flag_after_7d},
        {"disable_after reached",
         {orphan_record("b1", "bob", 24h * 7), record("a1", "alice")},
         {entry("a1", "alice")},
         {"orphan_disable b1 status=orphan>disabled"},
         flag_after_7d},
        {"disabled orphan past disable_after stays",
         {orphan_record("b1", "bob", 24h * 8, user_status::disabled), record("a1", "alice")},
         {entry("a1", "alice")},
         {},
         flag_after_7d},
        {"delete_after reached",
         {orphan_record("b1", "bob", 24h * 31, user_status::disabled), record("a1", "alice")},
         {entry("a1", "alice")},
         {"delete b1"},
         [](policy& p) {
             flag_after_7d(p);
             p.orphans.delete_after = std::chrono::milliseconds(30 * 24h);
         }},
        {"delete_after without disable_after",
         {orphan_record("b1", "bob", 24h * 2), record("a1", "alice")},
         {entry("a1", "alice")},
         {"delete b1"},
         [](policy& p) { p.orphans.delete_after = std::chrono::milliseconds(24h); }},
        {"a new orphan is never deleted in the run that finds it",
         {record("b1", "bob"), record("a1", "alice")},
         {entry("a1", "alice")},
         {"orphan b1 status=provisioned>orphan orphan_since=set"},
         [](policy& p) { p.orphans.delete_after = std::chrono::milliseconds(0); }},
        {"anchor back: un-orphaned",
         {orphan_record("a1", "alice", 24h)},
         {entry("a1", "alice")},
         {"unorphan a1 status=orphan>provisioned orphan_since=clear"}},
        {"back after the policy disabled it",
         {orphan_record("a1", "alice", 24h * 9, user_status::disabled)},
         {entry("a1", "alice")},
         {"unorphan a1 status=disabled>provisioned orphan_since=clear"}},
        {"back, disabled in the source",
         {orphan_record("a1", "alice", 24h)},
         {disabled_entry("a1", "alice")},
         {"unorphan a1 status=orphan>disabled orphan_since=clear"}},
        {"back with new attributes",
         {orphan_record("a1", "alice", 24h)},
         {entry("a1", "alice", {{"title", "CEO"}})},
         {"unorphan a1 attrs=title status=orphan>provisioned orphan_since=clear"}},
    });
}

TEST(ReconcileTest, AdoptionByMatchExisting) {
    auto by = [](std::vector<match_key> keys) { return [keys](policy& p) { p.match_existing = keys; }; };
    run_table({
        {"no match_existing: create even when a SCIM record matches",
         {},
         {entry("a1", "alice", {{"externalId", "E1"}})},
         {"create a1 provisioned"},
         {},
         {pushed("s1", "alice", {{"externalId", "E1"}})}},
        {"by externalId",
         {},
         {entry("a1", "alice", {{"externalId", "E1"}})},
         {"adopt a1 from=scim"},
         by({match_key::external_id}),
         {pushed("s1", "alice", {{"externalId", "E1"}})}},
        {"by externalId, taking the source's attributes",
         {},
         {entry("a1", "alice", {{"externalId", "E1"}, {"title", "CEO"}})},
         {"adopt a1 from=scim attrs=title"},
         by({match_key::external_id}),
         {pushed("s1", "alice", {{"externalId", "E1"}})}},
        {"by userName",
         {},
         {entry("a1", "alice")},
         {"adopt a1 from=scim"},
         by({match_key::user_name}),
         {pushed("s1", "alice")}},
        {"by email",
         {},
         {entry("a1", "alice")},
         {"adopt a1 from=scim attrs=userName"},
         by({match_key::email}),
         {pushed("s1", "al",
                 {{"emails", {{{"value", "alice@example.com"}, {"type", "work"}}}},
                  {"displayName", "User alice"}})}},
        {"an admin's record is adoptable",
         {},
         {entry("a1", "alice")},
         {"adopt a1 from=admin"},
         by({match_key::user_name}),
         {pushed("s1", "alice", json::object(), "admin")}},
        {"keys in order: the first with candidates decides",
         {},
         {entry("a1", "alice", {{"externalId", "E1"}})},
         {"adopt a1 from=scim attrs=externalId"},
         by({match_key::external_id, match_key::user_name}),
         {pushed("s1", "alice")}},
        {"ambiguous",
         {},
         {entry("a1", "alice", {{"externalId", "E1"}})},
         {"skip uid=alice,ou=people"},
         by({match_key::external_id}),
         {pushed("s1", "alice", {{"externalId", "E1"}}), pushed("s2", "alice2", {{"externalId", "E1"}})}},
        {"ambiguous over several emails",
         {},
         {entry("a1", "alice", {{"emails", {{{"value", "a@x"}}, {{"value", "b@x"}}}}})},
         {"skip uid=alice,ou=people"},
         by({match_key::email}),
         {pushed("s1", "x1", {{"emails", {{{"value", "a@x"}}}}}),
          pushed("s2", "x2", {{"emails", {{{"value", "b@x"}}}}})}},
        {"another sync source's record is never adopted",
         {},
         {entry("a1", "alice")},
         {"skip uid=alice,ou=people"},
         by({match_key::user_name}),
         {pushed("s1", "alice", json::object(), "hr-ldap")}},
        {"this source's record under another anchor is not re-anchored",
         {record("old", "alice")},
         {entry("a1", "alice")},
         {"orphan old status=provisioned>orphan orphan_since=set", "skip uid=alice,ou=people", "blocked"},
         [](policy& p) {
             p.match_existing = {match_key::user_name};
             p.safety.max_orphans = 0;
         },
         {record("old", "alice")}},
        {"two entries matching one record: the first adopts",
         {},
         {entry("a1", "alice", {{"externalId", "E1"}}), entry("a2", "alice2", {{"externalId", "E1"}})},
         {"adopt a1 from=scim", "skip uid=alice2,ou=people"},
         by({match_key::external_id}),
         {pushed("s1", "alice", {{"externalId", "E1"}})}},
        {"no candidate: created",
         {},
         {entry("a1", "alice")},
         {"create a1 provisioned"},
         by({match_key::external_id, match_key::user_name, match_key::email}),
         {pushed("s1", "bob")}},
        {"adopted disabled in the source",
         {},
         {disabled_entry("a1", "alice")},
         {"adopt a1 from=scim status=active>disabled"},
         by({match_key::user_name}),
         {pushed("s1", "alice")}},
    });
}

TEST(ReconcileTest, Safety) {
    std::vector<user_brief> ten;
    std::vector<source_user> one;
    for (int i = 0; i < 10; ++i) ten.push_back(record("a" + std::to_string(i), "u" + std::to_string(i)));
    one.push_back(entry("a0", "u0"));
    std::vector<std::string> nine_orphans;
    for (int i = 1; i < 10; ++i)
        nine_orphans.push_back("orphan a" + std::to_string(i) +
                               " status=provisioned>orphan orphan_since=set");
    auto blocked = nine_orphans;
    blocked.push_back("blocked");
    auto blocked_with_create = blocked;
    blocked_with_create.insert(blocked_with_create.begin(), "create n1 provisioned");
    auto with_create = one;
    with_create.push_back(entry("n1", "new"));

    run_table({
        {"within the limits", ten, one, nine_orphans, [](policy& p) { p.safety.max_orphans = 9; }},
        {"above max_orphans", ten, one, blocked, [](policy& p) { p.safety.max_orphans = 8; }},
        {"above max_orphan_ratio", ten, one, blocked, [](policy& p) { p.safety.max_orphan_ratio = 0.5; }},
        {"creates still planned when blocked", ten, with_create, blocked_with_create,
         [](policy& p) { p.safety.max_orphan_ratio = 0.5; }},
        {"zero users",
         ten,
         {},
         [] {
             std::vector<std::string> all;
             for (int i = 0; i < 10; ++i)
                 all.push_back("orphan a" + std::to_string(i) +
                               " status=provisioned>orphan orphan_since=set");
             all.push_back("blocked");
             return all;
         }()},
        {"released",
         ten,
         one,
         nine_orphans,
         [](policy& p) { p.safety.max_orphans = 1; },
         {},
         {},
         release_allowance{41, 9}},
        {"release too small",
         ten,
         one,
         blocked,
         [](policy& p) { p.safety.max_orphans = 1; },
         {},
         {},
         release_allowance{41, 8}},
    });

    plan_case c{"reason", ten, one, {}, [](policy& p) { p.safety.max_orphan_ratio = 0.1; }};
    auto p = run_full(c);
    ASSERT_TRUE(p.blocked);
    EXPECT_EQ(*p.blocked, "would orphan 9 of 10 records (90%), above max_orphan_ratio 10%");
    EXPECT_EQ(p.orphans.size(), 9u);  // listed, held back by apply

    c.allowance = release_allowance{41, 9};
    p = run_full(c);
    EXPECT_FALSE(p.blocked);
    EXPECT_EQ(p.released_run, 41);
}

TEST(ReconcileTest, IncrementalUpsertsAndDeletesOnlyWhatTheDeltaSays) {
    policy rules = corp_policy();
    rules.orphans.delete_after = std::chrono::milliseconds(24h);
    current_records current{{record("a1", "alice"), record("b1", "bob"), record("c1", "carol"),
                             orphan_record("d1", "dave", 24h * 30), orphan_record("e1", "erin", 24h)},
                            {}};
    delta d;
    d.users = {entry("a1", "alice", {{"title", "CEO"}}), entry("n1", "nina"), entry("e1", "erin")};
    d.deleted_anchors = {"b1", "d1", "zz"};
    auto p = reconcile(std::move(d), reconcile_input{rules, current, {}, now, std::nullopt});
    EXPECT_EQ(p.mode, run_mode::incremental);
    // carol is absent from the delta: unchanged, not orphaned. dave is an old orphan: not aged by a delta.
    EXPECT_EQ(describe(p), (std::vector<std::string>{
                               "create n1 provisioned",
                               "update a1 attrs=title",
                               "unorphan e1 status=orphan>provisioned orphan_since=clear",
                               "orphan b1 status=provisioned>orphan orphan_since=set",
                           }));

    // An empty delta is not a source that lost its users.
    auto empty = reconcile(delta{}, reconcile_input{rules, current, {}, now, std::nullopt});
    EXPECT_FALSE(empty.blocked);
    EXPECT_TRUE(describe(empty).empty());

    // Deletes count against the limits like a full run's orphans.
    rules.safety.max_orphans = 0;
    delta del;
    del.deleted_anchors = {"a1"};
    auto blocked = reconcile(std::move(del), reconcile_input{rules, current, {}, now, std::nullopt});
    EXPECT_EQ(blocked.blocked, "would orphan 1 record, above max_orphans 0");
}

TEST(ReconcileTest, UpdatesCarryBeforeAndAfter) {
    policy rules = corp_policy();
    current_records current{{with_roles(record("a1", "alice"), {"user"})}, {}};
    snapshot s;
    s.users = {with_roles(
        entry("a1", "alicia",
              {{"title", "CEO"}, {"displayName", "User alice"}, {"emails", person("alice")["emails"]}}),
        {"admin"})};
    auto p = reconcile(std::move(s), reconcile_input{rules, current, {}, now, std::nullopt});
    ASSERT_EQ(p.updates.size(), 1u);
    const auto& c = p.updates[0];
    EXPECT_EQ(c.id, "id-a1");
    EXPECT_EQ(c.version, 3);
    EXPECT_EQ(c.dn, "uid=alicia,ou=people");
    ASSERT_EQ(c.attributes.size(), 2u);
    EXPECT_EQ(c.attributes[0].name, "title");
    EXPECT_EQ(c.attributes[0].before, nullptr);
    EXPECT_EQ(c.attributes[0].after, "CEO");
    EXPECT_EQ(c.attributes[1].name, "userName");
    EXPECT_EQ(c.attributes[1].before, "alice");
    EXPECT_EQ(c.attributes[1].after, "alicia");
    ASSERT_TRUE(c.resource);
    EXPECT_FALSE(c.resource->contains("active"));

    auto j = to_json(p);
    EXPECT_EQ(j["mode"], "full");
    EXPECT_EQ(j["blocked"], nullptr);
    EXPECT_EQ(j["counts"]["updated"], 1);
    EXPECT_EQ(j["updates"][0]["changes"]["userName"], (json{{"before", "alice"}, {"after", "alicia"}}));
    EXPECT_EQ(j["updates"][0]["roles"], (json{{"before", {"user"}}, {"after", {"admin"}}}));
    EXPECT_FALSE(j["updates"][0].contains("status"));
}

// ---- groups

source_group group_entry(const std::string& anchor, const std::string& name, std::vector<std::string> users,
                         std::vector<std::string> groups = {}) {
    source_group g;
    g.anchor = anchor;
    g.dn = "cn=" + name + ",ou=groups";
    g.resource = json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", name}};
    g.member_user_anchors = std::move(users);
    g.member_group_anchors = std::move(groups);
    return g;
}

directory::group_brief group_record(const std::string& anchor, const std::string& name,
                                    std::vector<std::pair<std::string, directory::member_type>> members) {
    directory::group_brief b;
    b.id = "gid-" + anchor;
    b.display_name = name;
    b.source = "corp";
    b.source_anchor = anchor;
    b.version = 5;
    b.resource_json =
        json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", name}}.dump();
    for (auto& [id, type] : members) b.members.push_back(directory::group_member{id, type, std::nullopt});
    return b;
}

std::vector<std::string> anchors_of(const std::vector<planned_member>& members) {
    std::vector<std::string> out;
    for (const auto& m : members) out.push_back(m.anchor + (m.id ? "=" + *m.id : "=new"));
    return out;
}

TEST(ReconcileTest, GroupsResolveMembersFromAnchors) {
    using directory::member_type;
    policy rules = corp_policy();
    current_records current{
        {record("a1", "alice"), record("b1", "bob")},
        {group_record(
             "g1", "Staff",
             {{"id-a1", member_type::user}, {"id-b1", member_type::user}, {"scim-user", member_type::user}}),
         group_record("g2", "Old", {{"id-a1", member_type::user}}),
         group_record("g3", "Same", {{"id-a1", member_type::user}})}};
    snapshot s;
    s.users = {entry("a1", "alice"), entry("b1", "bob"), entry("n1", "nina")};
    s.groups = {group_entry("g1", "Staff", {"a1", "n1", "stranger"}),  // bob leaves, nina joins
                group_entry("g3", "Same", {"a1"}), group_entry("g4", "New", {"a1", "n1", "n1"})};
    auto p = reconcile(std::move(s), reconcile_input{rules, current, {}, now, std::nullopt});

    ASSERT_EQ(p.group_creates.size(), 1u);
    EXPECT_EQ(p.group_creates[0].anchor, "g4");
    EXPECT_EQ(anchors_of(p.group_creates[0].members), (std::vector<std::string>{"a1=id-a1", "n1=new"}));

    ASSERT_EQ(p.group_updates.size(), 1u);
    const auto& g1 = p.group_updates[0];
    EXPECT_EQ(g1.id, "gid-g1");
    EXPECT_FALSE(g1.resource);
    EXPECT_EQ(anchors_of(g1.add), (std::vector<std::string>{"n1=new"}));
    // bob is removed; the member SCIM added is not this source's and stays.
    EXPECT_EQ(g1.remove, (std::vector<std::string>{"id-b1"}));
    EXPECT_EQ(p.unchanged_groups, 1u);

    // g2 is gone from the source: kept and reported, never deleted.
    ASSERT_EQ(p.orphaned_groups.size(), 1u);
    EXPECT_EQ(p.orphaned_groups[0].anchor, "g2");
    bool noted_stranger = false;
    for (const auto& n : p.notes) noted_stranger |= n.find("stranger") != std::string::npos;
    EXPECT_TRUE(noted_stranger);
}

TEST(ReconcileTest, GroupRenameAndNestedModes) {
    using directory::member_type;
    policy rules = corp_policy();
    current_records current{
        {record("a1", "alice")},
        {group_record("g1", "Parent", {{"id-a1", member_type::user}, {"gid-g2", member_type::group}}),
         group_record("g2", "Child", {})}};
    auto make = [] {
        snapshot s;
        s.users = {entry("a1", "alice")};
        s.groups = {group_entry("g1", "Parent (renamed)", {"a1"}, {"g2", "g5", "g1"}),
                    group_entry("g2", "Child", {}), group_entry("g5", "Grandchild", {})};
        return s;
    };

    rules.nested = nested_groups::keep;
    auto kept = reconcile(make(), reconcile_input{rules, current, {}, now, std::nullopt});
    ASSERT_EQ(kept.group_updates.size(), 1u);
    const auto& g1 = kept.group_updates[0];
    ASSERT_EQ(g1.attributes.size(), 1u);
    EXPECT_EQ(g1.attributes[0].name, "displayName");
    EXPECT_EQ(g1.attributes[0].after, "Parent (renamed)");
    EXPECT_EQ(anchors_of(g1.add), (std::vector<std::string>{"g5=new"}));  // g1 in itself is ignored
    EXPECT_TRUE(g1.remove.empty());
    ASSERT_EQ(kept.group_creates.size(), 1u);

    // flatten: member groups are not kept, so this source's group member is removed.
    rules.nested = nested_groups::flatten;
    auto flat = reconcile(make(), reconcile_input{rules, current, {}, now, std::nullopt});
    ASSERT_EQ(flat.group_updates.size(), 1u);
    EXPECT_TRUE(flat.group_updates[0].add.empty());
    EXPECT_EQ(flat.group_updates[0].remove, (std::vector<std::string>{"gid-g2"}));
}

TEST(ReconcileTest, IncrementalGroupDeleteIsReportedNotApplied) {
    policy rules = corp_policy();
    current_records current{{record("a1", "alice")}, {group_record("g1", "Staff", {})}};
    delta d;
    d.deleted_anchors = {"g1"};
    auto p = reconcile(std::move(d), reconcile_input{rules, current, {}, now, std::nullopt});
    ASSERT_EQ(p.orphaned_groups.size(), 1u);
    EXPECT_TRUE(p.orphans.empty());
}

user_create creating(const std::string& anchor, user_status status = user_status::provisioned) {
    user_create c;
    c.anchor = anchor;
    c.status = status;
    return c;
}

TEST(ProjectSeats, CreatesBeyondTheFreeSeatsAreShownRequested) {
    plan p;
    for (const char* a : {"a1", "a2", "a3", "a4"}) p.creates.push_back(creating(a));
    p.creates.insert(p.creates.begin() + 1, creating("off", user_status::disabled));
    project_seats(p, 2);
    std::vector<std::string> shown;
    const json shown_plan = to_json(p);
    for (const auto& c : shown_plan["creates"])
        shown.push_back(c["anchor"].get<std::string>() + "=" + c["status"].get<std::string>());
    EXPECT_EQ(shown, (std::vector<std::string>{"a1=provisioned", "off=disabled", "a2=provisioned",
                                               "a3=requested", "a4=requested"}));
    // What the create asks for is unchanged: the directory decides at apply time.
    EXPECT_EQ(p.creates[3].status, user_status::provisioned);
    plan unlimited;
    unlimited.creates.push_back(creating("a1"));
    project_seats(unlimited, std::nullopt);
    EXPECT_FALSE(unlimited.creates[0].waits_for_seat);
}

}  // namespace
}  // namespace dirsync::sync
