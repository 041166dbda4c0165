#include "daemon/store_setup.hpp"

#include <filesystem>
#include <vector>

namespace dirsync::daemon {

void prepare_storage_directory(const std::string& db_path) {
    auto parent = std::filesystem::path(db_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
}

void register_tenants(directory::tenant_directory& dir, const config::settings& settings) {
    std::vector<directory::tenant> tenants;
    for (const auto& t : settings.tenants) tenants.push_back({t.id, t.name, t.seats, t.owner});
    dir.configure_tenants(tenants);
}

}  // namespace dirsync::daemon
