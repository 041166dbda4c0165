#include "directory/audit_record.hpp"

#include "store/audit_table.hpp"

namespace dirsync::directory {

void record_audit(store::connection& db, const actor& who, std::string_view tenant,
                  std::string_view resource_type, std::string_view resource_id, common::timestamp time,
                  std::string_view action, const nlohmann::json& summary) {
    store::audit_table::audit_row row;
    row.tenant_id = std::string(tenant);
    row.time_ms = common::to_epoch_ms(time);
    row.actor = who.to_string();
    if (!who.acting_user.empty()) row.acting_user = who.acting_user;
    row.action = std::string(action);
    row.resource_type = std::string(resource_type);
    row.resource_id = std::string(resource_id);
    row.summary_json = summary.dump();
    store::audit_table::append(db, row);
}

nlohmann::json changed_attributes(const nlohmann::json& before, const nlohmann::json& after) {
    auto changed = nlohmann::json::array();
    for (auto it = after.begin(); it != after.end(); ++it)
        if (auto b = before.find(it.key()); b == before.end() || *b != it.value())
            changed.push_back(it.key());
    for (auto it = before.begin(); it != before.end(); ++it)
        if (!after.contains(it.key())) changed.push_back(it.key());
    return changed;
}

}  // namespace dirsync::directory
