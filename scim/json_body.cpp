#include "scim/json_body.hpp"

#include "common/casefold.hpp"

namespace dirsync::scim {

namespace {
bool acceptable_content_type(std::string_view ct) {
    auto semi = ct.find(';');
    auto type = ct.substr(0, semi);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    return common::equal_folded(type, "application/scim+json") ||
           common::equal_folded(type, "application/json");
}
}  // namespace

boost::system::result<nlohmann::json, error> parse_json_body(const http::request& req,
                                                             const common::json_input_limits& limits) {
    if (auto ct = req.header("Content-Type"); ct && !acceptable_content_type(*ct))
        return error(415, "invalidSyntax", "Content-Type must be application/scim+json or application/json");
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return invalid_syntax("the request body is empty");
    auto body = common::parse_json_input(req.body, limits);
    if (body) return {boost::system::in_place_value, std::move(*body)};
    const auto& e = body.error();
    if (e.problem == common::json_input_problem::number_out_of_range) return invalid_value(e.message);
    if (e.problem == common::json_input_problem::syntax)
        return invalid_syntax("the request body is " + e.message);
    return invalid_syntax(e.message);
}

http::response json_response(unsigned status, const nlohmann::json& body) {
    http::response res;
    res.status = status;
    res.content_type = "application/scim+json";
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return res;
}

}  // namespace dirsync::scim
