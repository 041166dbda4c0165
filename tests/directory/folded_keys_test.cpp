// Keys made by an older folding scheme are recomputed when a directory opens the store; names that now fold
// alike are reported and both records kept.
#include "directory/folded_keys.hpp"

#include <gtest/gtest.h>

#include <string>

#include "directory/directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::directory {
namespace {

/// A store of schema version 5 (keys by the old simple folding) with users named as given.
void make_old_store(const std::string& path, const std::vector<std::pair<std::string, std::string>>& users) {
    store::sqlite_connection c(path, false);
    for (int v = 0; v < 5; ++v) c.exec(store::sqlite_migrations()[static_cast<std::size_t>(v)]);
    c.exec("PRAGMA user_version = 5");
    c.exec("INSERT INTO tenants (id, name, created_ms) VALUES ('acme', 'Acme', 1)");
    int seq = 0;
    for (const auto& [user_name, old_key] : users) {
        const std::string n = std::to_string(++seq);
        store::statement s(
            c,
            "INSERT INTO users (seq, tenant_id, id, user_name, user_name_key, active, status, source, "
            "created_ms, modified_ms, version, resource, status_since_ms) VALUES (?1, 'acme', ?2, "
            "?3, ?4, 1, 'provisioned', 'scim', 1, 1, 1, ?5, 1)");
        s.bind(1, std::int64_t{seq}).bind(2, "id" + n).bind(3, user_name).bind(4, old_key);
        s.bind(5, nlohmann::json{{"userName", user_name},
                                 {"emails", {{{"value", "\uFF21" + n + "@example.com"}}}}}
                      .dump());
        s.step();
    }
}

TEST(FoldedKeys, OldKeysAreRecomputedAndCollisionsReportedWithoutLosingARecord) {
    testing::temp_dir tmp;
    const std::string path = tmp.file("old.db");
    make_old_store(path, {{"ABC", "abc"},
                          {"\uFF21\uFF22\uFF23", "\uFF41\uFF42\uFF43"},  // ＡＢＣ: the old fold kept it apart
                          {"jos\u00E9", "jos\u00E9"},
                          {"jose\u0301", "jose\u0301"},
                          {"solo", "solo"}});
    store::database db(path);
    tenant_directory dir(db);
    const auto& found = dir.key_collisions_at_open();
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].first_id, "id1");
    EXPECT_EQ(found[0].second_id, "id2");
    EXPECT_EQ(found[1].first_id, "id3");
    EXPECT_EQ(found[1].second_id, "id4");
    EXPECT_EQ(dir.count_users("acme"), 5);  // nothing lost
    // The older of each pair is found under every spelling; e-mails are found by their folded form.
    EXPECT_EQ(dir.find_users("acme", user_index::user_name, "abc").at(0).id, "id1");
    EXPECT_EQ(dir.find_users("acme", user_index::user_name, "\uFF41\uFF42\uFF43").at(0).id, "id1");
    EXPECT_EQ(dir.find_users("acme", user_index::user_name, "JOSE\u0301").at(0).id, "id3");
    EXPECT_EQ(dir.find_users("acme", user_index::email, "a5@EXAMPLE.com").at(0).id, "id5");
    // Done once: a second open finds the keys current.
    tenant_directory again(db);
    EXPECT_TRUE(again.key_collisions_at_open().empty());
}

TEST(FoldedKeys, NewNamesThatFoldAlikeAreOneName) {
    testing::temp_dir tmp;
    store::database db(tmp.file("new.db"));
    tenant_directory dir(db);
    dir.configure_tenants({{"acme", "Acme", std::nullopt}});
    const actor who{"scim-token", "0123abcd"};
    const std::pair<const char*, const char*> same[] = {
        {"jos\u00E9", "JOSE\u0301"},
        {"\u039F\u0394\u039F\u03A3", "\u03BF\u03B4\u03BF\u03C2"},
        {"\u01C4x", "\u01C6x"},
        {"\uFF21\uFF22\uFF23", "abc"}};
    for (const auto& [first, second] : same) {
        user_write a;
        a.resource = {{"userName", first}};
        ASSERT_TRUE(dir.create_user(who, "acme", a)) << first;
        user_write b;
        b.resource = {{"userName", second}};
        auto refused = dir.create_user(who, "acme", b);
        ASSERT_FALSE(refused) << second;
        EXPECT_EQ(refused.error().code, error_code::uniqueness) << second;
    }
}

}  // namespace
}  // namespace dirsync::directory
