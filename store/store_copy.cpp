#include "store/store_copy.hpp"

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>

#include "common/sha256.hpp"
#include "store/database.hpp"
#include "store/sqlite.hpp"

namespace dirsync::store {

namespace {

/// Every table of the schema, parents before the tables that refer to them. A table of the source that is
/// not listed stops the copy: nothing is left behind silently.
constexpr const char* tables[] = {
    "tenants",     "users",         "user_emails",     "user_roles",       "roles",
    "groups",      "group_members", "audit_events",    "sync_runs",        "sync_state",
    "sync_leases", "store_meta",    "invitations",     "invitation_codes", "invitation_sends",
    "outbox",      "relocations",   "instance_leases", "tenant_seats"};

/// The identity column of each table that has one: its sequence continues after the copied rows.
constexpr std::pair<const char*, const char*> identities[] = {
    {"users", "seq"},       {"audit_events", "seq"},     {"groups", "seq"}, {"sync_runs", "id"},
    {"invitations", "seq"}, {"invitation_sends", "seq"}, {"outbox", "seq"}, {"relocations", "seq"}};

std::vector<std::string> source_columns(connection& db, const std::string& table) {
    std::vector<std::string> out;
    statement s(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
    s.bind(1, table);
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

std::set<std::string> target_columns(connection& db, const std::string& table) {
    std::set<std::string> out;
    statement s(
        db,
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND "
        "table_name = ?1");
    s.bind(1, table);
    while (s.step()) out.insert(s.column_text(0));
    return out;
}

std::string joined(const std::vector<std::string>& columns, const std::string& suffix = {}) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c + suffix;
    return out;
}

/// Rows and checksum of `table`: every row in the order of all its columns (NULLs first), each value as
/// "N" or "V<length>:<bytes>", chained through SHA-256. Both engines give integers and text the same text.
copied_table summarize(connection& db, const std::string& table, const std::vector<std::string>& columns) {
    copied_table out{table, 0, {}};
    std::string digest(64, '0');
    statement s(
        db, "SELECT " + joined(columns) + " FROM " + table + " ORDER BY " + joined(columns, " NULLS FIRST"));
    const int n = static_cast<int>(columns.size());
    std::string row;
    while (s.step()) {
        row = digest;
        for (int i = 0; i < n; ++i) {
            if (s.column_is_null(i)) {
                row += 'N';
                continue;
            }
            const auto value = s.column_text(i);
            row += 'V' + std::to_string(value.size()) + ':' + value;
        }
        digest = common::to_hex(common::sha256(row));
        ++out.rows;
    }
    out.checksum = digest;
    return out;
}

std::int64_t count_rows(connection& db, const std::string& table) {
    statement s(db, "SELECT count(*) FROM " + std::string(table));
    s.step();
    return s.column_int(0);
}

}  // namespace

std::vector<copied_table> copy_sqlite_to_postgresql(
    const std::string& source, const postgresql_location& target,
    const std::function<void(const std::string&, std::int64_t)>& progress) {
    if (!std::filesystem::is_regular_file(source)) throw std::runtime_error("no SQLite store at " + source);
    database from(source, 1);
    database to(target);
    std::vector<copied_table> expected;
    from.read([&](connection& src) {
        read_snapshot snapshot(src);
        {
            std::set<std::string> listed(std::begin(tables), std::end(tables));
            statement s(src,
                        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
            while (s.step())
                if (!listed.contains(s.column_text(0)))
                    throw std::runtime_error("the source has a table this copy does not know: " +
                                             s.column_text(0));
        }
        to.write([&](connection& dst) {
            for (const char* table : tables) {
                // store_meta holds the migration's own rows: the source's replace them.
                if (std::string_view(table) != "store_meta" && count_rows(dst, table) != 0)
                    throw std::runtime_error("the target " + target.description + " is not empty (table " +
                                             table + " has rows); the copy goes into an empty database only");
            }
            dst.exec("DELETE FROM store_meta");
            for (const char* table : tables) {
                const auto columns = source_columns(src, table);
                const auto there = target_columns(dst, table);
                for (const auto& c : columns)
                    if (!there.contains(c))
                        throw std::runtime_error("the target's table " + std::string(table) +
                                                 " has no column " + c);
                std::string placeholders;
                for (std::size_t i = 1; i <= columns.size(); ++i)
                    placeholders += (i == 1 ? "?" : ", ?") + std::to_string(i);
                statement read(src, "SELECT " + joined(columns) + " FROM " + table);
                auto insert = dst.cached("INSERT INTO " + std::string(table) + " (" + joined(columns) +
                                         ") VALUES (" + placeholders + ")");
                std::int64_t rows = 0;
                while (read.step()) {
                    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
                        if (read.column_is_null(i))
                            insert->bind_null(i + 1);
                        else
                            insert->bind(i + 1, read.column_text(i));
                    }
                    insert->step();
                    insert->reset();
                    ++rows;
                }
                expected.push_back(summarize(src, table, columns));
                if (progress) progress(table, rows);
            }
            for (const auto& [table, column] : identities)
                dst.exec("SELECT setval(pg_get_serial_sequence('" + std::string(table) + "', '" + column +
                         "'), COALESCE((SELECT max(" + column + ") FROM " + table + "), 0) + 1, false)");
        });
    });
    // Read back what committed, and compare.
    to.read([&](connection& dst) {
        read_snapshot snapshot(dst);
        from.read([&](connection& src) {
            for (const auto& want : expected) {
                const auto got = summarize(dst, want.name, source_columns(src, want.name));
                if (got.rows != want.rows || got.checksum != want.checksum)
                    throw std::runtime_error(
                        "table " + want.name + " differs after the copy: " + std::to_string(want.rows) +
                        " rows in the source, " + std::to_string(got.rows) + " in the target");
            }
        });
    });
    return expected;
}

}  // namespace dirsync::store
