#pragma once

#include "http/router.hpp"
#include "store/database.hpp"

namespace dirsync::daemon {

/// Mounts GET /healthz on `r`'s root, open to anyone: 200 `{"status":"ok"}` while the service can take
/// writes, and 503 `{"status":"unavailable","storage":"full",...}` with Retry-After while writes fail for
/// lack of disk space (store::database::out_of_space). `store` must outlive `r`.
void add_health_route(http::router& r, const store::database& store);

}  // namespace dirsync::daemon
