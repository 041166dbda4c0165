#include "scim/group_resource.hpp"

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "common/clock.hpp"
#include "resource/json_lookup.hpp"
#include "resource/schema.hpp"
#include "scim/user_resource.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

/// `url` without its last path segment: "https://h/scim/v2/Groups" -> "https://h/scim/v2".
std::string_view parent_url(std::string_view url) {
    auto slash = url.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : url.substr(0, slash);
}

/// True for "members" and "urn:ietf:params:scim:schemas:core:2.0:Group:members" (any case).
bool is_members_key(std::string_view key) {
    if (common::iequals_ascii(key, "members")) return true;
    return key.size() == resource::core_group_urn.size() + 8 &&
           common::iequals_ascii(key.substr(0, resource::core_group_urn.size()), resource::core_group_urn) &&
           common::iequals_ascii(key.substr(resource::core_group_urn.size()), ":members");
}

boost::system::result<directory::member_ref, error> member_ref_from(const json& v, const std::string& path) {
    directory::member_ref ref;
    if (v.is_string()) {
        ref.id = v.get<std::string>();
    } else if (v.is_object()) {
        const json* value = resource::json_member(v, "value");
        if (value != nullptr && !value->is_null()) {
            if (!value->is_string()) return invalid_value(path + ".value must be a string (the member's id)");
            ref.id = value->get<std::string>();
        } else if (const json* r = resource::json_member(v, "$ref"); r != nullptr && r->is_string()) {
            std::string_view s = r->get_ref<const std::string&>();
            while (!s.empty() && s.back() == '/') s.remove_suffix(1);
            ref.id = std::string(s.substr(s.rfind('/') + 1));
        }
        if (const json* t = resource::json_member(v, "type"); t != nullptr && !t->is_null()) {
            if (!t->is_string()) return invalid_value(path + ".type must be \"User\" or \"Group\"");
            ref.type = directory::parse_member_type(t->get_ref<const std::string&>());
            if (!ref.type) return invalid_value(path + ".type must be \"User\" or \"Group\"");
        }
        if (const json* d = resource::json_member(v, "display"); d != nullptr && !d->is_null()) {
            if (!d->is_string()) return invalid_value(path + ".display must be a string");
            if (!d->get_ref<const std::string&>().empty()) ref.display = d->get<std::string>();
        }
    } else {
        return invalid_value(path + " must be an object with the member's \"value\"");
    }
    if (ref.id.empty()) return invalid_value(path + ": a member needs a \"value\" (the member's id)");
    return ref;
}

}  // namespace

boost::system::result<std::vector<directory::member_ref>, error> parse_member_refs(const json& value,
                                                                                   std::string_view path) {
    std::vector<directory::member_ref> out;
    if (value.is_null()) return out;
    const std::string p(path);
    if (!value.is_array()) {
        auto r = member_ref_from(value, p);
        if (!r) return r.error();
        out.push_back(std::move(*r));
        return out;
    }
    out.reserve(value.size());
    for (const auto& v : value) {
        if (v.is_null()) continue;
        auto r = member_ref_from(v, p);
        if (!r) return r.error();
        out.push_back(std::move(*r));
    }
    return out;
}

boost::system::result<canonical_group, error> canonicalize_group(const json& input,
                                                                 const resource::resource_schema& schema) {
    if (!input.is_object()) return invalid_syntax("a Group must be a JSON object");
    canonical_group out;
    json rest = json::object();
    auto take = [&](const json& v) -> boost::system::result<void, error> {
        auto refs = parse_member_refs(v, "members");
        if (!refs) return refs.error();
        for (auto& r : *refs) out.members.push_back(std::move(r));
        return {};
    };
    for (auto it = input.begin(); it != input.end(); ++it) {
        if (is_members_key(it.key())) {
            if (auto r = take(it.value()); !r) return r.error();
        } else if (common::iequals_ascii(it.key(), resource::core_group_urn) && it.value().is_object()) {
            json core = json::object();  // attributes nested under the core URN: members taken out here too
            for (auto c = it.value().begin(); c != it.value().end(); ++c) {
                if (common::iequals_ascii(c.key(), "members")) {
                    if (auto r = take(c.value()); !r) return r.error();
                } else {
                    core[c.key()] = c.value();
                }
            }
            rest[it.key()] = std::move(core);
        } else {
            rest[it.key()] = it.value();
        }
    }
    auto canonical = canonicalize_resource(rest, schema);
    if (!canonical) return canonical.error();
    out.resource = std::move(*canonical);
    return out;
}

std::string group_etag(const directory::group& g) { return "W/\"" + std::to_string(g.version) + "\""; }

json render_group(const directory::group& g, std::string_view groups_url) {
    json out = g.resource;
    out["id"] = g.id;
    std::string location(groups_url);
    location += '/';
    location += g.id;
    out["meta"] = json{{"resourceType", "Group"},
                       {"created", common::format_rfc3339(g.created)},
                       {"lastModified", common::format_rfc3339(g.last_modified)},
                       {"location", std::move(location)},
                       {"version", group_etag(g)}};
    if (!out.contains("schemas")) out["schemas"] = json::array({std::string(resource::core_group_urn)});
    if (g.members) {
        const std::string base(parent_url(groups_url));
        json members = json::array();
        for (const auto& m : *g.members) {
            json item{{"value", m.id}};
            if (m.display) item["display"] = *m.display;
            item["type"] = std::string(directory::to_string(m.type));
            item["$ref"] = base + (m.type == directory::member_type::group ? "/Groups/" : "/Users/") + m.id;
            members.push_back(std::move(item));
        }
        if (!members.empty()) out["members"] = std::move(members);
    }
    return out;
}

json render_user_groups(const std::vector<directory::user_group>& groups, std::string_view users_url) {
    const std::string base = std::string(parent_url(users_url)) + "/Groups/";
    json out = json::array();
    for (const auto& g : groups)
        out.push_back(json{{"value", g.id},
                           {"$ref", base + g.id},
                           {"display", g.display_name},
                           {"type", g.direct ? "direct" : "indirect"}});
    return out;
}

}  // namespace dirsync::scim
