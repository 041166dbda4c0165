#include "scim/search_request.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "common/casefold.hpp"
#include "resource/json_lookup.hpp"
#include "scim/list_request.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

/// An integer member: a JSON integer, an integral JSON number, or a string of digits (with a sign).
boost::system::result<std::int64_t, error> integer_member(std::string_view name, const json& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        return u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                   ? std::numeric_limits<std::int64_t>::max()
                   : static_cast<std::int64_t>(u);
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::trunc(d) == d) {
            if (d >= 9.0e18) return std::numeric_limits<std::int64_t>::max();
            if (d <= -9.0e18) return std::numeric_limits<std::int64_t>::min();
            return static_cast<std::int64_t>(d);
        }
    } else if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        std::int64_t out = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (!s.empty() && end == s.data() + s.size()) {
            if (ec == std::errc::result_out_of_range)
                return s.front() == '-' ? std::numeric_limits<std::int64_t>::min()
                                        : std::numeric_limits<std::int64_t>::max();
            if (ec == std::errc()) return out;
        }
    }
    return invalid_syntax("'" + std::string(name) + "' must be an integer");
}

boost::system::result<std::optional<std::string>, error> string_member(const json& body,
                                                                       std::string_view name) {
    const json* v = resource::json_member(body, name);
    if (v == nullptr || v->is_null()) return std::optional<std::string>{};
    if (!v->is_string()) return invalid_syntax("'" + std::string(name) + "' must be a string");
    return std::optional<std::string>{v->get<std::string>()};
}

boost::system::result<std::vector<std::string>, error> string_list_member(const json& body,
                                                                          std::string_view name) {
    std::vector<std::string> out;
    const json* v = resource::json_member(body, name);
    if (v == nullptr || v->is_null()) return out;
    if (v->is_string()) {
        out.push_back(v->get<std::string>());
        return out;
    }
    if (!v->is_array())
        return invalid_syntax("'" + std::string(name) + "' must be an array of attribute paths");
    for (const auto& item : *v) {
        if (!item.is_string())
            return invalid_syntax("'" + std::string(name) + "' must be an array of attribute paths");
        out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace

boost::system::result<search_request, error> parse_search_query(const http::query_params& params,
                                                                std::size_t default_count,
                                                                std::size_t max_count) {
    auto paging = parse_list_request(params, default_count, max_count);
    if (!paging) return paging.error();
    search_request out;
    out.filter = std::move(paging->filter);
    out.start_index = paging->start_index;
    out.count = paging->count;
    if (auto a = params.get("attributes")) out.attributes.emplace_back(*a);
    if (auto e = params.get("excludedAttributes")) out.excluded_attributes.emplace_back(*e);
    if (auto by = params.get("sortBy")) {
        auto spec = parse_sort_spec(*by, params.get("sortOrder"));
        if (!spec) return spec.error();
        out.sort = std::move(*spec);
    }
    return out;
}

boost::system::result<search_request, error> parse_search_body(const json& body, std::size_t default_count,
                                                               std::size_t max_count) {
    if (!body.is_object()) return invalid_syntax("a SearchRequest must be a JSON object");
    bool listed = false;
    if (const json* schemas = resource::json_member(body, "schemas");
        schemas != nullptr && schemas->is_array())
        for (const auto& urn : *schemas)
            listed |= urn.is_string() &&
                      common::equal_folded(urn.get_ref<const std::string&>(), search_request_urn);
    if (!listed) return invalid_syntax("'schemas' must list \"" + std::string(search_request_urn) + "\"");

    search_request out;
    auto attributes = string_list_member(body, "attributes");
    if (!attributes) return attributes.error();
    out.attributes = std::move(*attributes);
    auto excluded = string_list_member(body, "excludedAttributes");
    if (!excluded) return excluded.error();
    out.excluded_attributes = std::move(*excluded);

    auto filter = string_member(body, "filter");
    if (!filter) return filter.error();
    out.filter = std::move(*filter);

    auto sort_by = string_member(body, "sortBy");
    if (!sort_by) return sort_by.error();
    auto sort_order = string_member(body, "sortOrder");
    if (!sort_order) return sort_order.error();
    if (*sort_by) {
        std::optional<std::string_view> order;
        if (*sort_order) order = **sort_order;
        auto spec = parse_sort_spec(**sort_by, order);
        if (!spec) return spec.error();
        out.sort = std::move(*spec);
    }

    if (const json* s = resource::json_member(body, "startIndex"); s != nullptr && !s->is_null()) {
        auto v = integer_member("startIndex", *s);
        if (!v) return v.error();
        out.start_index = *v < 1 ? 1 : *v;
    }
    out.count = static_cast<std::int64_t>(default_count);
    if (const json* c = resource::json_member(body, "count"); c != nullptr && !c->is_null()) {
        auto v = integer_member("count", *c);
        if (!v) return v.error();
        out.count = *v < 0 ? 0 : *v;
    }
    if (out.count > static_cast<std::int64_t>(max_count)) out.count = static_cast<std::int64_t>(max_count);
    return out;
}

}  // namespace dirsync::scim
