#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "directory/directory.hpp"
#include "store/database.hpp"
#include "store/user_password.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::directory {
namespace {

using json = nlohmann::json;

class PasswordHashTest : public ::testing::Test {
  protected:
    testing::temp_dir dir_;
    store::database db_{testing::test_store(dir_, "d.db")};
    tenant_directory dir{db_};
    actor who{"scim-token", "0123abcd"};

    void SetUp() override {
        dir.configure_tenants({{"acme", "Acme", std::nullopt}, {"globex", "Globex", std::nullopt}});
    }

    static user_write person(std::string user_name) {
        user_write w;
        w.resource =
            json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", user_name}};
        return w;
    }

    std::optional<std::string> stored(std::string_view tenant, std::string_view id) {
        return db_.read([&](store::connection& c) { return store::user_password::get(c, tenant, id); });
    }

    result<user> modify(std::string_view id, std::optional<std::optional<std::string>> hash) {
        return dir.modify_user(who, "acme", id, [&](const user& current) -> result<user_write> {
            user_write w;
            w.resource = current.resource;
            w.password_hash = hash;
            return w;
        });
    }
};

TEST_F(PasswordHashTest, CreateStoresTheHashAndNothingElseShowsIt) {
    auto w = person("bjensen");
    w.password_hash = std::optional<std::string>("$scrypt$ln=15,r=8,p=1$c2FsdA$a2V5");
    auto u = dir.create_user(who, "acme", std::move(w));
    ASSERT_TRUE(u);
    EXPECT_EQ(stored("acme", u->id), "$scrypt$ln=15,r=8,p=1$c2FsdA$a2V5");
    EXPECT_EQ(stored("globex", u->id), std::nullopt);  // scoped by tenant
    EXPECT_FALSE(u->resource.contains("password"));
    auto read = dir.get_user("acme", u->id);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->resource.dump().find("scrypt"), std::string::npos);
    auto events = dir.audit_log("acme", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].summary["password"], "set");
    EXPECT_EQ(events[0].summary.dump().find("scrypt"), std::string::npos);
}

TEST_F(PasswordHashTest, CreateWithoutOneStoresNull) {
    auto u = dir.create_user(who, "acme", person("bjensen"));
    ASSERT_TRUE(u);
    EXPECT_EQ(stored("acme", u->id), std::nullopt);
}

TEST_F(PasswordHashTest, ModifyKeepsReplacesOrClearsIt) {
    auto w = person("bjensen");
    w.password_hash = std::optional<std::string>("$scrypt$one");
    auto u = dir.create_user(who, "acme", std::move(w));
    ASSERT_TRUE(u);

    auto unchanged = modify(u->id, std::nullopt);  // absent: unchanged, and nothing else changed either
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(unchanged->version, 1);
    EXPECT_EQ(stored("acme", u->id), "$scrypt$one");

    auto replaced = modify(u->id, std::optional<std::string>("$scrypt$two"));  // a password change alone
    ASSERT_TRUE(replaced);
    EXPECT_EQ(replaced->version, 2);
    EXPECT_EQ(stored("acme", u->id), "$scrypt$two");
    auto events = dir.audit_log("acme", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].action, "user.update");
    EXPECT_EQ(events[0].summary["changed"], json::array({"password"}));
    EXPECT_EQ(events[0].summary.dump().find("scrypt"), std::string::npos);

    auto cleared = modify(u->id, std::optional<std::string>());
    ASSERT_TRUE(cleared);
    EXPECT_EQ(cleared->version, 3);
    EXPECT_EQ(stored("acme", u->id), std::nullopt);

    auto cleared_again = modify(u->id, std::optional<std::string>());  // nothing stored: no change
    ASSERT_TRUE(cleared_again);
    EXPECT_EQ(cleared_again->version, 3);
}

TEST_F(PasswordHashTest, AFailedModifyLeavesTheOldHash) {
    auto w = person("bjensen");
    w.password_hash = std::optional<std::string>("$scrypt$one");
    auto u = dir.create_user(who, "acme", std::move(w));
    ASSERT_TRUE(u);
    ASSERT_TRUE(dir.create_user(who, "acme", person("taken")));
    auto r = dir.modify_user(who, "acme", u->id, [&](const user&) -> result<user_write> {
        user_write next = person("taken");  // uniqueness violation: nothing is written
        next.password_hash = std::optional<std::string>("$scrypt$two");
        return next;
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(stored("acme", u->id), "$scrypt$one");
}

}  // namespace
}  // namespace dirsync::directory
