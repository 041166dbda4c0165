#include "directory/folded_keys.hpp"

#include <map>

#include "common/log.hpp"
#include "directory/group_codec.hpp"
#include "directory/record_codec.hpp"
#include "store/group_table.hpp"
#include "store/store_meta.hpp"
#include "store/tenant_table.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory {

namespace {

std::vector<key_collision> upgrade_users(store::connection& db, const std::string& tenant) {
    std::vector<store::user_row> rows;
    store::user_table::scan(db, tenant, [&](store::user_row&& r) {
        rows.push_back(std::move(r));
        return true;
    });
    // First every key out of the way (the unique index must hold after each statement), then the new ones;
    // the oldest record of a colliding set gets the key, the others a key no userName folds to.
    for (auto& r : rows) {
        r.user_name_key = "\x01" + r.id;
        store::user_table::update(db, r);
    }
    std::vector<key_collision> collisions;
    std::map<std::string, const store::user_row*> owner_of;
    for (auto& r : rows) {
        auto row = to_row(from_row(store::user_row(r)));
        auto [it, fresh] = owner_of.try_emplace(row.user_name_key, &r);
        if (!fresh) {
            collisions.push_back({r.tenant_id, it->second->id, it->second->user_name, r.id, r.user_name});
            row.user_name_key += "\x01" + r.id;
        }
        store::user_table::update(db, row);
    }
    return collisions;
}

void upgrade_groups(store::connection& db, const std::string& tenant) {
    std::vector<store::group_row> rows;
    store::group_table::scan(db, tenant, [&](store::group_row&& r) {
        rows.push_back(std::move(r));
        return true;
    });
    for (auto& r : rows) store::group_table::update(db, to_row(from_row(std::move(r))));
}

}  // namespace

std::vector<key_collision> upgrade_folded_keys(store::connection& db) {
    if (store::store_meta::get(db, "key_scheme") == current_key_scheme) return {};
    std::vector<key_collision> all;
    for (const auto& t : store::tenant_table::all(db)) {
        auto found = upgrade_users(db, t.id);
        all.insert(all.end(), found.begin(), found.end());
        upgrade_groups(db, t.id);
    }
    for (const auto& c : all)
        common::log_warning("tenant '" + c.tenant + "': userName '" + c.second_user_name + "' (user " +
                            c.second_id + ") is now the same name as '" + c.first_user_name + "' (user " +
                            c.first_id + ") under Unicode case folding; both records are kept, and '" +
                            c.first_user_name +
                            "' is the one found by that name until one of them is renamed");
    store::store_meta::set(db, "key_scheme", current_key_scheme);
    return all;
}

}  // namespace dirsync::directory
