#pragma once

#include "admin/api.hpp"
#include "http/message.hpp"
#include "scim/service.hpp"

namespace dirsync::daemon {

/// Dispatches requests to the protocol modules by path: the SCIM base path to scim::service, `/admin/v1` to
/// the admin API (when there is one), `/healthz` to a liveness answer, everything else 404 (as a SCIM Error,
/// the only error shape our clients parse).
class router {
public:
    explicit router(const scim::service& scim, const admin::api* admin = nullptr) : scim_(scim), admin_(admin) {}
    http::response operator()(http::request& req) const;

private:
    const scim::service& scim_;
    const admin::api* admin_;
};

}  // namespace dirsync::daemon
