#include "directory/notices.hpp"

#include "common/email_address.hpp"
#include "common/uuid.hpp"
#include "directory/directory.hpp"
#include "directory/record_codec.hpp"
#include "store/outbox_table.hpp"
#include "store/role_table.hpp"
#include "store/user_table.hpp"

namespace dirsync::directory::notices {

namespace {

const std::map<std::string, message_template, std::less<>>& defaults() {
    static const std::map<std::string, message_template, std::less<>> texts{
        {"invitation",
         {"You are invited to join {tenant}",
          "Hello,\n\n{inviter} invited you to join {tenant}.\n\nTo accept, open {link}\n\nThe invitation "
          "expires at {expires}. If you did not expect it, you can ignore this message.\n"}},
        {"invitation_accepted",
         {"{invitee} accepted your invitation to {tenant}",
          "Hello,\n\n{invitee} accepted the invitation to {tenant} you sent and is now a member.\n"}},
        {"user_left", {"{user} left {tenant}", "Hello,\n\n{user} ended their membership of {tenant}.\n"}},
        {"role_deleted",
         {"Role {role} deleted in {tenant}",
          "Hello,\n\nThe role {role} was deleted from {tenant}. It was removed from {count} open "
          "invitation(s); those invitees will join without it.\n"}},
        {"relocation_requested",
         {"Authorise moving {user} into {tenant}",
          "Hello,\n\nAn operator asks to move {user} into {tenant} (request {count} of 3). An active "
          "administrator of {tenant} other than the requester can authorise or refuse it in the admin "
          "console "
          "or with dirsyncctl relocations.\n"}},
        {"seat_granted",
         {"Your access to {tenant} is ready",
          "Hello,\n\nA seat in {tenant} is now yours: {user} can sign in.\n"}},
    };
    return texts;
}

}  // namespace

std::string render(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const auto open = text.find('{', at);
        if (open == std::string_view::npos) break;
        const auto close = text.find('}', open);
        if (close == std::string_view::npos) break;
        out.append(text.substr(at, open - at));
        const auto it = values.find(std::string(text.substr(open + 1, close - open - 1)));
        if (it != values.end())
            out += it->second;
        else
            out.append(text.substr(open, close - open + 1));
        at = close + 1;
    }
    out.append(text.substr(at));
    return out;
}

const message_template& default_template(std::string_view name) {
    const auto& all = defaults();
    auto it = all.find(name);
    return it != all.end() ? it->second : all.begin()->second;
}

void enqueue(store::connection& db, const notification_channels& channels, const tenant& t, const notice& n,
             common::timestamp now) {
    if (!channels.email && !channels.webhook) return;
    auto values = n.values;
    values["tenant"] = t.name;
    values["tenant_id"] = t.id;
    const auto now_ms = common::to_epoch_ms(now);
    store::outbox_table::message_row row;
    row.tenant_id = t.id;
    row.event = n.event;
    row.holds_code = n.holds_code;
    row.next_attempt_ms = row.created_ms = now_ms;
    if (channels.email) {
        auto custom = t.templates.find(n.template_name);
        const auto& text = custom != t.templates.end() ? custom->second : default_template(n.template_name);
        for (const auto& to : n.recipients) {
            row.channel = "email";
            row.recipient = to;
            row.subject = render(text.subject, values);
            row.body = render(text.text, values);
            row.idempotency_key = common::random_uuid();
            store::outbox_table::insert(db, row);
        }
    }
    if (channels.webhook) {
        row.channel = "webhook";
        row.recipient.reset();
        row.subject.reset();
        row.idempotency_key = common::random_uuid();
        nlohmann::json event{{"id", row.idempotency_key},
                             {"type", n.event},
                             {"tenant", t.id},
                             {"time", common::format_rfc3339(now)},
                             {"data", n.data}};
        row.body = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        store::outbox_table::insert(db, row);
    }
}

std::vector<std::string> admin_addresses(store::connection& db, std::string_view tenant) {
    std::vector<std::string> out;
    for (const auto& id : store::role_table::holder_ids(db, tenant, admin_role)) {
        auto row = store::user_table::find_by_id(db, tenant, id);
        if (!row || row->status != to_string(user_status::active)) continue;
        auto u = from_row(std::move(*row));
        if (!u.emails.empty())
            out.push_back(u.emails.front());
        else if (common::is_email_address(u.user_name))
            out.push_back(u.user_name);
    }
    return out;
}

}  // namespace dirsync::directory::notices
