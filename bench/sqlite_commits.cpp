// The baseline for durable writes: one thread committing one ~660-byte row per transaction into a fresh
// SQLite file in WAL mode with synchronous=FULL (what dirsyncd's store uses), for SECONDS seconds. Prints
// commits per second and the p99 of one commit, as "RESULT sqlite_commits ...".
//   sqlite_commits FILE [SECONDS]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

void must(int rc, sqlite3* db, const char* what) {
    if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: sqlite_commits FILE [SECONDS]\n");
        return 2;
    }
    const double seconds = argc > 2 ? std::atof(argv[2]) : 10.0;
    sqlite3* db = nullptr;
    must(sqlite3_open(argv[1], &db), db, "open");
    must(sqlite3_exec(db,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                      "CREATE TABLE IF NOT EXISTS t (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, body TEXT)",
                      nullptr, nullptr, nullptr),
         db, "set-up");
    sqlite3_stmt* insert = nullptr;
    must(sqlite3_prepare_v2(db, "INSERT INTO t (id, body) VALUES (?1, ?2)", -1, &insert, nullptr), db,
         "prepare");
    const std::string body(660, 'x');
    std::vector<double> latencies;
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    for (long n = 0; std::chrono::steady_clock::now() < end; ++n) {
        const auto t0 = std::chrono::steady_clock::now();
        must(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
        const std::string id = "row-" + std::to_string(n);
        sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, body.c_str(), static_cast<int>(body.size()), SQLITE_STATIC);
        must(sqlite3_step(insert), db, "insert");
        sqlite3_reset(insert);
        must(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
        latencies.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    const double p99 = latencies.empty() ? 0 : latencies[latencies.size() * 99 / 100];
    std::printf("RESULT sqlite_commits commits_per_s=%.0f p99=%.2fms commits=%zu\n",
                static_cast<double>(latencies.size()) / elapsed, p99, latencies.size());
    sqlite3_finalize(insert);
    sqlite3_close(db);
}
