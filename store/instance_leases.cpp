#include "store/instance_leases.hpp"

#include "common/instance.hpp"
#include "store/database.hpp"

namespace dirsync::store {

namespace {

struct lease_row {
    std::string holder;
    std::int64_t expires_ms = 0;
};

std::optional<lease_row> find(connection& db, std::string_view name) {
    auto s = db.cached("SELECT holder, expires_ms FROM instance_leases WHERE name = ?1");
    s->bind(1, name);
    if (!s->step()) return std::nullopt;
    return lease_row{s->column_text(0), s->column_int(1)};
}

}  // namespace

bool lease_held(std::string_view holder, std::int64_t expires_ms, std::int64_t now_ms) {
    return expires_ms > now_ms && !common::ended_on_this_host(holder);
}

instance_leases::instance_leases(database& db, std::string holder)
    : db_(db), holder_(holder.empty() ? common::instance_name() : std::move(holder)) {}

std::optional<std::string> instance_leases::take(std::string_view name, std::chrono::milliseconds ttl,
                                                 common::timestamp now) {
    const auto now_ms = common::to_epoch_ms(now);
    return db_.write([&](connection& db) -> std::optional<std::string> {
        auto current = find(db, name);
        if (current && current->holder != holder_ && lease_held(current->holder, current->expires_ms, now_ms))
            return current->holder;
        auto s = db.cached(
            "INSERT INTO instance_leases (name, holder, expires_ms) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms");
        s->bind(1, name).bind(2, holder_).bind(3, now_ms + ttl.count());
        s->step();
        return std::nullopt;
    });
}

bool instance_leases::renew(std::string_view name, std::chrono::milliseconds ttl, common::timestamp now) {
    const auto now_ms = common::to_epoch_ms(now);
    return db_.write([&](connection& db) {
        // An expired lease nobody took is still this process's to renew: nothing happened meanwhile.
        auto s = db.cached("UPDATE instance_leases SET expires_ms = ?3 WHERE name = ?1 AND holder = ?2");
        s->bind(1, name).bind(2, holder_).bind(3, now_ms + ttl.count());
        s->step();
        return db.changes() > 0;
    });
}

void instance_leases::release(std::string_view name) {
    db_.write([&](connection& db) {
        auto s = db.cached("DELETE FROM instance_leases WHERE name = ?1 AND holder = ?2");
        s->bind(1, name).bind(2, holder_);
        s->step();
    });
}

std::optional<std::string> instance_leases::holder_of(std::string_view name, common::timestamp now) const {
    const auto now_ms = common::to_epoch_ms(now);
    return db_.read([&](connection& db) -> std::optional<std::string> {
        auto current = find(db, name);
        if (!current || !lease_held(current->holder, current->expires_ms, now_ms)) return std::nullopt;
        return current->holder;
    });
}

}  // namespace dirsync::store
