// The outbox part of the directory: administrators list queued, delivered and failed notices and retry
// failed ones.
#include "directory/audit_record.hpp"
#include "directory/directory.hpp"
#include "store/database.hpp"
#include "store/outbox_table.hpp"
#include "store/tenant_table.hpp"

namespace dirsync::directory {

namespace {

namespace outbox_table = store::outbox_table;

outbox_message message_of(outbox_table::message_row&& r) {
    outbox_message m;
    m.id = r.seq;
    m.tenant_id = std::move(r.tenant_id);
    m.event = std::move(r.event);
    m.channel = std::move(r.channel);
    m.recipient = std::move(r.recipient);
    m.subject = std::move(r.subject);
    m.state = std::move(r.state);
    m.attempts = r.attempts;
    if (m.state == "pending") m.next_attempt = common::from_epoch_ms(r.next_attempt_ms);
    m.last_error = std::move(r.last_error);
    m.created = common::from_epoch_ms(r.created_ms);
    if (r.done_ms) m.done = common::from_epoch_ms(*r.done_ms);
    return m;
}

}  // namespace

result<std::vector<outbox_message>> tenant_directory::outbox(std::string_view tenant, std::string_view state,
                                                             std::optional<std::int64_t> before,
                                                             std::int64_t limit) const {
    if (!state.empty() && state != "pending" && state != "delivered" && state != "failed")
        return error(error_code::invalid_value, "invalid_value",
                     "state must be pending, delivered or failed, or absent for all");
    return db_.read([&](store::connection& db) -> result<std::vector<outbox_message>> {
        if (!store::tenant_table::find(db, tenant))
            return error(error_code::unknown_tenant, "unknown tenant");
        std::vector<outbox_message> out;
        for (auto& row : outbox_table::list(db, tenant, state, before.value_or(0), limit))
            out.push_back(message_of(std::move(row)));
        return out;
    });
}

result<outbox_message> tenant_directory::retry_message(const actor& who, std::string_view tenant,
                                                       std::int64_t id) {
    return db_.write([&](store::connection& db) -> result<outbox_message> {
        if (!store::tenant_table::find(db, tenant))
            return error(error_code::unknown_tenant, "unknown tenant");
        const auto now = common::now();
        if (!outbox_table::retry(db, tenant, id, common::to_epoch_ms(now)))
            return error(error_code::not_found,
                         "no failed message " + std::to_string(id) + " in this tenant");
        auto row = outbox_table::find(db, id);
        record_audit(db, who, tenant, "Notification", std::to_string(id), now, "notification.retry",
                     nlohmann::json{{"event", row->event}, {"channel", row->channel}});
        return message_of(std::move(*row));
    });
}

}  // namespace dirsync::directory
