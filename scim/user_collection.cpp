#include "scim/user_collection.hpp"

#include <array>

#include "scim/user_resource.hpp"

namespace dirsync::scim {

const resource::resource_schema& user_collection::schema() const { return schema_; }

std::int64_t user_collection::count() const { return dir_.count_users(tenant_); }

void user_collection::list(std::int64_t offset, std::int64_t limit, const resource_visitor& visit) const {
    if (limit <= 0) return;
    for (auto& u : dir_.list_users(tenant_, offset, limit))
        if (!visit(render_user(std::move(u), users_url_))) return;
}

void user_collection::scan(const filter& f, const resource_visitor& visit) const {
    static constexpr std::array<std::string_view, 4> indexed = {"id", "userName", "externalId",
                                                                "emails.value"};
    if (auto key = f.empty() ? std::nullopt : find_index_equality(f, indexed)) {
        const directory::user_index index = key->attribute == "id"         ? directory::user_index::id
                                            : key->attribute == "userName" ? directory::user_index::user_name
                                            : key->attribute == "externalId"
                                                ? directory::user_index::external_id
                                                : directory::user_index::email;
        for (auto& u : dir_.find_users(tenant_, index, key->value))
            if (!visit(render_user(std::move(u), users_url_))) return;
        return;
    }
    dir_.scan_users(tenant_,
                    [&](directory::user&& u) { return visit(render_user(std::move(u), users_url_)); });
}

std::optional<nlohmann::json> user_collection::find(std::string_view id) const {
    auto u = dir_.get_user(tenant_, id);
    if (!u) return std::nullopt;
    return render_user(std::move(*u), users_url_);
}

search_target user_search_target(const directory::tenant_directory& dir, std::string tenant,
                                 std::string users_url, const resource::resource_schema& schema) {
    search_target t;
    t.schema = &schema;
    t.open = [&dir, &schema, tenant = std::move(tenant),
              users_url = std::move(users_url)](const search_needs&) {
        return std::make_unique<user_collection>(dir, tenant, users_url, schema);
    };
    return t;
}

}  // namespace dirsync::scim
