#include "console/session_store.hpp"

#include <gtest/gtest.h>

namespace dirsync::console {
namespace {

using namespace std::chrono_literals;

class SessionStoreTest : public ::testing::Test {
  protected:
    std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
    session_store store{30min, 8h, 3, [this] { return now; }};

    session admin() {
        session s;
        s.token = "secret";
        s.who = http::principal::operator_admin();
        return s;
    }
};

TEST_F(SessionStoreTest, OpensWithFreshRandomIdsAndCsrfTokens) {
    const auto a = store.open(admin());
    const auto b = store.open(admin());
    EXPECT_EQ(a.size(), 64u);
    EXPECT_NE(a, b);
    auto sa = store.use(a), sb = store.use(b);
    ASSERT_TRUE(sa && sb);
    EXPECT_EQ(sa->token, "secret");
    EXPECT_EQ(sa->csrf.size(), 64u);
    EXPECT_NE(sa->csrf, sb->csrf);
    EXPECT_NE(sa->csrf, a);
    EXPECT_FALSE(store.use("0123"));
    EXPECT_FALSE(store.use(""));
}

TEST_F(SessionStoreTest, EndsAfterIdleTimeButUseKeepsItAlive) {
    const auto id = store.open(admin());
    now += 29min;
    EXPECT_TRUE(store.use(id));
    now += 29min;
    EXPECT_TRUE(store.use(id));
    now += 30min;
    EXPECT_FALSE(store.use(id));
    EXPECT_EQ(store.size(), 0u);
}

TEST_F(SessionStoreTest, EndsAtTheAbsoluteTimeoutWhateverItDid) {
    const auto id = store.open(admin());
    for (int i = 0; i < 8 * 3 - 1; ++i) {
        now += 20min;
        ASSERT_TRUE(store.use(id)) << i;
    }
    now += 20min;
    EXPECT_FALSE(store.use(id));
}

TEST_F(SessionStoreTest, CloseEndsOnlyThatSession) {
    const auto a = store.open(admin());
    const auto b = store.open(admin());
    store.close(a);
    store.close("unknown");
    EXPECT_FALSE(store.use(a));
    EXPECT_TRUE(store.use(b));
}

TEST_F(SessionStoreTest, AFullStoreEndsTheSessionIdleLongest) {
    const auto a = store.open(admin());
    now += 1min;
    const auto b = store.open(admin());
    now += 1min;
    const auto c = store.open(admin());
    now += 1min;
    ASSERT_TRUE(store.use(a));  // a is now the most recent; b idles longest
    const auto d = store.open(admin());
    EXPECT_EQ(store.size(), 3u);
    EXPECT_TRUE(store.use(a));
    EXPECT_FALSE(store.use(b));
    EXPECT_TRUE(store.use(c));
    EXPECT_TRUE(store.use(d));
}

TEST_F(SessionStoreTest, ANoticeIsShownOnce) {
    const auto id = store.open(admin());
    store.set_flash(id, "first");
    store.set_flash(id, "User ann disabled.");
    EXPECT_EQ(store.take_flash(id), "User ann disabled.");
    EXPECT_EQ(store.take_flash(id), "");
    store.set_flash("unknown", "x");
    EXPECT_EQ(store.take_flash("unknown"), "");
}

}  // namespace
}  // namespace dirsync::console
