#include "admin/response.hpp"

namespace dirsync::admin {

http::response json_response(unsigned status, const nlohmann::json& body) {
    http::response res;
    res.status = status;
    res.content_type = "application/json";
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return res;
}

directory::actor admin_actor(const http::principal& who) { return {"admin", who.token_id}; }

}  // namespace dirsync::admin
