#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/connection.hpp"

namespace dirsync::store::store_meta {

/// A named value the store keeps about itself (which key scheme its folded keys were made with, ...).
std::optional<std::string> get(connection& db, std::string_view name);
void set(connection& db, std::string_view name, std::string_view value);

}  // namespace dirsync::store::store_meta
