// Run history, releases and incremental state, on a real SQLite file.
#include "sync/run_log.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::sync {
namespace {

using json = nlohmann::json;

class RunLogTest : public ::testing::Test {
  protected:
    testing::temp_dir tmp_;
    std::unique_ptr<store::database> db_ = std::make_unique<store::database>(tmp_.file("d.db"));
    std::unique_ptr<run_log> log_ = std::make_unique<run_log>(*db_);
    common::timestamp t0 = common::from_epoch_ms(1'800'000'000'000);

    void reopen() {
        log_.reset();
        db_ = std::make_unique<store::database>(tmp_.file("d.db"));
        log_ = std::make_unique<run_log>(*db_);
    }

    /// A finished run of `source`.
    std::int64_t run(const std::string& source, run_status status, std::size_t orphans_planned = 0,
                     bool dry_run = false) {
        auto id = log_->start_run(source, "acme", "schedule", run_mode::full, dry_run, t0);
        json counts{{"read", 10}, {"orphans_planned", orphans_planned}};
        std::optional<std::string> reason;
        if (status == run_status::blocked)
            reason = "would orphan " + std::to_string(orphans_planned) + " records";
        log_->finish_run(id, status, counts, reason, {}, t0 + std::chrono::seconds(5));
        return id;
    }
};

TEST_F(RunLogTest, RunsAreRecordedAndListedNewestFirst) {
    auto a = log_->start_run("corp", "acme", "manual", run_mode::incremental, true, t0);
    auto running = log_->get_run(a);
    ASSERT_TRUE(running);
    EXPECT_EQ(running->status, run_status::running);
    EXPECT_FALSE(running->ended);
    EXPECT_EQ(running->mode, run_mode::incremental);
    EXPECT_TRUE(running->dry_run);
    EXPECT_EQ(running->trigger, "manual");

    log_->finish_run(a, run_status::failed, json{{"read", 0}}, std::nullopt, {"ldap: connection refused"},
                     t0 + std::chrono::seconds(2));
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
    log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0);  // running
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
    auto a = log_->start_run("corp", "acme", "schedule", run_mode::full, false, t0);
    auto b = log_->start_run("hr", "acme", "manual", run_mode::incremental, false, t0);
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
