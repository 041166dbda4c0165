#include <string>
#include <vector>

#include "client_fixture.hpp"

namespace dirsync::ldap::test {
namespace {

constexpr const char* dn = "uid=writer,ou=Services,dc=example,dc=com";

class WriteTest : public ClientTest {
  protected:
    client& admin() {
        auto s = reader_settings();
        s.bind_dn = testing::slapd_server::admin_dn;
        s.bind_password = secret(testing::slapd_server::admin_password);
        auto& c = make_client(std::move(s));
        connect_or_fail(c);
        return c;
    }

    static entry person() {
        entry e;
        e.dn = dn;
        e.attributes["objectClass"] = {"inetOrgPerson"};
        e.attributes["uid"] = {"writer"};
        e.attributes["cn"] = {"Writer"};
        e.attributes["sn"] = {"Writer"};
        e.attributes["jpegPhoto"] = {std::string("\x00\xff\x01", 3)};
        return e;
    }
};

TEST_F(WriteTest, AddModifyRenameDelete) {
    auto& c = admin();
    auto added = run(c.add(person()));
    ASSERT_TRUE(added) << added.error().message;
    auto read = run(c.read(dn));
    ASSERT_TRUE(read && *read);
    EXPECT_EQ((*read)->first("cn"), "Writer");
    EXPECT_EQ((*read)->first("jpegPhoto"), std::string("\x00\xff\x01", 3));

    const std::vector<modification> changes{
        {modification::operation::add, "mail", {"a@example.com", "b@example.com"}},
        {modification::operation::replace, "cn", {"Writer Two"}},
        {modification::operation::remove, "mail", {"a@example.com"}},
        {modification::operation::remove, "jpegPhoto", {}},
    };
    auto modified = run(c.modify(dn, changes));
    ASSERT_TRUE(modified) << modified.error().message;
    read = run(c.read(dn));
    ASSERT_TRUE(read && *read);
    EXPECT_EQ((*read)->first("cn"), "Writer Two");
    ASSERT_NE((*read)->find("mail"), nullptr);
    EXPECT_EQ(*(*read)->find("mail"), std::vector<std::string>{"b@example.com"});
    EXPECT_EQ((*read)->find("jpegPhoto"), nullptr);

    auto renamed = run(c.rename(dn, "uid=scribe", "ou=Groups,dc=example,dc=com"));
    ASSERT_TRUE(renamed) << renamed.error().message;
    EXPECT_FALSE(*run(c.read(dn)));
    const std::string moved = "uid=scribe,ou=Groups,dc=example,dc=com";
    read = run(c.read(moved, {"uid"}));
    ASSERT_TRUE(read && *read);
    EXPECT_EQ(*(*read)->find("uid"), std::vector<std::string>{"scribe"});  // the old RDN value went

    auto removed = run(c.remove(moved));
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_FALSE(*run(c.read(moved)));
}

TEST_F(WriteTest, RefusalsCarryTheServerCode) {
    auto& c = admin();
    ASSERT_TRUE(run(c.add(person())));
    auto twice = run(c.add(person()));
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().kind, error_kind::update);
    EXPECT_EQ(twice.error().code, 68);  // entryAlreadyExists
    EXPECT_NE(twice.error().message.find(dn), std::string::npos) << twice.error().message;

    const std::vector<modification> changes{{modification::operation::replace, "cn", {"x"}}};
    auto missing = run(c.modify("uid=nobody,ou=Services,dc=example,dc=com", changes));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, 32);  // noSuchObject

    auto non_leaf = run(c.remove("ou=Services,dc=example,dc=com"));
    ASSERT_FALSE(non_leaf);
    EXPECT_EQ(non_leaf.error().code, 66);  // notAllowedOnNonLeaf
}

TEST_F(WriteTest, TheReaderMayNotWrite) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    auto denied = run(c.add(person()));
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().kind, error_kind::update);
    EXPECT_EQ(denied.error().code, 50);  // insufficientAccessRights
}

TEST_F(WriteTest, NotConnectedIsAnError) {
    auto& c = make_client(reader_settings());
    auto r = run(c.remove(dn));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, error_kind::disconnected);
}

}  // namespace
}  // namespace dirsync::ldap::test
