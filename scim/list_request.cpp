#include "scim/list_request.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace dirsync::scim {

namespace {
boost::system::result<std::int64_t, error> integer_param(std::string_view name, std::string_view text) {
    std::int64_t v = 0;
    auto trimmed = text;
    while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
    auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), v);
    if (trimmed.empty() || end != trimmed.data() + trimmed.size())
        return invalid_value(std::string(name) + " must be an integer");
    if (ec == std::errc::result_out_of_range) return trimmed.front() == '-' ? INT64_MIN : INT64_MAX;
    return v;
}
}  // namespace

boost::system::result<list_request, error> parse_list_request(const http::query_params& params,
                                                              std::size_t default_count,
                                                              std::size_t max_count) {
    list_request out;
    if (auto f = params.get("filter")) out.filter = std::string(*f);
    if (auto s = params.get("startIndex")) {
        auto v = integer_param("startIndex", *s);
        if (!v) return v.error();
        out.start_index = *v < 1 ? 1 : *v;
    }
    constexpr std::size_t int64_max = static_cast<std::size_t>(INT64_MAX);
    default_count = std::min(default_count, int64_max);
    max_count = std::min(max_count, int64_max);
    out.count = static_cast<std::int64_t>(default_count);
    if (auto c = params.get("count")) {
        auto v = integer_param("count", *c);
        if (!v) return v.error();
        out.count = *v < 0 ? 0 : *v;
    }
    if (out.count > static_cast<std::int64_t>(max_count)) out.count = static_cast<std::int64_t>(max_count);
    return out;
}

}  // namespace dirsync::scim
