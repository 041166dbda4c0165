#include "scim/search.hpp"

#include <optional>
#include <vector>

#include "scim/json_body.hpp"
#include "scim/resource_list.hpp"

namespace dirsync::scim {

http::response answer_search(const search_request& request, std::span<const search_target> targets,
                             const service_settings& settings, std::stop_token stop) {
    std::optional<filter> match;
    if (request.filter) {
        auto f = parse_filter(*request.filter, settings.filter);
        if (!f) return to_response(invalid_filter(f.error().message));
        match = std::move(*f);
    }
    if (request.sort) {
        std::optional<error> refused;
        bool known = false;
        for (const auto& t : targets) {
            auto valid = validate_sort_spec(*request.sort, *t.schema);
            if (valid)
                known = true;
            else if (!refused)
                refused = valid.error();
        }
        if (!known && refused) return to_response(*refused);
    }

    std::vector<projection> shapes;
    shapes.reserve(targets.size());
    for (const auto& t : targets) {
        auto shape = projection::make(*t.schema, request.attributes, request.excluded_attributes);
        if (!shape) return to_response(shape.error());
        shapes.push_back(std::move(*shape));
    }

    const filter* match_ptr = match ? &*match : nullptr;
    const sort_spec* sort_ptr = request.sort ? &*request.sort : nullptr;
    std::vector<std::unique_ptr<resource_collection>> sources;
    std::vector<list_part> parts;
    sources.reserve(targets.size());
    parts.reserve(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        sources.push_back(targets[i].open(search_needs{shapes[i], match_ptr, sort_ptr}));
        parts.push_back({sources.back().get(), &shapes[i]});
    }
    list_query q;
    q.match = match_ptr;
    q.sort = sort_ptr;
    q.start_index = request.start_index;
    q.count = request.count;
    q.max_bytes = settings.max_page_bytes;
    q.time_limit = settings.search_time_limit;
    q.stop = std::move(stop);
    auto page = list_resources(parts, q);
    if (!page) return to_response(page.error());
    return json_response(200, std::move(*page));
}

http::response answer_search_query(std::string_view raw_query, std::span<const search_target> targets,
                                   const service_settings& settings, std::stop_token stop) {
    auto params = http::query_params::parse(raw_query);
    if (!params) return to_response(invalid_value("the query string has a malformed percent-escape"));
    auto request = parse_search_query(*params, settings.default_page_size, settings.max_page_size);
    if (!request) return to_response(request.error());
    return answer_search(*request, targets, settings, std::move(stop));
}

http::response answer_search_body(const http::request& req, std::span<const search_target> targets,
                                  const service_settings& settings) {
    auto body = parse_json_body(req, settings.json);
    if (!body) return to_response(body.error());
    auto request = parse_search_body(*body, settings.default_page_size, settings.max_page_size);
    if (!request) return to_response(request.error());
    return answer_search(*request, targets, settings, req.stop);
}

}  // namespace dirsync::scim
