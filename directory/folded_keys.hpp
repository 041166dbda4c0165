#pragma once

// Keeping the stored folded keys in step with common::fold_case (the directory does it at open).

#include <string>
#include <vector>

namespace dirsync::store {
class connection;
}

namespace dirsync::directory {

/// Two users of a tenant whose userNames fold to the same key under the current scheme, found when the keys
/// were recomputed. Both records are kept: `first` (the older) gets the key, `second` a distinct one until an
/// administrator renames one of them.
struct key_collision {
    std::string tenant;
    std::string first_id, first_user_name;
    std::string second_id, second_user_name;
};

/// The name of the scheme common::fold_case implements; stored with the keys.
inline constexpr const char* current_key_scheme = "nfkc-casefold";

/// When the store's keys were made by an older scheme, recomputes every user's keys (userName, e-mails,
/// names) and every group's displayName key in the caller's write transaction, and records the current
/// scheme. Returns the userName collisions it found (each also logged); none when the keys were current.
std::vector<key_collision> upgrade_folded_keys(store::connection& db);

}  // namespace dirsync::directory
