#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

#include "directory/error.hpp"
#include "scim/directory_error.hpp"
#include "scim/error.hpp"
#include "scim/etag.hpp"

namespace dirsync::scim {

/// The step PUT and PATCH run inside the directory's write transaction, so that the If-Match check and the
/// write are atomic: a version `cond` does not name records 412 in `failure`; otherwise `change(current)`
/// gives the write, and a change it refuses is recorded in `failure`. Either way the directory error returned
/// only aborts the transaction: answer `*failure` when it is set.
template <class Record, class Change>
auto checked_change(const std::optional<etag_condition>& cond, const Record& current,
                    std::optional<error>& failure, Change&& change)
    -> directory::result<typename std::invoke_result_t<Change, const Record&>::value_type> {
    if (cond && !cond->matches(current.version)) {
        failure = stale_version(current.version);
        return directory::error(directory::error_code::precondition_failed, "");
    }
    auto next = std::forward<Change>(change)(current);
    if (!next) {
        failure = next.error();
        return directory::error(directory::error_code::invalid_value, "");
    }
    return std::move(*next);
}

/// The version a DELETE under `cond` expects the record to still have: none without If-Match; the current
/// version (read by `read_current`, returning a directory::result of a record) when `cond` names it, so the
/// delete fails if it changed since; 404 or 412 otherwise.
template <class ReadCurrent>
boost::system::result<std::optional<std::int64_t>, error> expected_version(
    const std::optional<etag_condition>& cond, ReadCurrent&& read_current) {
    if (!cond) return std::optional<std::int64_t>();
    auto current = std::forward<ReadCurrent>(read_current)();
    if (!current) return from_directory(current.error());
    if (!cond->matches(current->version)) return stale_version(current->version);
    return std::optional<std::int64_t>(current->version);
}

}  // namespace dirsync::scim
