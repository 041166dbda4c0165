// The builder fed on a thread of its own gives the snapshot the builder gives when fed in the read's
// thread, and a failure on its thread reaches the run.
#include "sync/parallel_builder.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "entry_fixture.hpp"
#include "group_source_fixture.hpp"
#include "ldap/entry_record.hpp"

namespace dirsync::sync {
namespace {

using testing::make_entry;

source_mapper corp_mapper() { return testing::group_source_mapper("flatten"); }

std::string uuid(int n) { return testing::test_uuid(n); }

std::string udn(int n) { return "uid=user" + std::to_string(n) + ",ou=people,dc=example,dc=com"; }

std::unique_ptr<source_record> user(int n) {
    return std::make_unique<ldap::entry_record>(make_entry(udn(n), {{"uid", {"user" + std::to_string(n)}},
                                                                    {"title", {"T" + std::to_string(n % 7)}},
                                                                    {"entryUUID", {uuid(n)}}}));
}

std::unique_ptr<source_record> group(int n, std::vector<std::string> members) {
    auto e = make_entry("cn=g" + std::to_string(n) + ",ou=groups,dc=example,dc=com",
                        {{"cn", {"g" + std::to_string(n)}}, {"entryUUID", {uuid(1'000'000 + n)}}});
    e.attributes["member"] = std::move(members);
    return std::make_unique<ldap::entry_record>(std::move(e));
}

/// Users 1..n, and a group of every tenth user after each 1,000 users; one entry without a uid.
template <class Add>
void feed(int n, Add&& add) {
    for (int i = 1; i <= n; ++i) {
        add(user(i), false);
        if (i % 1000 == 0) {
            std::vector<std::string> members;
            for (int m = i - 999; m <= i; m += 10) members.push_back(udn(m));
            add(group(i / 1000, std::move(members)), true);
        }
    }
    add(std::make_unique<ldap::entry_record>(make_entry(udn(0), {{"entryUUID", {uuid(0)}}})), false);
}

TEST(ParallelBuilder, BuildsTheSnapshotTheReadsThreadWouldBuild) {
    auto mapper = corp_mapper();
    snapshot_builder direct(mapper, true);
    feed(5000, [&](std::unique_ptr<source_record> r, bool is_group) {
        is_group ? direct.add_group(*r) : direct.add_user(*r);
    });
    auto expected = direct.finish();

    snapshot_builder b(mapper, true);
    std::size_t hooked = 0;
    std::thread::id hook_thread;
    {
        parallel_builder feeder(b, [&](snapshot_builder&) {
            ++hooked;
            hook_thread = std::this_thread::get_id();
        });
        feed(5000, [&](std::unique_ptr<source_record> r, bool is_group) {
            is_group ? feeder.add_group(std::move(r)) : feeder.add_user(std::move(r));
        });
        feeder.finish();
    }
    auto got = b.finish();
    EXPECT_EQ(hooked, 5001u);  // after each user record (the skipped one too), on the builder's thread
    EXPECT_NE(hook_thread, std::this_thread::get_id());
    ASSERT_EQ(got.users.size(), expected.users.size());
    for (std::size_t i = 0; i < got.users.size(); ++i) {
        EXPECT_EQ(got.users[i].anchor, expected.users[i].anchor);
        EXPECT_EQ(got.users[i].text, expected.users[i].text);
    }
    ASSERT_EQ(got.groups.size(), 5u);
    for (std::size_t i = 0; i < got.groups.size(); ++i)
        EXPECT_EQ(got.groups[i].member_user_anchors, expected.groups[i].member_user_anchors);
    EXPECT_EQ(got.skipped, expected.skipped);
    ASSERT_EQ(got.skipped.size(), 1u);
}

TEST(ParallelBuilder, AFailureOnTheBuildersThreadReachesFinish) {
    auto mapper = corp_mapper();
    snapshot_builder b(mapper, true);
    std::size_t hooked = 0;
    parallel_builder feeder(b, [&](snapshot_builder&) {
        if (++hooked == 300) throw std::runtime_error("the hook failed");
    });
    // Far more than the queue holds: the reader is not left waiting for a builder that stopped.
    for (int i = 1; i <= 20'000; ++i) feeder.add_user(user(i));
    EXPECT_THROW(
        {
            try {
                feeder.finish();
            } catch (const std::runtime_error& e) {
                EXPECT_STREQ(e.what(), "the hook failed");
                throw;
            }
        },
        std::runtime_error);
    EXPECT_EQ(hooked, 300u);  // nothing after the failure
}

TEST(ParallelBuilder, DestroyedBeforeFinishStopsItsThread) {
    auto mapper = corp_mapper();
    snapshot_builder b(mapper, true);
    {
        parallel_builder feeder(b);
        for (int i = 1; i <= 3000; ++i) feeder.add_user(user(i));
        // The read failed here: the feeder goes without finish().
    }
    SUCCEED();
}

}  // namespace
}  // namespace dirsync::sync
