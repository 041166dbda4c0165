#include "scim/groups_endpoint.hpp"

#include <optional>

#include "http/query_string.hpp"
#include "resource/schema.hpp"
#include "scim/attribute_projection.hpp"
#include "scim/conditional_write.hpp"
#include "scim/directory_error.hpp"
#include "scim/etag.hpp"
#include "scim/group_collection.hpp"
#include "scim/group_patch.hpp"
#include "scim/group_resource.hpp"
#include "scim/json_body.hpp"
#include "scim/unknown_attributes.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

/// The projection the request asks for with `attributes` / `excludedAttributes` (RFC 7644 §3.9).
boost::system::result<projection, error> requested_projection(const group_request_context& ctx,
                                                              const resource::resource_schema& schema) {
    auto params = http::query_params::parse(ctx.raw_query);
    if (!params) return invalid_value("the query string has a malformed percent-escape");
    return projection::from_query(schema, *params);
}

/// True when the client asked for a representation: a projection parameter or Prefer: return=representation.
bool wants_representation(const group_request_context& ctx, const projection& shape) {
    if (!shape.is_default()) return true;
    auto prefer = ctx.req.header("Prefer");
    return prefer && prefer->find("return=representation") != std::string_view::npos;
}

http::response resource_response(unsigned status, const directory::group& g, std::string_view groups_url,
                                 const projection& shape) {
    auto res = json_response(status, shape.apply(render_group(g, groups_url)));
    res.headers.push_back({"ETag", group_etag(g)});
    if (status == 201) res.headers.push_back({"Location", std::string(groups_url) + "/" + g.id});
    return res;
}

/// Runs a modification of one group inside the directory's write transaction, so the If-Match check and the
/// write are atomic. `change` gives the new resource and member steps from the current group (no members).
/// Answers 200 with the resource when `representation`, else 204 with the ETag.
http::response modify(
    directory::tenant_directory& dir, const group_request_context& ctx, std::string_view id,
    const std::function<boost::system::result<directory::group_change, error>(const directory::group&)>&
        change,
    const projection& shape, bool representation) {
    auto cond = if_match_condition(ctx.req);
    if (!cond) return to_response(cond.error());
    std::optional<error> failure;
    auto updated = dir.modify_group(
        ctx.who, ctx.tenant, id,
        [&](const directory::group& current) { return checked_change(*cond, current, failure, change); },
        std::nullopt, representation && is_returned(shape, "members"));
    if (failure) return to_response(*failure);
    if (!updated) return to_response(from_directory(updated.error()));
    if (!representation) {
        http::response res;
        res.status = 204;
        res.headers.push_back({"ETag", group_etag(*updated)});
        return res;
    }
    return resource_response(200, *updated, ctx.groups_url, shape);
}

search_target groups_of(const directory::tenant_directory& dir, const group_request_context& ctx,
                        const resource::resource_schema& schema) {
    return group_search_target(dir, std::string(ctx.tenant), ctx.groups_url, schema);
}

}  // namespace

http::response groups_endpoint::create(const group_request_context& ctx) const {
    auto body = parse_json_body(ctx.req, settings_.json);
    if (!body) return to_response(body.error());
    return create(ctx, *body);
}

http::response groups_endpoint::create(const group_request_context& ctx, const json& body) const {
    const resource::resource_schema& schema = settings_.schemas->groups();
    auto shape = requested_projection(ctx, schema);
    if (!shape) return to_response(shape.error());
    auto canonical = canonicalize_group(body, schema);
    if (!canonical) return to_response(canonical.error());
    if (settings_.options_for(ctx.tenant).strict_schema)
        if (auto refused = refuse_unknown_attributes(canonical->resource, nullptr, schema))
            return to_response(*refused);
    directory::group_write w;
    w.resource = std::move(canonical->resource);
    w.members = std::move(canonical->members);
    auto created = dir_.create_group(ctx.who, ctx.tenant, std::move(w));
    if (!created) return to_response(from_directory(created.error()));
    return resource_response(201, *created, ctx.groups_url, *shape);
}

http::response groups_endpoint::get(const group_request_context& ctx, std::string_view id) const {
    auto shape = requested_projection(ctx, settings_.schemas->groups());
    if (!shape) return to_response(shape.error());
    const bool with_members = is_returned(*shape, "members");
    std::optional<etag_condition> none_match;
    if (auto h = ctx.req.header("If-None-Match")) {
        auto cond = parse_etag_condition(*h);
        if (!cond) return to_response(cond.error());
        none_match = std::move(*cond);
    }
    // With If-None-Match the version is read first: a 304 must not read the members of a large group.
    auto g = dir_.get_group(ctx.tenant, id, with_members && !none_match);
    if (!g) return to_response(from_directory(g.error()));
    if (none_match) {
        if (none_match->matches(g->version)) {
            http::response res;
            res.status = 304;
            res.headers.push_back({"ETag", group_etag(*g)});
            return res;
        }
        if (with_members) {
            g = dir_.get_group(ctx.tenant, id, true);
            if (!g) return to_response(from_directory(g.error()));
        }
    }
    return resource_response(200, *g, ctx.groups_url, *shape);
}

http::response groups_endpoint::list(const group_request_context& ctx) const {
    const search_target groups[] = {groups_of(dir_, ctx, settings_.schemas->groups())};
    return answer_search_query(ctx.raw_query, groups, settings_, ctx.req.stop);
}

http::response groups_endpoint::search(const group_request_context& ctx) const {
    const search_target groups[] = {groups_of(dir_, ctx, settings_.schemas->groups())};
    return answer_search_body(ctx.req, groups, settings_);
}

http::response groups_endpoint::replace(const group_request_context& ctx, std::string_view id) const {
    auto body = parse_json_body(ctx.req, settings_.json);
    if (!body) return to_response(body.error());
    return replace(ctx, id, *body);
}

http::response groups_endpoint::replace(const group_request_context& ctx, std::string_view id,
                                        const json& body) const {
    const resource::resource_schema& schema = settings_.schemas->groups();
    auto shape = requested_projection(ctx, schema);
    if (!shape) return to_response(shape.error());
    if (body.is_object())
        if (auto given = body.find("id");
            given != body.end() && given->is_string() && given->get<std::string>() != id)
            return to_response(mutability_error("id is immutable: the body's id does not match the URL"));
    auto canonical = canonicalize_group(body, schema);
    if (!canonical) return to_response(canonical.error());
    const bool strict = settings_.options_for(ctx.tenant).strict_schema;
    return modify(
        dir_, ctx, id,
        [&](const directory::group& current) -> boost::system::result<directory::group_change, error> {
            if (strict)
                if (auto refused = refuse_unknown_attributes(canonical->resource, &current.resource, schema))
                    return *refused;
            directory::group_change c;
            c.resource = std::move(canonical->resource);
            c.members.push_back(directory::member_step::remove_all());
            if (!canonical->members.empty())
                c.members.push_back(directory::member_step::add(std::move(canonical->members)));
            return c;
        },
        *shape, true);
}

http::response groups_endpoint::patch(const group_request_context& ctx, std::string_view id) const {
    auto body = parse_json_body(ctx.req, settings_.json);
    if (!body) return to_response(body.error());
    return patch(ctx, id, *body);
}

http::response groups_endpoint::patch(const group_request_context& ctx, std::string_view id,
                                      const json& body) const {
    const resource::resource_schema& schema = settings_.schemas->groups();
    auto shape = requested_projection(ctx, schema);
    if (!shape) return to_response(shape.error());
    const bool strict = settings_.options_for(ctx.tenant).strict_schema;
    if (strict)
        if (auto refused = refuse_unknown_paths(body, schema)) return to_response(*refused);
    auto plan = plan_group_patch(body, {}, schema);
    if (!plan) return to_response(plan.error());
    return modify(
        dir_, ctx, id,
        [&](const directory::group& current) -> boost::system::result<directory::group_change, error> {
            auto resource =
                apply_group_resource_patch(*plan, render_group(current, ctx.groups_url), {}, schema);
            if (!resource) return resource.error();
            if (strict)
                if (auto refused = refuse_unknown_attributes(*resource, &current.resource, schema))
                    return *refused;
            directory::group_change c;
            c.resource = std::move(*resource);
            c.members = std::move(plan->member_steps);
            return c;
        },
        *shape, wants_representation(ctx, *shape));
}

http::response groups_endpoint::remove(const group_request_context& ctx, std::string_view id) const {
    auto cond = if_match_condition(ctx.req);
    if (!cond) return to_response(cond.error());
    auto expected = expected_version(*cond, [&] { return dir_.get_group(ctx.tenant, id, false); });
    if (!expected) return to_response(expected.error());
    auto r = dir_.delete_group(ctx.who, ctx.tenant, id, *expected);
    if (!r) return to_response(from_directory(r.error()));
    http::response res;
    res.status = 204;
    return res;
}

}  // namespace dirsync::scim
