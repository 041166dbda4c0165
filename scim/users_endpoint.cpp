#include "scim/users_endpoint.hpp"

#include <array>
#include <optional>

#include "scim/etag.hpp"
#include "scim/json_body.hpp"
#include "scim/list_request.hpp"
#include "scim/patch.hpp"
#include "scim/query_string.hpp"
#include "scim/user_resource.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

constexpr std::string_view list_response_urn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

error from_directory(const directory::error& e) {
    switch (e.code) {
        case directory::error_code::not_found: return not_found(e.message);
        case directory::error_code::uniqueness: return uniqueness_error(e.message);
        case directory::error_code::precondition_failed: return error(412, "", e.message);
        case directory::error_code::invalid_value: return invalid_value(e.message);
        case directory::error_code::unknown_tenant: return error(403, "", "the tenant of this token is not provisioned");
    }
    return invalid_value(e.message);
}

http::response resource_response(unsigned status, const directory::user& u, std::string_view users_url) {
    auto res = json_response(status, render_user(u, users_url));
    res.headers.push_back({"ETag", user_etag(u)});
    if (status == 201) res.headers.push_back({"Location", std::string(users_url) + "/" + u.id});
    return res;
}

/// If-Match of the request, if any.
boost::system::result<std::optional<etag_condition>, error> if_match(const http::request& req) {
    auto h = req.header("If-Match");
    if (!h) return std::optional<etag_condition>{};
    auto c = parse_etag_condition(*h);
    if (!c) return c.error();
    return std::optional<etag_condition>{std::move(*c)};
}

error stale(std::int64_t version) {
    return error(412, "", "If-Match does not match the current version W/\"" + std::to_string(version) + "\"");
}

/// Runs a modification of one user: `change` computes the new resource from the current record, inside the
/// directory's write transaction, so the If-Match check and the write are atomic.
http::response modify(directory::directory& dir, const user_request_context& ctx, std::string_view id,
                      const std::function<boost::system::result<json, error>(const directory::user&)>& change) {
    auto cond = if_match(ctx.req);
    if (!cond) return to_response(cond.error());
    std::optional<error> failure;
    auto updated = dir.modify_user(ctx.who, ctx.tenant, id,
                                   [&](const directory::user& current) -> directory::result<directory::user_write> {
                                       if (*cond && !(*cond)->matches(current.version)) {
                                           failure = stale(current.version);
                                           return directory::error(directory::error_code::precondition_failed, "");
                                       }
                                       auto next = change(current);
                                       if (!next) {
                                           failure = next.error();
                                           return directory::error(directory::error_code::invalid_value, "");
                                       }
                                       directory::user_write w;
                                       w.resource = std::move(*next);
                                       w.source = current.source;
                                       w.source_anchor = current.source_anchor;
                                       return w;
                                   });
    if (failure) return to_response(*failure);
    if (!updated) return to_response(from_directory(updated.error()));
    if (auto prefer = ctx.req.header("Prefer"); prefer && prefer->find("return=minimal") != std::string_view::npos) {
        http::response res;
        res.status = 204;
        res.headers.push_back({"ETag", user_etag(*updated)});
        return res;
    }
    return resource_response(200, *updated, ctx.users_url);
}

}  // namespace

http::response users_endpoint::create(const user_request_context& ctx) const {
    auto body = parse_json_body(ctx.req);
    if (!body) return to_response(body.error());
    auto canonical = canonicalize_user(*body, user_resource_schema());
    if (!canonical) return to_response(canonical.error());
    directory::user_write w;
    w.resource = std::move(*canonical);
    w.source = "scim";
    auto created = dir_.create_user(ctx.who, ctx.tenant, std::move(w));
    if (!created) return to_response(from_directory(created.error()));
    return resource_response(201, *created, ctx.users_url);
}

http::response users_endpoint::get(const user_request_context& ctx, std::string_view id) const {
    auto u = dir_.get_user(ctx.tenant, id);
    if (!u) return to_response(from_directory(u.error()));
    if (auto h = ctx.req.header("If-None-Match")) {
        auto cond = parse_etag_condition(*h);
        if (!cond) return to_response(cond.error());
        if (cond->matches(u->version)) {
            http::response res;
            res.status = 304;
            res.headers.push_back({"ETag", user_etag(*u)});
            return res;
        }
    }
    return resource_response(200, *u, ctx.users_url);
}

http::response users_endpoint::list(const user_request_context& ctx, std::string_view raw_query) const {
    auto params = query_params::parse(raw_query);
    if (!params) return to_response(invalid_value("the query string has a malformed percent-escape"));
    auto req = parse_list_request(*params, settings_.default_page_size, settings_.max_page_size);
    if (!req) return to_response(req.error());

    const std::int64_t first = req->start_index;  // 1-based
    const std::int64_t last = first + req->count;  // exclusive
    json resources = json::array();
    std::int64_t total = 0;

    if (!req->filter) {
        total = dir_.count_users(ctx.tenant);
        if (req->count > 0)
            for (auto& u : dir_.list_users(ctx.tenant, first - 1, req->count))
                resources.push_back(render_user(u, ctx.users_url));
    } else {
        auto f = parse_filter(*req->filter, settings_.filter);
        if (!f) return to_response(invalid_filter(f.error().message));
        const auto& schema = user_resource_schema();
        auto consider = [&](const directory::user& u) {
            json rendered = render_user(u, ctx.users_url);
            if (!matches(*f, rendered, schema)) return;
            ++total;
            if (total >= first && total < last) resources.push_back(std::move(rendered));
        };
        static constexpr std::array<std::string_view, 4> indexed = {"id", "userName", "externalId", "emails.value"};
        if (auto key = find_index_equality(*f, indexed)) {
            directory::user_index index = key->attribute == "id"           ? directory::user_index::id
                                          : key->attribute == "userName"   ? directory::user_index::user_name
                                          : key->attribute == "externalId" ? directory::user_index::external_id
                                                                           : directory::user_index::email;
            for (const auto& u : dir_.find_users(ctx.tenant, index, key->value)) consider(u);
        } else {
            dir_.scan_users(ctx.tenant, [&](directory::user&& u) {
                consider(u);
                return true;
            });
        }
    }

    json body = {{"schemas", json::array({std::string(list_response_urn)})},
                 {"totalResults", total},
                 {"itemsPerPage", resources.size()},
                 {"startIndex", first},
                 {"Resources", std::move(resources)}};
    return json_response(200, body);
}

http::response users_endpoint::replace(const user_request_context& ctx, std::string_view id) const {
    auto body = parse_json_body(ctx.req);
    if (!body) return to_response(body.error());
    if (body->is_object())
        if (auto given = body->find("id"); given != body->end() && given->is_string() && given->get<std::string>() != id)
            return to_response(mutability_error("id is immutable: the body's id does not match the URL"));
    auto canonical = canonicalize_user(*body, user_resource_schema());
    if (!canonical) return to_response(canonical.error());
    return modify(dir_, ctx, id, [&](const directory::user&) -> boost::system::result<json, error> { return *canonical; });
}

http::response users_endpoint::patch(const user_request_context& ctx, std::string_view id) const {
    auto body = parse_json_body(ctx.req);
    if (!body) return to_response(body.error());
    return modify(dir_, ctx, id, [&](const directory::user& current) -> boost::system::result<json, error> {
        auto patched = apply_patch(render_user(current, ctx.users_url), *body, user_resource_schema());
        if (!patched) return patched.error();
        return canonicalize_user(*patched, user_resource_schema());
    });
}

http::response users_endpoint::remove(const user_request_context& ctx, std::string_view id) const {
    auto cond = if_match(ctx.req);
    if (!cond) return to_response(cond.error());
    std::optional<std::int64_t> expected;
    if (*cond) {
        auto current = dir_.get_user(ctx.tenant, id);
        if (!current) return to_response(from_directory(current.error()));
        if (!(*cond)->matches(current->version)) return to_response(stale(current->version));
        expected = current->version;  // the delete fails if it changed since
    }
    auto r = dir_.delete_user(ctx.who, ctx.tenant, id, expected);
    if (!r) return to_response(from_directory(r.error()));
    http::response res;
    res.status = 204;
    return res;
}

}  // namespace dirsync::scim
