#include "console/api_client.hpp"

#include "admin/api.hpp"
#include "http/query_string.hpp"

namespace dirsync::console {

std::string api_answer::detail() const {
    if (ok()) return {};
    if (body.is_object())
        if (auto it = body.find("detail"); it != body.end() && it->is_string()) return it->get<std::string>();
    return "the admin API answered " + std::to_string(status);
}

std::string api_answer::code() const {
    if (ok() || !body.is_object()) return {};
    auto it = body.find("code");
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

api_client::api_client(const http::router& api, std::string token, std::string acting_user,
                       std::string request_id, std::stop_token stop)
    : api_(api),
      token_(std::move(token)),
      acting_user_(std::move(acting_user)),
      request_id_(std::move(request_id)),
      stop_(std::move(stop)) {}

api_answer api_client::get(std::string_view target) const { return send("GET", target); }

api_answer api_client::send(std::string_view method, std::string_view target,
                            const nlohmann::json& body) const {
    http::request req;
    req.method = std::string(method);
    req.target = std::string(admin::api::base_path) + std::string(target);
    req.headers.push_back({"Authorization", "Bearer " + token_});
    if (!acting_user_.empty()) req.headers.push_back({std::string(admin::acting_user_header), acting_user_});
    if (!body.is_null()) {
        req.headers.push_back({"Content-Type", "application/json"});
        req.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    req.remote = "console";
    req.id = request_id_;
    req.stop = stop_;
    const http::response res = api_(req);
    api_answer out;
    out.status = res.status;
    if (res.status == 401) refused_token_ = true;
    out.body = nlohmann::json::parse(res.body, nullptr, false);
    if (out.body.is_discarded()) out.body = nullptr;
    return out;
}

std::string encode(std::string_view segment) { return http::percent_encode(segment); }

}  // namespace dirsync::console
