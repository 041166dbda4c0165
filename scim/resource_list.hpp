#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <stop_token>
#include <string_view>

#include "scim/attribute_projection.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"
#include "scim/resource_collection.hpp"
#include "scim/sort_spec.hpp"

namespace dirsync::scim {

/// Schema URN of an RFC 7644 §3.4.2 ListResponse.
inline constexpr std::string_view list_response_message_urn =
    "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// One resource type taking part in a list or search, and the projection its resources are returned with
/// (made against the source's schema). Both must outlive the call.
struct list_part {
    const resource_collection* source = nullptr;
    const projection* shape = nullptr;
};

/// How a list or search selects, orders and pages, already resolved.
struct list_query {
    const filter* match = nullptr;    ///< nullptr: every resource
    const sort_spec* sort = nullptr;  ///< nullptr: list order (the parts in turn, each in its list order)
    std::int64_t start_index = 1;     ///< 1-based, >= 1
    std::int64_t count = 0;           ///< >= 0; 0 answers totalResults only
    /// The page stops before `count` once its resources hold about this many bytes as JSON text (always at
    /// least one resource); 0: no bound.
    std::size_t max_bytes = 0;
    /// Longest the list may take, measured from the call: a filtered or sorted list that visits resources for
    /// longer is abandoned with 400 tooMany (an unindexed filter or a sort over a large tenant must not hold
    /// a worker for minutes). 0: no limit.
    std::chrono::milliseconds time_limit{0};
    /// Requested when the server gives up waiting (shutdown): the list stops and throws
    /// common::temporarily_unavailable.
    std::stop_token stop{};
};

/// Answers a list or search (RFC 7644 §3.4.2, §3.4.3) as a ListResponse over `parts` taken in turn:
/// `totalResults` counts every match, `Resources` holds the matches at positions [start_index,
/// start_index + count) after sorting, each shaped by its part's projection, `itemsPerPage` is the number
/// returned and `startIndex` is echoed (an index past the end gives an empty page). A page that reaches
/// `max_bytes` ends there: itemsPerPage is then below `count` while totalResults still counts every match, so
/// a client pages on from startIndex + itemsPerPage.
///  - No filter and no sort: the page is read directly (source count() and list()); nothing else is loaded.
///  - A filter without sort: every candidate is streamed through the filter once; only the page is kept.
///  - Sorted: the whole match set is sorted before paging (stable: equal keys keep list order), so pages of
///    one sort are consistent. Only each match's key and id are kept in memory; the resources of the page are
///    read again by id afterwards, and one that was deleted or stopped matching meanwhile is skipped (the
///    page is then shorter; itemsPerPage says so).
/// Visiting resources past `time_limit` gives 400 tooMany instead of a page. Never throws for any input
/// (std::bad_alloc, store failures and `stop` aside).
boost::system::result<nlohmann::json, error> list_resources(std::span<const list_part> parts,
                                                            const list_query& query);

}  // namespace dirsync::scim
