#include "admin/response.hpp"

#include <string>

namespace dirsync::admin {

namespace {

std::string_view generic_code(unsigned status) {
    switch (status) {
        case 400:
            return "bad_request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not_found";
        case 405:
            return "method_not_allowed";
        case 409:
            return "conflict";
        case 412:
            return "precondition_failed";
        case 413:
            return "too_large";
        case 410:
            return "gone";
        case 429:
            return "rate_limited";
        case 503:
            return "unavailable";
        default:
            return status >= 500 ? "server_error" : "error";
    }
}

unsigned status_of(directory::error_code code) {
    switch (code) {
        case directory::error_code::not_found:
        case directory::error_code::unknown_tenant:
            return 404;
        case directory::error_code::conflict:
        case directory::error_code::uniqueness:
            return 409;
        case directory::error_code::precondition_failed:
            return 412;
        case directory::error_code::too_large:
            return 413;
        case directory::error_code::forbidden:
            return 403;
        case directory::error_code::gone:
            return 410;
        case directory::error_code::rate_limited:
            return 429;
        case directory::error_code::invalid_value:
            break;
    }
    return 400;
}

std::string_view name_of(directory::error_code code) {
    switch (code) {
        case directory::error_code::not_found:
            return "not_found";
        case directory::error_code::unknown_tenant:
            return "unknown_tenant";
        case directory::error_code::conflict:
            return "conflict";
        case directory::error_code::uniqueness:
            return "uniqueness";
        case directory::error_code::precondition_failed:
            return "precondition_failed";
        case directory::error_code::too_large:
            return "too_large";
        case directory::error_code::forbidden:
            return "forbidden";
        case directory::error_code::gone:
            return "gone";
        case directory::error_code::rate_limited:
            return "rate_limited";
        case directory::error_code::invalid_value:
            break;
    }
    return "invalid_value";
}

}  // namespace

http::response json_response(unsigned status, const nlohmann::json& body) {
    http::response res;
    res.status = status;
    res.content_type = "application/json";
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return res;
}

http::response error_response(unsigned status, std::string_view code, std::string_view detail) {
    nlohmann::json body{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:Error"}},
                        {"status", std::to_string(status)},
                        {"code", code.empty() ? generic_code(status) : code},
                        {"detail", detail}};
    return json_response(status, body);
}

http::response refusal_response(const directory::error& e) {
    auto res = error_response(status_of(e.code),
                              e.reason.empty() ? name_of(e.code) : std::string_view(e.reason), e.message);
    if (e.retry_after) res.headers.push_back({"Retry-After", std::to_string(e.retry_after->count())});
    return res;
}

directory::actor admin_actor(const http::principal& who) { return {"admin", who.token_id}; }

}  // namespace dirsync::admin
