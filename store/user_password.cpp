#include "store/user_password.hpp"

namespace dirsync::store::user_password {

bool set(connection& db, std::string_view tenant, std::string_view id,
         const std::optional<std::string>& hash) {
    auto s = db.cached("UPDATE users SET password_hash = ?3 WHERE tenant_id = ?1 AND id = ?2");
    s->bind(1, tenant).bind(2, id).bind(3, hash);
    s->step();
    return db.changes() > 0;
}

std::optional<std::string> get(connection& db, std::string_view tenant, std::string_view id) {
    auto s = db.cached("SELECT password_hash FROM users WHERE tenant_id = ?1 AND id = ?2");
    s->bind(1, tenant).bind(2, id);
    if (!s->step()) return std::nullopt;
    return s->column_optional_text(0);
}

}  // namespace dirsync::store::user_password
