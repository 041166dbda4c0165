#pragma once

#include "admin/api.hpp"
#include "http/message.hpp"
#include "scim/service.hpp"
#include "store/database.hpp"

namespace dirsync::daemon {

/// Dispatches requests to the protocol modules by path: the SCIM base path to scim::service, `/admin/v1` to
/// the admin API (when there is one), `/healthz` to the readiness answer, everything else 404 (as a SCIM
/// Error, the only error shape our clients parse).
///
/// `/healthz` answers 200 `{"status":"ok"}` while the service can take writes, and 503
/// `{"status":"unavailable","storage":"full",...}` with Retry-After while writes fail for lack of disk space
/// (store::database::out_of_space).
class router {
  public:
    explicit router(const scim::service& scim, const admin::api* admin = nullptr,
                    const store::database* store = nullptr)
        : scim_(scim), admin_(admin), store_(store) {}
    http::response operator()(http::request& req) const;

  private:
    http::response health() const;

    const scim::service& scim_;
    const admin::api* admin_;
    const store::database* store_;
};

}  // namespace dirsync::daemon
