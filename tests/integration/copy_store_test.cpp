// Moving an installation from SQLite to PostgreSQL with `dirsyncd copy-store`, end to end: the daemon serves
// on SQLite, stops, the store is copied and verified, and the daemon serves the same records on PostgreSQL.
#include "tests/integration/daemon_fixture.hpp"
#include "tests/support/run_command.hpp"

namespace dirsync::testing {
namespace {

class CopyStoreTest : public DaemonTest {
  protected:
    bool on_postgresql_ = false;

    std::string storage_yaml() const override {
        if (on_postgresql_) return test_store_yaml(dir_, "data/dirsyncd.db");
        return "  sqlite: " + dir_.file("data/dirsyncd.db") + "\n";
    }

    std::pair<int, std::string> copy_store() {
        return run_command(std::string(DIRSYNCD_PATH) + " copy-store --from " +
                           dir_.file("data/dirsyncd.db") + " --config " + dir_.file("dirsyncd.yaml") +
                           " 2>&1");
    }
};

TEST_F(CopyStoreTest, TheDaemonServesTheSameRecordsAfterTheMove) {
    std::vector<std::string> ids;
    for (const char* name : {"moved-a", "moved-b", "moved-c", "moved-d"})
        ids.push_back(create_user(globex_token, name));
    ASSERT_EQ(daemon_->stop(), 0);

    on_postgresql_ = true;
    write_config();
    auto [status, output] = copy_store();
    ASSERT_EQ(status, 0) << output;
    EXPECT_NE(output.find("every table verified"), std::string::npos) << output;
    EXPECT_NE(output.find("users\t4\t"), std::string::npos) << output;

    daemon_->start();
    for (const auto& id : ids) {
        auto r = call(globex_token, "GET", "/scim/v2/Users/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
    }
    // globex's seats came along: three taken, the fourth user still waits; a new user waits too.
    auto r = call(globex_token, "POST", "/scim/v2/Users", user_json("after-the-move").dump());
    ASSERT_EQ(r.status, 201) << r.body;
    auto list = parse(call(globex_token, "GET", "/scim/v2/Users?count=10"));
    EXPECT_EQ(list["totalResults"], 5);

    // A second copy finds records there and changes nothing.
    auto [again, refusal] = copy_store();
    EXPECT_EQ(again, 1) << refusal;
    EXPECT_NE(refusal.find("not empty"), std::string::npos) << refusal;
    EXPECT_EQ(parse(call(globex_token, "GET", "/scim/v2/Users?count=10"))["totalResults"], 5);
}

TEST_F(CopyStoreTest, ACopyWithoutAPostgresqlTargetIsAUsageError) {
    auto [status, output] = copy_store();  // the configuration still names the SQLite file
    EXPECT_EQ(status, 2) << output;
    EXPECT_NE(output.find("has no storage.postgresql"), std::string::npos) << output;
}

}  // namespace
}  // namespace dirsync::testing
