#pragma once

// The store a test runs on. ctest runs the tests of the store, the directory and what is built on them
// twice: as they are, on an SQLite file in the test's temporary directory; and prefixed `postgresql.`, with
// DIRSYNC_TEST_POSTGRES naming the directory of the private PostgreSQL cluster that
// tests/support/postgres_cluster.sh started for the run (a ctest fixture). Then each (directory, name) a
// test asks for is a database of its own in that cluster, created empty at first use and dropped when the
// process ends; asking again for the same (directory, name) reopens it, as reopening a file would.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "store/location.hpp"
#include "store/postgresql.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::testing {

/// The directory of the cluster the run started, or empty: the tests run on SQLite.
inline std::string postgres_cluster_directory() {
    const char* dir = std::getenv("DIRSYNC_TEST_POSTGRES");
    return dir ? dir : "";
}

/// True when this process runs its tests on PostgreSQL.
inline bool testing_postgresql() { return !postgres_cluster_directory().empty(); }

/// The databases this process made in the cluster; dropped at exit.
class postgres_databases {
  public:
    static postgres_databases& instance() {
        static postgres_databases databases;
        return databases;
    }

    /// A location for the database named `database` of the cluster.
    store::postgresql_location location(const std::string& database) const {
        store::postgresql_location out;
        out.parameters = {{"host", "127.0.0.1"},
                          {"port", port_},
                          {"dbname", database},
                          {"user", "dirsync"},
                          {"sslmode", "disable"}};
        out.pool_size = 4;
        out.description = "postgresql://dirsync@127.0.0.1:" + port_ + "/" + database;
        return out;
    }

    /// The database for `key`, created empty the first time.
    std::string database_for(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto [it, created] = databases_.try_emplace(key);
        if (created) {
            it->second = "t" + std::to_string(::getpid()) + "_" + std::to_string(databases_.size());
            admin().exec("DROP DATABASE IF EXISTS " + it->second + " WITH (FORCE)");
            admin().exec("CREATE DATABASE " + it->second);
        }
        return it->second;
    }

    ~postgres_databases() {
        try {
            for (const auto& [key, name] : databases_)
                admin().exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (...) {
            // The cluster goes away with the run anyway.
        }
    }

  private:
    postgres_databases() {
        const auto file = std::filesystem::path(postgres_cluster_directory()) / "port";
        std::ifstream in(file);
        in >> port_;
        if (port_.empty())
            throw std::runtime_error("no PostgreSQL cluster runs for the tests: " + file.string() +
                                     " is missing (tests/support/postgres_cluster.sh start " +
                                     postgres_cluster_directory() + ")");
    }

    store::connection& admin() {
        if (!admin_ || admin_->broken())
            admin_ = std::make_unique<store::postgresql_connection>(location("postgres"), false);
        return *admin_;
    }

    std::string port_;
    std::mutex mutex_;
    std::map<std::string, std::string> databases_;
    std::unique_ptr<store::postgresql_connection> admin_;
};

/// The store named `name` in `dir`: the SQLite file dir/name, or its PostgreSQL twin (see above).
inline store::location test_store(const temp_dir& dir, const std::string& name) {
    if (!testing_postgresql()) return store::sqlite_location{dir.file(name)};
    auto& databases = postgres_databases::instance();
    return databases.location(databases.database_for(dir.file(name)));
}

/// The lines of a configuration's `storage:` section (indented by two spaces) for test_store(dir, name).
inline std::string test_store_yaml(const temp_dir& dir, const std::string& name) {
    const auto where = test_store(dir, name);
    if (const auto* file = std::get_if<store::sqlite_location>(&where))
        return "  sqlite: " + file->path + "\n";
    std::string yaml = "  postgresql:\n";
    for (const auto& [key, value] : std::get<store::postgresql_location>(where).parameters)
        yaml += "    " + std::string(key == "dbname" ? "database" : key) + ": " + value + "\n";
    return yaml;
}

}  // namespace dirsync::testing
