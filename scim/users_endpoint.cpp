#include "scim/users_endpoint.hpp"

#include <array>
#include <optional>

#include "common/password_hash.hpp"
#include "http/query_string.hpp"
#include "scim/attribute_projection.hpp"
#include "scim/conditional_write.hpp"
#include "scim/directory_error.hpp"
#include "scim/etag.hpp"
#include "scim/filter.hpp"
#include "scim/json_body.hpp"
#include "scim/patch.hpp"
#include "scim/unknown_attributes.hpp"
#include "scim/user_collection.hpp"
#include "scim/user_password.hpp"
#include "scim/user_resource.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

/// What the directory is told about the password: absent (unchanged), a new hash, or cleared.
using password_change = std::optional<std::optional<std::string>>;

/// The projection the request asks for with `attributes` / `excludedAttributes` (RFC 7644 §3.9).
boost::system::result<projection, error> requested_projection(const http::request& req,
                                                              const resource::resource_schema& schema) {
    auto params = http::query_params::parse(http::split_target(req.target).second);
    if (!params) return invalid_value("the query string has a malformed percent-escape");
    return projection::from_query(schema, *params);
}

/// Hashes a password the request sets, for `tenant`, with the service's hasher; deliberately slow, so it runs
/// before the directory's write transaction, never inside it.
password_change hashed(const service_settings& settings, std::string_view tenant,
                       const std::optional<password_write>& p) {
    if (!p) return std::nullopt;
    if (!p->cleartext) return std::optional<std::string>();
    if (settings.password_hasher)
        return std::optional<std::string>(settings.password_hasher(tenant, *p->cleartext));
    return std::optional<std::string>(common::hash_password(*p->cleartext));
}

http::response resource_response(unsigned status, directory::user u, std::string_view users_url,
                                 const projection& shape) {
    std::string etag = user_etag(u);
    std::string location = status == 201 ? std::string(users_url) + "/" + u.id : std::string();
    auto res = json_response(status, shape.apply(render_user(std::move(u), users_url)));
    res.headers.push_back({"ETag", std::move(etag)});
    if (status == 201) res.headers.push_back({"Location", std::move(location)});
    return res;
}

/// Runs a modification of one user: `change` computes the new resource from the current record, inside the
/// directory's write transaction, so the If-Match check and the write are atomic. `password` (already
/// hashed) is written with it.
http::response modify(
    directory::tenant_directory& dir, const user_request_context& ctx, std::string_view id,
    const resource::resource_schema& schema, password_change password,
    const std::function<boost::system::result<json, error>(const directory::user&)>& change) {
    auto shape = requested_projection(ctx.req, schema);
    if (!shape) return to_response(shape.error());
    auto cond = if_match_condition(ctx.req);
    if (!cond) return to_response(cond.error());
    std::optional<error> failure;
    auto updated = dir.modify_user(ctx.who, ctx.tenant, id, [&](const directory::user& current) {
        return checked_change(
            *cond, current, failure,
            [&](const directory::user& cur) -> boost::system::result<directory::user_write, error> {
                auto next = change(cur);
                if (!next) return next.error();
                directory::user_write w;
                w.resource = std::move(*next);
                w.source = cur.source;
                w.source_anchor = cur.source_anchor;
                w.password_hash = password;
                return w;
            });
    });
    if (failure) return to_response(*failure);
    if (!updated) return to_response(from_directory(updated.error()));
    if (auto prefer = ctx.req.header("Prefer");
        prefer && prefer->find("return=minimal") != std::string_view::npos) {
        http::response res;
        res.status = 204;
        res.headers.push_back({"ETag", user_etag(*updated)});
        return res;
    }
    return resource_response(200, std::move(*updated), ctx.users_url, *shape);
}

}  // namespace

bool users_endpoint::list_is_bounded(const http::request& req) {
    static constexpr std::array<std::string_view, 2> unique_keys = {"id", "userName"};
    const auto params = http::query_params::parse(http::split_target(req.target).second);
    if (!params) return false;
    const auto text = params->get("filter");
    if (!text) return false;
    const auto f = parse_filter(*text);
    return f && find_index_equality(*f, unique_keys).has_value();
}

http::response users_endpoint::create(const user_request_context& ctx) const {
    auto body = parse_json_body(ctx.req, settings_.json);
    if (!body) return to_response(body.error());
    return create(ctx, *body);
}

http::response users_endpoint::create(const user_request_context& ctx, const json& body) const {
    const resource::resource_schema& schema = settings_.schemas->users();
    auto shape = requested_projection(ctx.req, schema);
    if (!shape) return to_response(shape.error());
    json input = body;
    auto password = take_password(input);
    if (!password) return to_response(password.error());
    auto canonical = canonicalize_user(input, schema);
    if (!canonical) return to_response(canonical.error());
    if (settings_.options_for(ctx.tenant).strict_schema)
        if (auto refused = refuse_unknown_attributes(*canonical, nullptr, schema))
            return to_response(*refused);
    directory::user_write w;
    w.resource = std::move(*canonical);
    w.source = "scim";
    if (*password && (*password)->cleartext) w.password_hash = hashed(settings_, ctx.tenant, *password);
    auto created = dir_.create_user(ctx.who, ctx.tenant, std::move(w));
    if (!created) return to_response(from_directory(created.error()));
    return resource_response(201, std::move(*created), ctx.users_url, *shape);
}

http::response users_endpoint::get(const user_request_context& ctx, std::string_view id) const {
    auto shape = requested_projection(ctx.req, settings_.schemas->users());
    if (!shape) return to_response(shape.error());
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
    return resource_response(200, std::move(*u), ctx.users_url, *shape);
}

http::response users_endpoint::list(const user_request_context& ctx) const {
    const search_target users[] = {
        user_search_target(dir_, std::string(ctx.tenant), ctx.users_url, settings_.schemas->users())};
    return answer_search_query(ctx.raw_query, users, settings_, ctx.req.stop);
}

http::response users_endpoint::search(const user_request_context& ctx) const {
    const search_target users[] = {
        user_search_target(dir_, std::string(ctx.tenant), ctx.users_url, settings_.schemas->users())};
    return answer_search_body(ctx.req, users, settings_);
}

http::response users_endpoint::replace(const user_request_context& ctx, std::string_view id) const {
    auto body = parse_json_body(ctx.req, settings_.json);
    if (!body) return to_response(body.error());
    return replace(ctx, id, *body);
}

http::response users_endpoint::replace(const user_request_context& ctx, std::string_view id,
                                       const json& body) const {
    if (body.is_object())
        if (auto given = body.find("id");
            given != body.end() && given->is_string() && given->get<std::string>() != id)
            return to_response(mutability_error("id is immutable: the body's id does not match the URL"));
    const resource::resource_schema& schema = settings_.schemas->users();
    json input = body;
    auto password = take_password(input);
    if (!password) return to_response(password.error());
    auto canonical = canonicalize_user(input, schema);
    if (!canonical) return to_response(canonical.error());
    const bool strict = settings_.options_for(ctx.tenant).strict_schema;
    return modify(dir_, ctx, id, schema, hashed(settings_, ctx.tenant, *password),
                  [&](const directory::user& current) -> boost::system::result<json, error> {
                      if (strict)
                          if (auto refused = refuse_unknown_attributes(*canonical, &current.resource, schema))
                              return *refused;
                      return *canonical;
                  });
}

http::response users_endpoint::patch(const user_request_context& ctx, std::string_view id) const {
    auto body = parse_json_body(ctx.req, settings_.json);
    if (!body) return to_response(body.error());
    return patch(ctx, id, *body);
}

http::response users_endpoint::patch(const user_request_context& ctx, std::string_view id,
                                     const json& body) const {
    const resource::resource_schema& schema = settings_.schemas->users();
    const bool strict = settings_.options_for(ctx.tenant).strict_schema;
    if (strict)
        if (auto refused = refuse_unknown_paths(body, schema)) return to_response(*refused);
    json request = body;
    auto password = take_password_operations(request, schema);
    if (!password) return to_response(password.error());
    return modify(dir_, ctx, id, schema, hashed(settings_, ctx.tenant, password->password),
                  [&](const directory::user& current) -> boost::system::result<json, error> {
                      json rendered = render_user(current, ctx.users_url);
                      if (password->operations_left) {
                          auto patched = apply_patch(rendered, request, schema);
                          if (!patched) return patched.error();
                          rendered = std::move(*patched);
                      }
                      auto canonical = canonicalize_user(rendered, schema);
                      if (!canonical) return canonical.error();
                      if (strict)
                          if (auto refused = refuse_unknown_attributes(*canonical, &current.resource, schema))
                              return *refused;
                      return canonical;
                  });
}

http::response users_endpoint::remove(const user_request_context& ctx, std::string_view id) const {
    auto cond = if_match_condition(ctx.req);
    if (!cond) return to_response(cond.error());
    auto expected = expected_version(*cond, [&] { return dir_.get_user(ctx.tenant, id); });
    if (!expected) return to_response(expected.error());
    auto r = dir_.delete_user(ctx.who, ctx.tenant, id, *expected);
    if (!r) return to_response(from_directory(r.error()));
    http::response res;
    res.status = 204;
    return res;
}

}  // namespace dirsync::scim
