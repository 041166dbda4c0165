#include <chrono>

#include "client_fixture.hpp"

namespace dirsync::ldap::test {
namespace {

using namespace std::chrono_literals;

TEST_F(ClientTest, ConnectsAndBindsAsTheReader) {
    auto& c = make_client(reader_settings());
    EXPECT_FALSE(c.connected());
    connect_or_fail(c);
    EXPECT_TRUE(c.connected());
    auto who = run(c.who_am_i());
    ASSERT_TRUE(who.has_value()) << who.error().message;
    EXPECT_EQ(*who, "dn:cn=reader,ou=Services,dc=example,dc=com");
}

TEST_F(ClientTest, WrongPasswordIsABindErrorWithCode49) {
    auto s = reader_settings();
    s.bind_password = secret("not-the-password");
    auto& c = make_client(std::move(s));
    auto r = run(c.connect());
    ASSERT_FALSE(r.has_value());
    const error e = r.error();
    EXPECT_EQ(e.kind, error_kind::bind);
    EXPECT_EQ(e.code, 49);
    EXPECT_NE(e.message.find("Invalid credentials (49)"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(testing::slapd_server::reader_dn), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("not-the-password"), std::string::npos) << e.message;
    EXPECT_FALSE(is_connection_error(e));
    EXPECT_FALSE(c.connected());
}

TEST_F(ClientTest, UnknownBindDnIsAlsoCode49) {
    auto s = reader_settings();
    s.bind_dn = "cn=nobody,ou=Services,dc=example,dc=com";
    auto& c = make_client(std::move(s));
    auto r = run(c.connect());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::bind);
    EXPECT_EQ(r.error().code, 49);
}

TEST_F(ClientTest, ClosedPortIsAConnectErrorQuickly) {
    auto s = reader_settings();
    const auto port = slapd_->port();
    slapd_->stop();  // nothing listens there any more
    s.url = "ldap://127.0.0.1:" + std::to_string(port);
    auto& c = make_client(std::move(s));
    const auto start = std::chrono::steady_clock::now();
    auto r = run(c.connect());
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, error_kind::connect) << r.error().message;
    EXPECT_EQ(r.error().code, -1);  // LDAP_SERVER_DOWN: "Can't contact LDAP server"
    EXPECT_NE(r.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
        << r.error().message;
    EXPECT_TRUE(is_connection_error(r.error()));
    EXPECT_LT(took, 1s);
}

TEST_F(ClientTest, UnusableSettingsAreRejectedBeforeConnecting) {
    {
        auto s = reader_settings();
        s.url = slapd_->ldaps_url();
        s.start_tls = true;
        auto& c = make_client(std::move(s));
        auto r = run(c.connect());
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().kind, error_kind::settings) << r.error().message;
    }
    {
        auto s = reader_settings();
        s.bind_dn.clear();
        auto& c = make_client(std::move(s));
        auto r = run(c.connect());
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().kind, error_kind::settings) << r.error().message;
    }
    {
        auto s = reader_settings();
        s.url = "http://127.0.0.1:80";
        auto& c = make_client(std::move(s));
        auto r = run(c.connect());
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().kind, error_kind::settings) << r.error().message;
    }
}

TEST_F(ClientTest, OperationsBeforeConnectFailAsDisconnected) {
    auto& c = make_client(reader_settings());
    auto who = run(c.who_am_i());
    ASSERT_FALSE(who.has_value());
    EXPECT_EQ(who.error().kind, error_kind::disconnected);
    auto cursor = c.search(request(testing::slapd_server::base_dn));
    auto page = run(cursor.next_page());
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().kind, error_kind::disconnected);
    EXPECT_FALSE(cursor.has_more());
}

TEST_F(ClientTest, DisconnectThenConnectAgain) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    run(c.disconnect());
    EXPECT_FALSE(c.connected());
    auto who = run(c.who_am_i());
    ASSERT_FALSE(who.has_value());
    EXPECT_EQ(who.error().kind, error_kind::disconnected);

    connect_or_fail(c);
    EXPECT_TRUE(c.connected());
    who = run(c.who_am_i());
    ASSERT_TRUE(who.has_value()) << who.error().message;
}

TEST_F(ClientTest, ConnectWhileConnectedReplacesTheConnection) {
    auto& c = make_client(reader_settings());
    connect_or_fail(c);
    connect_or_fail(c);
    auto who = run(c.who_am_i());
    ASSERT_TRUE(who.has_value()) << who.error().message;
}

TEST_F(ClientTest, AnonymousBindIsRefusedReadAccess) {
    auto s = reader_settings();
    s.bind = bind_method::anonymous;
    auto& c = make_client(std::move(s));
    connect_or_fail(c);
    auto who = run(c.who_am_i());
    ASSERT_TRUE(who.has_value()) << who.error().message;
    EXPECT_EQ(*who, "");
    // The test directory lets anonymous only bind: the base is invisible.
    auto base = run(c.read(testing::slapd_server::base_dn));
    ASSERT_TRUE(base.has_value()) << base.error().message;
    EXPECT_FALSE(base->has_value());
}

}  // namespace
}  // namespace dirsync::ldap::test
