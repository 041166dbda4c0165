#pragma once

#include "http/message.hpp"
#include "scim/service.hpp"

namespace dirsync::daemon {

/// Dispatches requests to the protocol modules by path: the SCIM base path to scim::service, `/healthz` to a
/// liveness answer, everything else 404 (as a SCIM Error, the only error shape our clients parse).
class router {
public:
    explicit router(const scim::service& scim) : scim_(scim) {}
    http::response operator()(http::request& req) const;

private:
    const scim::service& scim_;
};

}  // namespace dirsync::daemon
