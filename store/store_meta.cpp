#include "store/store_meta.hpp"

namespace dirsync::store::store_meta {

std::optional<std::string> get(connection& db, std::string_view name) {
    auto s = db.cached("SELECT value FROM store_meta WHERE name = ?1");
    s->bind(1, name);
    if (!s->step()) return std::nullopt;
    return s->column_text(0);
}

void set(connection& db, std::string_view name, std::string_view value) {
    auto s = db.cached(
        "INSERT INTO store_meta (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = "
        "excluded.value");
    s->bind(1, name).bind(2, value);
    s->step();
}

}  // namespace dirsync::store::store_meta
