#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/connection.hpp"

namespace dirsync::store::user_password {

/// The `users.password_hash` column: a PHC-form salted hash of the user's SCIM password, or NULL. Kept apart
/// from user_table on purpose: no user read selects it, so it cannot reach a rendered resource, a filter or a
/// log. Every query takes the tenant id. Writes throw database_error.

/// Sets (or, with nullopt, clears) the hash of user (tenant, id). False when there is no such user.
bool set(connection& db, std::string_view tenant, std::string_view id,
         const std::optional<std::string>& hash);

/// The stored hash of user (tenant, id); nullopt when there is none, or no such user.
std::optional<std::string> get(connection& db, std::string_view tenant, std::string_view id);

}  // namespace dirsync::store::user_password
