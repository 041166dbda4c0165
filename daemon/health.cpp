#include "daemon/health.hpp"

#include <nlohmann/json.hpp>
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

http::response readiness(const store::database& store, const readiness_checks& checks) {
    nlohmann::json report = nlohmann::json::object();
    bool ready = true;
    auto check = [&](const char* name, std::optional<std::string> problem) {
        ready = ready && !problem;
        report[name] = problem ? *problem : "ok";
    };
    check("store", store.readiness_problem(checks.max_write_time));
    check("server", !checks.accepting || checks.accepting()
                        ? std::nullopt
                        : std::optional<std::string>("the server is not accepting connections"));
    http::response res;
    res.content_type = "application/json";
    res.status = ready ? 200 : 503;
    res.body = nlohmann::json{{"status", ready ? "ready" : "not_ready"}, {"checks", report}}.dump();
    return res;
}

}  // namespace

void add_health_routes(http::router& r, const store::database& store, readiness_checks checks) {
    http::mount_point root;
    root.on_io_thread = true;  // cheap, and due even when every worker is busy
    r.add_mount(std::move(root))
        .route("GET", "/healthz", [&store](const http::route_call&) { return health(store); })
        .route("GET", "/readyz", [&store, checks = std::move(checks)](const http::route_call&) {
            return readiness(store, checks);
        });
}

}  // namespace dirsync::daemon
