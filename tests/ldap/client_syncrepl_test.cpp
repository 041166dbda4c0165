#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "ldap/guid.hpp"
#include "ldap/sync_search.hpp"

namespace dirsync::ldap::test {
namespace {

constexpr std::size_t people = 300;
constexpr const char* bulk_base = "ou=Bulk,dc=example,dc=com";
/// Entries with description=gone leave the content without being deleted.
constexpr const char* content_filter = "(&(objectClass=inetOrgPerson)(!(description=gone)))";

std::string person_dn(int i) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "uid=person%05d,ou=Bulk,dc=example,dc=com", i);
    return buffer;
}

/// What a refresh returned, entries included.
struct refreshed {
    sync_refresh_result result;
    std::map<std::string, entry> changed;  ///< by entryUUID
};

/// 300 people under ou=Bulk; syncprov with or without a session log (the parameter), reload hints honoured.
class SyncreplTest : public ClientTest, public ::testing::WithParamInterface<std::size_t> {
  protected:
    std::unique_ptr<client> admin_;

    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.bulk_people = people;
        o.syncprov_sessionlog = GetParam();
        o.syncprov_reloadhint = true;
        return o;
    }

    void TearDown() override {
        admin_.reset();
        ClientTest::TearDown();
    }

    bool with_session_log() const { return GetParam() > 0; }

    client& reader() {
        if (!client_) {
            auto s = reader_settings();
            s.page_size = 40;  // the refresh's batch size
            connect_or_fail(make_client(std::move(s)));
        }
        return *client_;
    }

    client& admin() {
        if (!admin_) {
            auto s = reader_settings();
            s.bind_dn = testing::slapd_server::admin_dn;
            s.bind_password = secret(testing::slapd_server::admin_password);
            admin_ = std::make_unique<client>(io_.get_executor(), pool_, std::move(s));
            auto r = run(admin_->connect());
            EXPECT_TRUE(r.has_value()) << r.error().message;
        }
        return *admin_;
    }

    void write_ok(asio::awaitable<boost::system::result<void, error>> op) {
        auto r = run(std::move(op));
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }

    refreshed refresh(std::optional<std::string> cookie, bool reload_hint = false) {
        sync_refresh_request request;
        request.search.base = bulk_base;
        request.search.filter = content_filter;
        request.search.attributes = {"uid", "mail", "entryUUID"};
        request.cookie = std::move(cookie);
        request.reload_hint = reload_hint;
        refreshed out;
        auto r = run(sync_refresh(reader(), std::move(request), [&](entry&& e, const std::string& uuid) {
            EXPECT_TRUE(out.changed.emplace(uuid, std::move(e)).second) << "sent twice: " << uuid;
        }));
        if (!r) {
            ADD_FAILURE() << r.error().message;
            return out;
        }
        out.result = std::move(*r);
        return out;
    }

    /// entryUUID by DN, read as the reader.
    std::string uuid_of(const std::string& dn) {
        auto e = run(reader().read(dn, {"entryUUID"}));
        EXPECT_TRUE(e && *e) << dn;
        if (!e || !*e) return {};
        return format_uuid((*e)->first("entryUUID")).value_or("");
    }
};

TEST_P(SyncreplTest, InitialRefreshSendsTheWholeContentAndACookie) {
    auto first = refresh(std::nullopt);
    EXPECT_FALSE(first.result.refresh_required);
    ASSERT_TRUE(first.result.cookie);
    EXPECT_NE(first.result.cookie->find("csn="), std::string::npos) << *first.result.cookie;
    EXPECT_EQ(first.result.changed, people);
    EXPECT_EQ(first.changed.size(), people);
    // No cookie: the server ends with a present phase; the present set is the whole content.
    EXPECT_TRUE(first.result.present_phase);
    EXPECT_EQ(first.result.present.size(), people);
    EXPECT_TRUE(first.result.deleted.empty());
    for (const auto& [uuid, e] : first.changed) {
        // The UUID of the Sync State Control is the entry's entryUUID.
        EXPECT_EQ(format_uuid(e.first("entryUUID")), uuid) << e.dn;
        EXPECT_FALSE(e.first("uid").empty()) << e.dn;
        EXPECT_TRUE(std::binary_search(first.result.present.begin(), first.result.present.end(), uuid));
    }
    EXPECT_EQ(first.changed.count(uuid_of(person_dn(1))), 1u);
}

TEST_P(SyncreplTest, NothingChangedMeansNoEntriesNoDeletesAndNoNewCookie) {
    auto first = refresh(std::nullopt);
    ASSERT_TRUE(first.result.cookie);
    auto again = refresh(first.result.cookie);
    EXPECT_FALSE(again.result.refresh_required);
    EXPECT_EQ(again.result.changed, 0u);
    EXPECT_TRUE(again.result.deleted.empty());
    EXPECT_FALSE(again.result.present_phase);  // slapd: refreshDeletes TRUE, nothing deleted
    EXPECT_FALSE(again.result.cookie);         // keep the old one
}

TEST_P(SyncreplTest, RefreshWithTheCookieSeesExactlyTheChanges) {
    auto first = refresh(std::nullopt);
    ASSERT_TRUE(first.result.cookie);
    std::set<std::string> content(first.result.present.begin(), first.result.present.end());

    const std::string modified = uuid_of(person_dn(2));
    const std::string deleted = uuid_of(person_dn(3));
    const std::string renamed = uuid_of(person_dn(4));
    const std::string moved_out = uuid_of(person_dn(5));
    const std::string filtered_out = uuid_of(person_dn(6));

    entry added;
    added.dn = "uid=newcomer,ou=Bulk,dc=example,dc=com";
    added.attributes["objectClass"] = {"inetOrgPerson"};
    added.attributes["uid"] = {"newcomer"};
    added.attributes["cn"] = {"New Comer"};
    added.attributes["sn"] = {"Comer"};
    added.attributes["mail"] = {"newcomer@example.com"};
    write_ok(admin().add(added));
    const std::vector<modification> mail{{modification::operation::replace, "mail", {"changed@example.com"}}};
    write_ok(admin().modify(person_dn(2), mail));
    write_ok(admin().remove(person_dn(3)));
    write_ok(admin().rename(person_dn(4), "uid=renamed"));
    write_ok(admin().rename(person_dn(5), "uid=person00005", "ou=Services,dc=example,dc=com"));
    const std::vector<modification> gone{{modification::operation::add, "description", {"gone"}}};
    write_ok(admin().modify(person_dn(6), gone));
    const std::string added_uuid = uuid_of(added.dn);

    auto second = refresh(first.result.cookie);
    EXPECT_FALSE(second.result.refresh_required);
    ASSERT_TRUE(second.result.cookie);
    EXPECT_NE(*second.result.cookie, *first.result.cookie);

    // Exactly the entries added or changed within the content.
    std::set<std::string> changed;
    for (const auto& [uuid, e] : second.changed) changed.insert(uuid);
    EXPECT_EQ(changed, (std::set<std::string>{added_uuid, modified, renamed}));
    ASSERT_TRUE(second.changed.count(modified));
    EXPECT_EQ(second.changed.at(modified).first("mail"), "changed@example.com");
    ASSERT_TRUE(second.changed.count(renamed));
    EXPECT_EQ(second.changed.at(renamed).dn, "uid=renamed,ou=Bulk,dc=example,dc=com");
    ASSERT_TRUE(second.changed.count(added_uuid));
    EXPECT_EQ(second.changed.at(added_uuid).first("uid"), "newcomer");

    // What left the content: deleted, moved out of the base, no longer matching the filter.
    const std::set<std::string> left{deleted, moved_out, filtered_out};
    std::set<std::string> inferred;
    if (with_session_log()) {
        // The session log covers the cookie: delete UUIDs, no present phase.
        EXPECT_FALSE(second.result.present_phase);
        inferred.insert(second.result.deleted.begin(), second.result.deleted.end());
    } else {
        // No session log: a present phase; deletes are what the caller had and was not named.
        EXPECT_TRUE(second.result.present_phase);
        EXPECT_TRUE(second.result.deleted.empty());
        EXPECT_EQ(second.result.present.size(), people - 3 + 1);
        for (const auto& uuid : content)
            if (!std::binary_search(second.result.present.begin(), second.result.present.end(), uuid))
                inferred.insert(uuid);
    }
    EXPECT_EQ(inferred, left);

    // And the cookie moved on: nothing new since.
    auto third = refresh(second.result.cookie);
    EXPECT_EQ(third.result.changed, 0u);
    EXPECT_TRUE(third.result.deleted.empty());
    EXPECT_FALSE(third.result.present_phase);
}

TEST_P(SyncreplTest, AStaleCookieAsksForAFullRefresh) {
    // A cookie older than every entry: slapd cannot tell what changed since.
    const std::string stale = "rid=000,csn=20000101000000.000000Z#000000#000#000000";
    auto r = refresh(stale);
    EXPECT_TRUE(r.result.refresh_required);
    EXPECT_EQ(r.result.changed, 0u);
    EXPECT_FALSE(r.result.cookie);

    // With the reload hint the server sends the whole content instead, ending with a present phase.
    auto reloaded = refresh(stale, true);
    EXPECT_FALSE(reloaded.result.refresh_required);
    EXPECT_EQ(reloaded.result.changed, people);
    EXPECT_TRUE(reloaded.result.present_phase);
    EXPECT_EQ(reloaded.result.present.size(), people);
    EXPECT_TRUE(reloaded.result.cookie);
}

TEST_P(SyncreplTest, AServerThatStopsAnsweringIsATimeoutNotAShortRefresh) {
    auto settings = reader_settings();
    settings.operation_timeout = std::chrono::milliseconds(500);
    connect_or_fail(make_client(std::move(settings)));
    slapd_->suspend();
    sync_refresh_request request;
    request.search.base = bulk_base;
    request.search.filter = content_filter;
    auto r = run(sync_refresh(*client_, std::move(request), nullptr));
    slapd_->resume();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::timeout) << r.error().message;
}

TEST_P(SyncreplTest, AFilterErrorIsReported) {
    sync_refresh_request request;
    request.search.base = bulk_base;
    request.search.filter = "(uid=unbalanced";
    auto r = run(sync_refresh(reader(), std::move(request), nullptr));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::settings) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(SessionLog, SyncreplTest, ::testing::Values(std::size_t{0}, std::size_t{100}),
                         [](const auto& info) {
                             return info.param > 0 ? std::string("WithSessionLog")
                                                   : std::string("PresentPhase");
                         });

/// The reader may read 100 entries per search; the content has 300.
class SyncreplSizeLimitTest : public ClientTest {
  protected:
    testing::slapd_options server_options() const override {
        testing::slapd_options o;
        o.bulk_people = people;
        o.size_limit = 100;
        return o;
    }
};

TEST_F(SyncreplSizeLimitTest, TheSizeLimitFailsTheRefreshInsteadOfCuttingItShort) {
    auto s = reader_settings();
    s.page_size = 30;
    connect_or_fail(make_client(std::move(s)));
    sync_refresh_request request;
    request.search.base = bulk_base;
    request.search.filter = content_filter;
    std::size_t seen = 0;
    auto r = run(sync_refresh(*client_, std::move(request), [&](entry&&, const std::string&) { ++seen; }));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::search) << r.error().message;
    EXPECT_EQ(r.error().code, 4) << r.error().message;  // sizeLimitExceeded
    // Whole batches were streamed before the one that ended with the error (which is dropped): the caller
    // must discard what a failed refresh handed it.
    EXPECT_EQ(seen, 90u);
}

/// Where the server cannot synchronize, the critical Sync Request Control makes it refuse the search rather
/// than answer it as a plain one. slapd refuses it on the root DSE, which no database (and no syncprov)
/// holds.
class SyncreplUnsupportedTest : public ClientTest {};

TEST_F(SyncreplUnsupportedTest, RefusedWhereNoSyncproviderRuns) {
    auto s = reader_settings();
    connect_or_fail(make_client(std::move(s)));
    sync_refresh_request request;
    request.search.base = "";  // the root DSE: no database, no syncprov
    request.search.scope = search_scope::base;
    auto r = run(sync_refresh(*client_, std::move(request), nullptr));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::search) << r.error().message;
    EXPECT_EQ(r.error().code, 12) << r.error().message;  // unavailableCriticalExtension
}

}  // namespace
}  // namespace dirsync::ldap::test
