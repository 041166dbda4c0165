#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scim/bulk_request.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// The bulkId of a reference "bulkId:<bulkId>" (RFC 7644 §3.7.2), or nullopt when `value` is not one. The
/// prefix is case-sensitive and the value must be the whole string.
std::optional<std::string_view> bulk_id_reference(std::string_view value) noexcept;

/// The bulkIds an operation references, each once, in order of appearance: its path id and every string
/// value of its data, at any depth, that is a whole reference (object keys are not; neither are references
/// inside a longer string such as a PATCH filter path).
std::vector<std::string> referenced_bulk_ids(const bulk_operation& op);

/// One step of a plan: run `operation` (an index into the request), unless it is `circular`: then it fails
/// with 409 without running.
struct bulk_step {
    std::size_t operation = 0;
    bool circular = false;
};

/// The order to run a request's operations in (RFC 7644 §3.7.1): the request's order, except that a POST
/// runs before the operations that reference its bulkId, so forward references resolve. The POSTs that
/// reference each other in a cycle (also a POST referencing its own bulkId) are `circular`; an operation
/// that merely depends on a cycle is not, and fails when its reference cannot be resolved. Every operation
/// appears exactly once. Iterative: no recursion depth grows with the request.
std::vector<bulk_step> plan_bulk(const std::vector<bulk_operation>& operations);

/// The bulkIds of one request and the ids they came to stand for while it runs.
class bulk_id_table {
  public:
    /// Records the bulkId of every well-formed POST of `operations`.
    explicit bulk_id_table(const std::vector<bulk_operation>& operations);

    /// The index of the POST that defines `bulk_id`, or nullopt.
    std::optional<std::size_t> defined_by(std::string_view bulk_id) const;

    /// Records the id of the resource the POST with `bulk_id` created.
    void created(std::string_view bulk_id, std::string id);

    /// The id `bulk_id` stands for; 409 invalidValue when no POST of the request has it, or when its POST
    /// failed or has not run.
    boost::system::result<std::string, error> resolve(std::string_view bulk_id) const;

    /// Replaces every reference in `op`'s path id and data (as referenced_bulk_ids finds them) by its id.
    /// On an unresolvable reference returns its error; `op` may then be partly rewritten.
    boost::system::result<void, error> resolve_references(bulk_operation& op) const;

  private:
    struct entry {
        std::size_t operation;
        std::optional<std::string> id;
    };
    std::map<std::string, entry, std::less<>> entries_;
};

}  // namespace dirsync::scim
