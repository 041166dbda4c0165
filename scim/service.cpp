#include "scim/service.hpp"

#include "common/casefold.hpp"
#include "common/sha256.hpp"
#include "scim/error.hpp"
#include "http/query_string.hpp"
#include "scim/bulk_endpoint.hpp"
#include "scim/discovery_endpoint.hpp"
#include "scim/group_collection.hpp"
#include "scim/groups_endpoint.hpp"
#include "scim/json_body.hpp"
#include "scim/search.hpp"
#include "scim/user_collection.hpp"
#include "scim/users_endpoint.hpp"

namespace dirsync::scim {

namespace {

http::response unauthorized(std::string_view detail) {
    auto res = to_response(error(401, "", std::string(detail)));
    res.headers.push_back({"WWW-Authenticate", "Bearer realm=\"dirsyncd\""});
    return res;
}

/// Audit name of the token: the first 8 hex digits of its SHA-256 digest, enough to tell rotated tokens
/// apart and useless to an attacker.
std::string token_id(std::string_view authorization) {
    auto space = authorization.find_last_of(" \t");
    auto token = space == std::string_view::npos ? authorization : authorization.substr(space + 1);
    return common::to_hex(common::sha256(token)).substr(0, 8);
}

bool segment_is(std::string_view segment, std::string_view name) {
    return common::equal_folded(segment, name);
}

/// The resource types POST /.search at the root covers (RFC 7644 §3.4.3), in the order of its results; each
/// searchable resource type adds its target here.
std::vector<search_target> root_search_targets(const directory::tenant_directory& dir,
                                               std::string_view tenant, const std::string& base,
                                               const resource::service_schemas& schemas) {
    std::vector<search_target> targets;
    targets.push_back(user_search_target(dir, std::string(tenant), base + "/Users", schemas.users()));
    targets.push_back(group_search_target(dir, std::string(tenant), base + "/Groups", schemas.groups()));
    return targets;
}

}  // namespace

const tenant_options& service_settings::options_for(std::string_view tenant) const {
    static const tenant_options defaults;
    auto it = tenants.find(tenant);
    return it == tenants.end() ? defaults : it->second;
}

service::service(directory::tenant_directory& dir, const http::bearer_authenticator& auth,
                 service_settings settings)
    : dir_(dir), auth_(auth), settings_(std::move(settings)) {
    while (!settings_.base_path.empty() && settings_.base_path.back() == '/') settings_.base_path.pop_back();
    while (!settings_.public_base_url.empty() && settings_.public_base_url.back() == '/')
        settings_.public_base_url.pop_back();
}

bool service::owns(std::string_view target) const noexcept {
    auto path = http::split_target(target).first;
    if (path.size() < settings_.base_path.size() ||
        path.substr(0, settings_.base_path.size()) != settings_.base_path)
        return false;
    return path.size() == settings_.base_path.size() || path[settings_.base_path.size()] == '/';
}

http::response service::handle(http::request& req) const {
    auto [path, query] = http::split_target(req.target);
    std::string_view rest = path.substr(settings_.base_path.size());
    while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);

    auto authorization = req.header("Authorization");
    if (!authorization) return unauthorized("authentication required: send Authorization: Bearer <token>");
    auto tenant = auth_.principal_for(*authorization);
    if (!tenant) return unauthorized("the bearer token is not valid");
    directory::actor who{"scim-token", token_id(*authorization)};

    auto slash = rest.find('/');
    std::string_view collection = rest.substr(0, slash);
    std::string_view id = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (id.find('/') != std::string_view::npos) {
        auto res = to_response(not_found("no such endpoint"));
        res.tenant = *tenant;
        return res;
    }

    std::string base = settings_.public_base_url;
    if (base.empty()) {
        auto host = req.header("Host");
        if (host && !host->empty() && host->find_first_of("/ \t\"") == std::string_view::npos)
            base = std::string(settings_.tls ? "https://" : "http://") + std::string(*host);
        base += settings_.base_path;
    }

    http::response res;
    if (segment_is(collection, "Users")) {
        users_endpoint users(dir_, settings_);
        user_request_context ctx{req, *tenant, who, base + "/Users"};
        const std::string& m = req.method;
        if (id.empty()) {
            if (m == "GET")
                res = users.list(ctx, query);
            else if (m == "POST")
                res = users.create(ctx);
            else
                res = method_not_allowed("GET, POST");
        } else if (id == ".search") {
            res = m == "POST" ? users.search(ctx) : method_not_allowed("POST");
        } else {
            if (m == "GET")
                res = users.get(ctx, id);
            else if (m == "PUT")
                res = users.replace(ctx, id);
            else if (m == "PATCH")
                res = users.patch(ctx, id);
            else if (m == "DELETE")
                res = users.remove(ctx, id);
            else
                res = method_not_allowed("GET, PUT, PATCH, DELETE");
        }
    } else if (segment_is(collection, "Groups")) {
        groups_endpoint groups(dir_, settings_);
        group_request_context ctx{req, *tenant, who, base + "/Groups", query};
        const std::string& m = req.method;
        if (id.empty()) {
            if (m == "GET")
                res = groups.list(ctx);
            else if (m == "POST")
                res = groups.create(ctx);
            else
                res = method_not_allowed("GET, POST");
        } else if (id == ".search") {
            res = m == "POST" ? groups.search(ctx) : method_not_allowed("POST");
        } else {
            if (m == "GET")
                res = groups.get(ctx, id);
            else if (m == "PUT")
                res = groups.replace(ctx, id);
            else if (m == "PATCH")
                res = groups.patch(ctx, id);
            else if (m == "DELETE")
                res = groups.remove(ctx, id);
            else
                res = method_not_allowed("GET, PUT, PATCH, DELETE");
        }
    } else if (segment_is(collection, "Bulk") && id.empty()) {
        bulk_endpoint bulk(dir_, settings_);
        res = req.method == "POST" ? bulk.handle(bulk_request_context{req, *tenant, who, base})
                                   : method_not_allowed("POST");
    } else if (is_discovery_endpoint(collection)) {
        res = answer_discovery(req, collection, id, query, settings_, base);
    } else if (collection == ".search" && id.empty()) {
        res = req.method == "POST"
                  ? answer_search_body(req, root_search_targets(dir_, *tenant, base, *settings_.schemas),
                                       settings_)
                  : method_not_allowed("POST");
    } else {
        res = to_response(not_found("no such endpoint: " + std::string(path)));
    }
    res.tenant = *tenant;
    return res;
}

}  // namespace dirsync::scim
