#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "resource/schema.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

/// Receives one rendered resource; returns false to stop the visit.
using resource_visitor = std::function<bool(nlohmann::json&& resource)>;

/// Read access to the resources of one resource type of one tenant, rendered as SCIM JSON (everything the
/// resource has, before any projection; with `id`), for lists and searches (see list_resources). Every
/// method lists in the same stable "list order" (e.g. creation order). Implementations are per-request
/// objects over the directory; none of the methods may throw for any input.
class resource_collection {
  public:
    virtual ~resource_collection() = default;

    /// The resource type's schemas, for filters and sorting.
    virtual const resource::resource_schema& schema() const = 0;

    /// How many resources there are.
    virtual std::int64_t count() const = 0;

    /// Visits the resources at positions [offset, offset + limit) of list order.
    virtual void list(std::int64_t offset, std::int64_t limit, const resource_visitor& visit) const = 0;

    /// Visits, in list order, a superset of the resources that match `f` (all of them, or candidates found
    /// through an index), until `visit` returns false. The caller still evaluates `f` on each.
    virtual void scan(const filter& f, const resource_visitor& visit) const = 0;

    /// The resource with this id, nullopt when there is none (any more).
    virtual std::optional<nlohmann::json> find(std::string_view id) const = 0;
};

}  // namespace dirsync::scim
