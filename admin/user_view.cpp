#include "admin/user_view.hpp"

namespace dirsync::admin {

namespace {

using json = nlohmann::json;

json optional_text(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

json user_json(const directory::user& u) {
    json groups = json::array();
    if (u.groups)
        for (const auto& g : *u.groups)
            groups.push_back({{"id", g.id}, {"displayName", g.display_name}, {"direct", g.direct}});
    return {{"id", u.id},
            {"userName", u.user_name},
            {"displayName", optional_text(u.display_name)},
            {"givenName", optional_text(u.given_name)},
            {"familyName", optional_text(u.family_name)},
            {"emails", u.emails},
            {"status", directory::to_string(u.status)},
            {"seat", directory::consumes_seat(u.status)},
            {"roles", u.roles},
            {"source", u.source},
            {"subject", optional_text(u.source_anchor ? u.source_anchor : u.external_id)},
            {"externalId", optional_text(u.external_id)},
            {"groups", std::move(groups)},
            {"created", common::format_rfc3339(u.created)},
            {"lastModified", common::format_rfc3339(u.last_modified)},
            {"statusSince", common::format_rfc3339(u.status_since)},
            {"registered", u.registered ? json(common::format_rfc3339(*u.registered)) : json(nullptr)},
            {"version", u.version}};
}

}  // namespace dirsync::admin
