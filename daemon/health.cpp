#include "daemon/health.hpp"

#include <string>

namespace dirsync::daemon {

namespace {

http::response health(const store::database& store) {
    http::response res;
    res.content_type = "application/json";
    if (store.out_of_space()) {
        res.status = 503;
        res.headers.push_back({"Retry-After", std::to_string(store::storage_full_retry_after.count())});
        res.body =
            R"({"status":"unavailable","storage":"full","detail":"writes fail: the file system holding )"
            R"(the database is full"})";
        return res;
    }
    res.body = R"({"status":"ok"})";
    return res;
}

}  // namespace

void add_health_route(http::router& r, const store::database& store) {
    http::mount_point root;
    root.on_io_thread = true;  // cheap, and due even when every worker is busy
    r.add_mount(std::move(root)).route("GET", "/healthz", [&store](const http::route_call&) {
        return health(store);
    });
}

}  // namespace dirsync::daemon
