#include "scim/etag.hpp"

#include <charconv>

namespace dirsync::scim {

bool etag_condition::matches(std::int64_t version) const noexcept {
    if (any) return true;
    for (auto v : versions)
        if (v == version) return true;
    return false;
}

boost::system::result<etag_condition, error> parse_etag_condition(std::string_view h) {
    etag_condition out;
    auto skip_ws = [&] {
        while (!h.empty() && (h.front() == ' ' || h.front() == '\t' || h.front() == ',')) h.remove_prefix(1);
    };
    skip_ws();
    if (h == "*") {
        out.any = true;
        return out;
    }
    while (!h.empty()) {
        if (h.size() >= 2 && (h[0] == 'W' || h[0] == 'w') && h[1] == '/') h.remove_prefix(2);
        if (h.empty() || h.front() != '"')
            return invalid_value("malformed entity tag in If-Match/If-None-Match");
        auto close = h.find('"', 1);
        if (close == std::string_view::npos)
            return invalid_value("malformed entity tag in If-Match/If-None-Match");
        auto tag = h.substr(1, close - 1);
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(tag.data(), tag.data() + tag.size(), v);
        if (ec == std::errc() && end == tag.data() + tag.size()) out.versions.push_back(v);
        h.remove_prefix(close + 1);
        skip_ws();
    }
    return out;
}

boost::system::result<std::optional<etag_condition>, error> if_match_condition(const http::request& req) {
    auto h = req.header("If-Match");
    if (!h) return std::optional<etag_condition>{};
    auto c = parse_etag_condition(*h);
    if (!c) return c.error();
    return std::optional<etag_condition>{std::move(*c)};
}

error stale_version(std::int64_t current_version) {
    return error(412, "",
                 "If-Match does not match the current version W/\"" + std::to_string(current_version) + "\"");
}

}  // namespace dirsync::scim
