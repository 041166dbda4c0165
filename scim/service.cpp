#include "scim/service.hpp"

#include "scim/bulk_endpoint.hpp"
#include "scim/discovery_endpoint.hpp"
#include "scim/error.hpp"
#include "scim/group_collection.hpp"
#include "scim/groups_endpoint.hpp"
#include "scim/json_body.hpp"
#include "scim/search.hpp"
#include "scim/user_collection.hpp"
#include "scim/users_endpoint.hpp"

namespace dirsync::scim {

namespace {

http::response unauthorized(const http::request& req) {
    auto res = to_response(error(401, "",
                                 req.header("Authorization")
                                     ? "the bearer token is not valid"
                                     : "authentication required: send Authorization: Bearer <token>"));
    res.headers.push_back({"WWW-Authenticate", "Bearer realm=\"dirsyncd\""});
    return res;
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

struct service::scope {
    std::string_view tenant;
    directory::actor who;
    std::string base;                                  ///< absolute URL of base_path, for locations
    std::shared_ptr<const service_settings> settings;  ///< as at the request's start
};

service_settings service::normalized(service_settings settings) const {
    settings.base_path = base_path_;
    while (!settings.public_base_url.empty() && settings.public_base_url.back() == '/')
        settings.public_base_url.pop_back();
    return settings;
}

service::service(directory::tenant_directory& dir, service_settings settings) : dir_(dir) {
    base_path_ = settings.base_path;
    while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
    settings_.store(std::make_shared<const service_settings>(normalized(std::move(settings))));
}

void service::reconfigure(service_settings settings) {
    settings_.store(std::make_shared<const service_settings>(normalized(std::move(settings))));
}

service::scope service::scope_of(const http::route_call& call) const {
    auto settings = settings_.load();
    std::string base = settings->public_base_url;
    if (base.empty()) {
        auto host = call.req.header("Host");
        if (host && !host->empty() && host->find_first_of("/ \t\"") == std::string_view::npos)
            base = std::string(settings->tls ? "https://" : "http://") + std::string(*host);
        base += settings->base_path;
    }
    return {call.who.tenant, directory::actor{std::string(directory::scim_actor), call.who.token_id},
            std::move(base), std::move(settings)};
}

template <class Endpoint, class Context>
void service::add_resource_routes(http::router::mount& m, const std::string& collection) const {
    // An endpoint per request, as it holds only references; `action` gets it, the request's context and the
    // {id} capture.
    auto serve = [this, collection](auto action) {
        return [this, collection, action](const http::route_call& call) {
            const scope s = scope_of(call);
            Endpoint endpoint(dir_, *s.settings);
            const Context ctx{call.req, s.tenant, s.who, s.base + collection, call.query};
            return action(endpoint, ctx, call.params.get("id"));
        };
    };
    using id_view = std::string_view;
    m.route("GET", collection, serve([](Endpoint& e, const Context& c, id_view) { return e.list(c); }),
            {.on_io_thread_when = &Endpoint::list_is_bounded})
        .route("POST", collection, serve([](Endpoint& e, const Context& c, id_view) { return e.create(c); }))
        .route("POST", collection + "/.search",
               serve([](Endpoint& e, const Context& c, id_view) { return e.search(c); }))
        .route("GET", collection + "/{id}",
               serve([](Endpoint& e, const Context& c, id_view id) { return e.get(c, id); }),
               {.on_io_thread = Endpoint::get_is_bounded})
        .route("PUT", collection + "/{id}",
               serve([](Endpoint& e, const Context& c, id_view id) { return e.replace(c, id); }))
        .route("PATCH", collection + "/{id}",
               serve([](Endpoint& e, const Context& c, id_view id) { return e.patch(c, id); }))
        .route("DELETE", collection + "/{id}",
               serve([](Endpoint& e, const Context& c, id_view id) { return e.remove(c, id); }));
}

void service::add_routes(http::router& r) const {
    http::mount_point point;
    point.prefix = base_path_;
    point.fold_case = true;
    point.admits = [](const http::principal& p) { return p.is(http::principal::role::scim_client); };
    point.refuse = [](const http::request& req, const http::principal&) { return unauthorized(req); };
    auto& m = r.add_mount(std::move(point));

    add_resource_routes<users_endpoint, user_request_context>(m, "/Users");
    add_resource_routes<groups_endpoint, group_request_context>(m, "/Groups");
    m.route("POST", "/Bulk", [this](const http::route_call& call) {
        const scope s = scope_of(call);
        return bulk_endpoint(dir_, *s.settings)
            .handle(bulk_request_context{call.req, s.tenant, s.who, s.base});
    });
    m.route("POST", "/.search", [this](const http::route_call& call) {
        const scope s = scope_of(call);
        return answer_search_body(call.req, root_search_targets(dir_, s.tenant, s.base, *s.settings->schemas),
                                  *s.settings);
    });
    for (std::string_view collection : {"ServiceProviderConfig", "ResourceTypes", "Schemas"}) {
        auto discovery = [this, collection](const http::route_call& call) {
            const scope s = scope_of(call);
            return answer_discovery(collection, call.params.get("id"), call.query, *s.settings, s.base);
        };
        m.route("GET", "/" + std::string(collection), discovery);
        if (collection != "ServiceProviderConfig")
            m.route("GET", "/" + std::string(collection) + "/{id}", discovery);
    }
}

}  // namespace dirsync::scim
