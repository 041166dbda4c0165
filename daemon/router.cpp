#include "daemon/router.hpp"

#include "http/error_response.hpp"
#include "http/query_string.hpp"

namespace dirsync::daemon {

http::response router::operator()(http::request& req) const {
    if (scim_.owns(req.target)) return scim_.handle(req);
    if (admin_ != nullptr && admin::api::owns(req.target)) return admin_->handle(req);
    auto path = http::split_target(req.target).first;
    if (path == "/healthz") {
        if (req.method != "GET" && req.method != "HEAD") {
            auto res = http::error_response(405, "method not allowed here; allowed: GET");
            res.headers.push_back({"Allow", "GET"});
            return res;
        }
        http::response res;
        res.content_type = "application/json";
        res.body = R"({"status":"ok"})";
        return res;
    }
    return http::error_response(404, "no such endpoint");
}

}  // namespace dirsync::daemon
