// Run history, releases and incremental state, on a real SQLite file.
#include "sync/run_log.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "common/instance.hpp"
#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_store.hpp"

namespace dirsync::sync {
namespace {

using json = nlohmann::json;

class RunLogTest : public ::testing::Test {
  protected:
    testing::temp_dir tmp_;
    std::unique_ptr<store::database> db_ =
        std::make_unique<store::database>(testing::test_store(tmp_, "d.db"));
    std::unique_ptr<run_log> log_ = std::make_unique<run_log>(*db_);
    common::timestamp t0 = common::from_epoch_ms(1'800'000'000'000);

    void reopen() {
        log_.reset();
        db_ = std::make_unique<store::database>(testing::test_store(tmp_, "d.db"));
        log_ = std::make_unique<run_log>(*db_);
    }

    /// The id of a run that started; a test failure when it did not.
    static std::int64_t started(const boost::system::result<std::int64_t, source_busy>& r) {
        EXPECT_TRUE(r) << (r ? std::string() : r.error().message);
        return r ? *r : 0;
    }

    /// A finished run of `source`.
    std::int64_t run(const std::string& source, run_status status, std::size_t orphans_planned = 0,
                     bool dry_run = false) {
        auto id = started(log_->start_run(source, "acme", "schedule", run_mode::full, dry_run, t0));
        json counts{{"read", 10}, {"orphans_planned", orphans_planned}};
        std::optional<std::string> reason;
        if (status == run_status::blocked)
            reason = "would orphan " + std::to_string(orphans_planned) + " records";
        log_->finish_run(id, status, counts, reason, {}, std::nullopt, t0 + std::chrono::seconds(5));
        return id;
    }
};

TEST_F(RunLogTest, RunsAreRecordedAndListedNewestFirst) {
    auto a = started(log_->start_run("corp", "acme", "manual", run_mode::incremental, true, t0));
    auto running = log_->get_run(a);
    ASSERT_TRUE(running);
    EXPECT_EQ(running->status, run_status::running);
    EXPECT_FALSE(running->ended);
    EXPECT_EQ(running->mode, run_mode::incremental);
    EXPECT_TRUE(running->dry_run);
    EXPECT_EQ(running->trigger, "manual");

    log_->finish_run(a, run_status::failed, json{{"read", 0}}, std::nullopt, {"ldap: connection refused"},
                     std::nullopt, t0 + std::chrono::seconds(2));
    auto b = run("hr", run_status::ok);
    auto c = run("corp", run_status::blocked, 900);
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);

    auto all = log_->list_runs("", 10);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, c);
    EXPECT_EQ(all[2].id, a);
    auto corp = log_->list_runs("corp", 10);
    ASSERT_EQ(corp.size(), 2u);
    EXPECT_EQ(corp[0].id, c);
    EXPECT_EQ(corp[1].id, a);
    EXPECT_EQ(log_->list_runs("corp", 1).size(), 1u);
    EXPECT_TRUE(log_->list_runs("nobody", 10).empty());
    EXPECT_FALSE(log_->get_run(999));

    auto failed = log_->get_run(a);
    EXPECT_EQ(failed->status, run_status::failed);
    EXPECT_EQ(failed->ended, t0 + std::chrono::seconds(2));
    EXPECT_EQ(failed->errors, std::vector<std::string>{"ldap: connection refused"});

    auto j = to_json(*log_->get_run(c));
    EXPECT_EQ(j["id"], c);
    EXPECT_EQ(j["source"], "corp");
    EXPECT_EQ(j["tenant"], "acme");
    EXPECT_EQ(j["mode"], "full");
    EXPECT_EQ(j["dry_run"], false);
    EXPECT_EQ(j["status"], "blocked");
    EXPECT_EQ(j["started"], common::format_rfc3339(t0));
    EXPECT_EQ(j["counts"]["orphans_planned"], 900);
    EXPECT_EQ(j["blocked_reason"], "would orphan 900 records");
    EXPECT_EQ(j["errors"], json::array());
    EXPECT_EQ(j["released_by"], nullptr);
    EXPECT_EQ(j["released"], nullptr);
}

TEST_F(RunLogTest, OnlyTheLatestBlockedRunCanBeReleased) {
    auto ok = run("corp", run_status::ok);
    auto older = run("corp", run_status::blocked, 5);
    auto latest = run("corp", run_status::blocked, 7);
    auto dry = run("corp", run_status::blocked, 9, true);
    auto other = run("hr", run_status::blocked, 1);

    struct refusal_case {
        const char* name;
        std::string source;
        std::int64_t id;
        release_error::code code;
    };
    const refusal_case refusals[] = {
        {"unknown run", "corp", 999, release_error::code::not_found},
        {"another source's run", "corp", other, release_error::code::not_found},
        {"unknown source", "nobody", latest, release_error::code::not_found},
        {"a run that was not blocked", "corp", ok, release_error::code::not_latest},
        {"an older blocked run", "corp", older, release_error::code::not_latest},
        {"a dry run", "corp", dry, release_error::code::not_latest},
    };
    for (const auto& c : refusals) {
        auto r = log_->release(c.source, c.id, "admin:ops", t0);
        ASSERT_FALSE(r) << c.name;
        EXPECT_EQ(r.error().what, c.code) << c.name;
        EXPECT_FALSE(r.error().message.empty()) << c.name;
    }
    EXPECT_FALSE(log_->allowance("corp"));

    auto released = log_->release("corp", latest, "admin:ops", t0 + std::chrono::minutes(1));
    ASSERT_TRUE(released) << released.error().message;
    EXPECT_EQ(released->released_by, "admin:ops");
    EXPECT_EQ(released->released, t0 + std::chrono::minutes(1));
    // Again: no change, still the first release.
    auto again = log_->release("corp", latest, "admin:someone-else", t0 + std::chrono::minutes(2));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->released_by, "admin:ops");
    EXPECT_EQ(log_->get_run(latest)->released_by, "admin:ops");

    auto allowance = log_->allowance("corp");
    ASSERT_TRUE(allowance);
    EXPECT_EQ(allowance->run_id, latest);
    EXPECT_EQ(allowance->orphans, 7u);
    EXPECT_FALSE(log_->allowance("hr"));
}

TEST_F(RunLogTest, AnAllowanceLastsUntilTheNextRunFinishes) {
    auto blocked = run("corp", run_status::blocked, 40);
    ASSERT_TRUE(log_->release("corp", blocked, "admin:ops", t0));
    ASSERT_TRUE(log_->allowance("corp"));

    run("corp", run_status::ok, 0, true);  // a dry run does not use it
    ASSERT_TRUE(log_->allowance("corp"));
    run("corp", run_status::failed);  // nor does a run that failed to read
    ASSERT_TRUE(log_->allowance("corp"));
    run("hr", run_status::ok);  // nor another source's run
    ASSERT_TRUE(log_->allowance("corp"));
    // A run left running by a process that stopped renewing its lease an hour ago.
    ASSERT_TRUE(
        log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0 - std::chrono::hours(1)));
    ASSERT_TRUE(log_->allowance("corp"));

    run("corp", run_status::ok, 40);
    EXPECT_FALSE(log_->allowance("corp"));

    // A later run that is blocked again also ends it: the admin judges the new run.
    auto second = run("corp", run_status::blocked, 50);
    ASSERT_TRUE(log_->release("corp", second, "admin:ops", t0));
    run("corp", run_status::blocked, 60);
    EXPECT_FALSE(log_->allowance("corp"));
}

TEST_F(RunLogTest, RunsInterruptedByACrashAreMarkedFailed) {
    auto done = run("corp", run_status::ok);
    auto a = started(log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0));
    auto b = started(log_->start_run("hr", "acme", "manual", run_mode::incremental, false, t0));
    reopen();
    EXPECT_EQ(log_->fail_interrupted(t0 + std::chrono::hours(1)), 2);
    for (auto id : {a, b}) {
        auto r = log_->get_run(id);
        EXPECT_EQ(r->status, run_status::failed);
        EXPECT_EQ(r->ended, t0 + std::chrono::hours(1));
        EXPECT_EQ(r->errors, std::vector<std::string>{"interrupted"});
    }
    EXPECT_EQ(log_->get_run(done)->status, run_status::ok);
    EXPECT_EQ(log_->fail_interrupted(t0), 0);
}

TEST_F(RunLogTest, OneRunPerSourceWhoeverStartsIt) {
    run_log other(*db_, "elsewhere.example:4242");  // another instance on the same store
    auto a = other.start_run("corp", "acme", "cli", run_mode::full, false, t0);
    ASSERT_TRUE(a);
    auto busy =
        log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0 + std::chrono::seconds(1));
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().holder, "elsewhere.example:4242");
    EXPECT_EQ(busy.error().run_id, *a);
    EXPECT_NE(busy.error().message.find("run " + std::to_string(*a) + " of corp is in progress"),
              std::string::npos)
        << busy.error().message;
    // Another source is free; so is this one in this process's own eyes once the run ends.
    EXPECT_TRUE(log_->start_run("hr", "acme", "schedule", run_mode::full, false, t0));
    // A daemon starting meanwhile leaves the run alone: its lease is held.
    EXPECT_EQ(log_->fail_interrupted(t0 + std::chrono::seconds(2)), 0);
    EXPECT_EQ(log_->get_run(*a)->status, run_status::running);
    EXPECT_EQ(log_->get_run(*a)->holder, "elsewhere.example:4242");

    // Renewed, the lease outlives its first expiry.
    EXPECT_TRUE(other.renew("corp", *a, t0 + std::chrono::seconds(50)));
    EXPECT_FALSE(
        log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0 + std::chrono::seconds(90)));
    other.finish_run(*a, run_status::ok, json::object(), std::nullopt, {}, std::nullopt,
                     t0 + std::chrono::seconds(95));
    auto b =
        log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0 + std::chrono::seconds(96));
    ASSERT_TRUE(b);
    EXPECT_EQ(log_->get_run(*a)->status, run_status::ok);
    EXPECT_EQ(log_->get_run(*b)->holder, common::instance_name());
    // The finished run's holder cannot renew what it no longer holds.
    EXPECT_FALSE(other.renew("corp", *a, t0 + std::chrono::seconds(97)));
}

TEST_F(RunLogTest, ALeaseNotRenewedExpiresAndItsRunIsMarkedInterrupted) {
    run_log other(*db_, "elsewhere.example:4242");
    auto a = started(other.start_run("corp", "acme", "cli", run_mode::full, false, t0));
    auto b = log_->start_run("corp", "acme", "schedule", run_mode::full, false,
                             t0 + run_log::lease_time + std::chrono::seconds(1));
    ASSERT_TRUE(b);
    auto stale = log_->get_run(a);
    EXPECT_EQ(stale->status, run_status::failed);
    EXPECT_EQ(stale->errors, std::vector<std::string>{"interrupted"});
    // The stalled holder finds out at its next renewal.
    EXPECT_FALSE(other.renew("corp", a, t0 + run_log::lease_time + std::chrono::seconds(2)));
}

TEST_F(RunLogTest, ALeaseOfAProcessOfThisHostThatEndedIsTakenOverAtOnce) {
    // A process that has ended: a child that exited and was reaped.
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ASSERT_GT(child, 0);
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);
    const std::string host = common::instance_name().substr(0, common::instance_name().rfind(':'));
    run_log crashed(*db_, host + ":" + std::to_string(child));
    auto a = started(crashed.start_run("corp", "acme", "cli", run_mode::full, false, t0));
    EXPECT_EQ(log_->fail_interrupted(t0 + std::chrono::seconds(1)), 1);
    EXPECT_EQ(log_->get_run(a)->status, run_status::failed);
    EXPECT_TRUE(
        log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0 + std::chrono::seconds(1)));
}

TEST_F(RunLogTest, LiveRunsFoldIntoOneContinuousRun) {
    auto live = [&](const std::string& source, json counts, run_status status, int at) {
        auto id = started(log_->start_run(source, "acme", "live", run_mode::incremental, false,
                                          t0 + std::chrono::seconds(at)));
        log_->finish_run(id, status, counts, std::nullopt, {"skipped " + std::to_string(at)}, std::nullopt,
                         t0 + std::chrono::seconds(at + 1));
        return id;
    };
    const auto first = live("corp", json{{"read", 1}, {"created", 1}, {"orphaned", 0}}, run_status::ok, 10);
    EXPECT_EQ(log_->fold_live_run("corp", first), first);  // nothing before it to fold into
    const auto second = live("corp", json{{"read", 2}, {"updated", 2}, {"orphaned", 0}}, run_status::ok, 20);
    EXPECT_EQ(log_->fold_live_run("corp", second), first);
    EXPECT_FALSE(log_->get_run(second));
    auto folded = log_->get_run(first);
    ASSERT_TRUE(folded);
    EXPECT_EQ(folded->counts["read"], 3);
    EXPECT_EQ(folded->counts["created"], 1);
    EXPECT_EQ(folded->counts["updated"], 2);
    EXPECT_EQ(folded->errors, (std::vector<std::string>{"skipped 10", "skipped 20"}));
    EXPECT_EQ(folded->started, t0 + std::chrono::seconds(10));
    EXPECT_EQ(folded->ended, t0 + std::chrono::seconds(21));

    // A run that orphaned stays apart, and so does the next one after it; so does one of another source,
    // one that was not live, and one that did not end ok.
    const auto orphaning = live("corp", json{{"read", 1}, {"orphaned", 1}}, run_status::ok, 30);
    EXPECT_EQ(log_->fold_live_run("corp", orphaning), orphaning);
    const auto after = live("corp", json{{"read", 1}, {"orphaned", 0}}, run_status::ok, 40);
    EXPECT_EQ(log_->fold_live_run("corp", after), after);
    run("corp", run_status::ok);
    const auto after_scheduled = live("corp", json{{"read", 1}}, run_status::ok, 50);
    EXPECT_EQ(log_->fold_live_run("corp", after_scheduled), after_scheduled);
    const auto blocked = live("corp", json{{"read", 1}}, run_status::blocked, 60);
    EXPECT_EQ(log_->fold_live_run("corp", blocked), blocked);
    EXPECT_EQ(log_->fold_live_run("hr", blocked), blocked);
    EXPECT_EQ(log_->list_runs("corp", 50).size(), 6u);
}

TEST_F(RunLogTest, LiveRunsOfAnotherInstanceStayApart) {
    // The watch moved to another instance (its holder died): its live runs start a continuous run of their
    // own.
    run_log other(*db_, "elsewhere.example:4242");
    auto live = [&](run_log& by, int at) {
        auto id = started(by.start_run("corp", "acme", "live", run_mode::incremental, false,
                                       t0 + std::chrono::seconds(at)));
        by.finish_run(id, run_status::ok, json{{"read", 1}, {"orphaned", 0}}, std::nullopt, {}, std::nullopt,
                      t0 + std::chrono::seconds(at + 1));
        return id;
    };
    const auto mine = live(*log_, 10);
    const auto theirs = live(other, 20);
    EXPECT_EQ(other.fold_live_run("corp", theirs), theirs);
    const auto theirs_again = live(other, 30);
    EXPECT_EQ(other.fold_live_run("corp", theirs_again), theirs);
    EXPECT_EQ(log_->get_run(mine)->counts["read"], 1);
    EXPECT_EQ(log_->get_run(theirs)->counts["read"], 2);
    EXPECT_EQ(log_->get_run(theirs)->holder, "elsewhere.example:4242");
}

TEST_F(RunLogTest, ADryRunKeepsItsPlan) {
    auto a = started(log_->start_run("corp", "acme", "manual", run_mode::full, true, t0));
    EXPECT_FALSE(log_->plan(a));
    log_->finish_run(a, run_status::ok, json{{"created", 0}}, std::nullopt, {},
                     json{{"creates", json::array({json{{"dn", "uid=a"}}})}, {"truncated", false}}, t0);
    auto kept = log_->plan(a);
    ASSERT_TRUE(kept);
    EXPECT_EQ((*kept)["creates"][0]["dn"], "uid=a");
    EXPECT_TRUE(log_->get_run(a)->has_plan);
    EXPECT_FALSE(log_->plan(a + 100));
}

TEST_F(RunLogTest, IncrementalStatePersists) {
    EXPECT_FALSE(log_->get_state("corp"));
    source_state s;
    s.tenant = "acme";
    s.state = json{{"cookie", "rid=001,csn=20261122"}};
    log_->put_state("corp", s);
    s.last_full = t0;
    s.state["cookie"] = "rid=001,csn=20261123";
    log_->put_state("corp", s);
    reopen();
    auto got = log_->get_state("corp");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->tenant, "acme");
    EXPECT_EQ(got->last_full, t0);
    EXPECT_EQ(got->state["cookie"], "rid=001,csn=20261123");
    EXPECT_FALSE(log_->get_state("hr"));
}

}  // namespace
}  // namespace dirsync::sync
