#include "directory/record_codec.hpp"

#include "common/casefold.hpp"
#include "directory/canonical_resource.hpp"
#include "directory/name_text.hpp"

namespace dirsync::directory {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_user_name_bytes = 1024;

boost::system::result<std::optional<std::string>, error> optional_string(const json& obj, const char* key,
                                                                         const char* display) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return error(error_code::invalid_value, std::string(display) + " must be a string");
    return std::optional<std::string>{it->get<std::string>()};
}

}  // namespace

boost::system::result<void, error> derive_projections(user& u, const resource::resource_schema& schema) {
    if (auto canonical = make_canonical(u.resource, schema); !canonical) return canonical.error();
    const json& r = u.resource;

    auto user_name = optional_string(r, "userName", "userName");
    if (!user_name) return user_name.error();
    if (!*user_name || (*user_name)->empty())
        return error(error_code::invalid_value, "userName is required and must not be empty");
    if ((*user_name)->size() > max_user_name_bytes)
        return error(error_code::invalid_value, "userName is longer than 1024 bytes");
    if (auto checked = check_name_text(**user_name, "userName"); !checked) return checked.error();
    u.user_name = std::move(**user_name);

    auto external_id = optional_string(r, "externalId", "externalId");
    if (!external_id) return external_id.error();
    u.external_id = std::move(*external_id);

    auto display_name = optional_string(r, "displayName", "displayName");
    if (!display_name) return display_name.error();
    if (*display_name && !(*display_name)->empty())
        if (auto checked = check_name_text(**display_name, "displayName"); !checked) return checked.error();
    u.display_name = std::move(*display_name);

    u.given_name.reset();
    u.family_name.reset();
    if (auto name = r.find("name"); name != r.end() && !name->is_null()) {
        if (!name->is_object()) return error(error_code::invalid_value, "name must be a complex attribute");
        auto given = optional_string(*name, "givenName", "name.givenName");
        if (!given) return given.error();
        auto family = optional_string(*name, "familyName", "name.familyName");
        if (!family) return family.error();
        u.given_name = std::move(*given);
        u.family_name = std::move(*family);
    }

    u.emails.clear();
    if (auto emails = r.find("emails"); emails != r.end() && !emails->is_null()) {
        if (!emails->is_array()) return error(error_code::invalid_value, "emails must be an array");
        for (const auto& e : *emails) {
            if (!e.is_object()) return error(error_code::invalid_value, "each of emails must be an object");
            auto value = optional_string(e, "value", "emails.value");
            if (!value) return value.error();
            if (*value) u.emails.push_back(std::move(**value));
        }
    }

    u.active = true;
    if (auto active = r.find("active"); active != r.end() && !active->is_null()) {
        if (!active->is_boolean()) return error(error_code::invalid_value, "active must be a boolean");
        u.active = active->get<bool>();
    }
    return {};
}

store::user_row to_row(const user& u) {
    store::user_row row;
    row.tenant_id = u.tenant_id;
    row.id = u.id;
    row.user_name = u.user_name;
    row.user_name_key = common::fold_case(u.user_name);
    row.external_id = u.external_id;
    row.display_name = u.display_name;
    row.given_name = u.given_name;
    row.family_name = u.family_name;
    row.active = u.active;
    row.status = std::string(to_string(u.status));
    row.roles_json = json(u.roles).dump();
    row.role_names = u.roles;
    if (u.display_name) row.display_name_key = common::fold_case(*u.display_name);
    if (u.given_name) row.given_name_key = common::fold_case(*u.given_name);
    if (u.family_name) row.family_name_key = common::fold_case(*u.family_name);
    row.source = u.source;
    row.source_anchor = u.source_anchor;
    row.created_ms = common::to_epoch_ms(u.created);
    row.modified_ms = common::to_epoch_ms(u.last_modified);
    row.version = u.version;
    row.resource_json = u.resource.dump();
    if (u.orphan_since) row.orphan_since_ms = common::to_epoch_ms(*u.orphan_since);
    row.status_since_ms = common::to_epoch_ms(u.status_since);
    if (u.registered) row.registered_ms = common::to_epoch_ms(*u.registered);
    for (const auto& e : u.emails) {
        auto key = common::fold_case(e);
        bool seen = false;
        for (const auto& k : row.email_keys) seen |= k == key;
        if (!seen) row.email_keys.push_back(std::move(key));
    }
    return row;
}

user from_row(store::user_row&& row) {
    user u;
    u.tenant_id = std::move(row.tenant_id);
    u.id = std::move(row.id);
    u.resource = json::parse(row.resource_json);
    u.user_name = std::move(row.user_name);
    u.external_id = std::move(row.external_id);
    u.display_name = std::move(row.display_name);
    u.given_name = std::move(row.given_name);
    u.family_name = std::move(row.family_name);
    u.active = row.active;
    u.status = parse_user_status(row.status).value_or(user_status::disabled);
    u.roles = json::parse(row.roles_json).get<std::vector<std::string>>();
    u.source = std::move(row.source);
    u.source_anchor = std::move(row.source_anchor);
    u.created = common::from_epoch_ms(row.created_ms);
    u.last_modified = common::from_epoch_ms(row.modified_ms);
    u.version = row.version;
    if (row.orphan_since_ms) u.orphan_since = common::from_epoch_ms(*row.orphan_since_ms);
    u.status_since = common::from_epoch_ms(row.status_since_ms);
    if (row.registered_ms) u.registered = common::from_epoch_ms(*row.registered_ms);
    if (auto emails = u.resource.find("emails"); emails != u.resource.end() && emails->is_array())
        for (const auto& e : *emails)
            if (e.is_object())
                if (auto v = e.find("value"); v != e.end() && v->is_string())
                    u.emails.push_back(v->get<std::string>());
    return u;
}

}  // namespace dirsync::directory
