#include "daemon/router.hpp"

#include <string>

#include "http/query_string.hpp"
#include "scim/error.hpp"

namespace dirsync::daemon {

http::response router::operator()(http::request& req) const {
    if (scim_.owns(req.target)) return scim_.handle(req);
    if (admin_ != nullptr && admin::api::owns(req.target)) return admin_->handle(req);
    auto path = http::split_target(req.target).first;
    if (path == "/healthz") {
        if (req.method != "GET" && req.method != "HEAD") return scim::method_not_allowed("GET");
        return health();
    }
    return scim::error_response(404, "no such endpoint");
}

http::response router::health() const {
    http::response res;
    res.content_type = "application/json";
    if (store_ != nullptr && store_->out_of_space()) {
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

}  // namespace dirsync::daemon
