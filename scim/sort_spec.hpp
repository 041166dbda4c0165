#pragma once

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "resource/schema.hpp"
#include "scim/attribute_path.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

/// RFC 7644 §3.4.2.3 "sortOrder".
enum class sort_direction { ascending, descending };

/// What a list is sorted by (RFC 7644 §3.4.2.3): the `sortBy` attribute path and the `sortOrder`.
struct sort_spec {
    attribute_path path;
    sort_direction direction = sort_direction::ascending;
};

/// The value one resource sorts by, already in comparable form: strings folded with common::fold_case unless
/// the attribute is caseExact (so the order is Unicode code point order of the folded text), booleans,
/// numbers (integers and decimals alike), dateTimes as instants; monostate when the resource has no usable
/// value.
using sort_key = std::variant<std::monostate, bool, double, common::timestamp, std::string>;

/// Parses `sortBy` and `sortOrder`. `sort_order` is "ascending" or "descending" in any case, ascending when
/// absent. Errors (400 invalidValue): a sortBy that is not an attribute path, any other sortOrder.
boost::system::result<sort_spec, error> parse_sort_spec(std::string_view sort_by,
                                                        std::optional<std::string_view> sort_order);

/// Checks that `spec` names something `schema` can sort by, else 400 invalidValue: the attribute (and
/// sub-attribute) must be known (RFC 7644 leaves unsupported sortBy open; a typo silently leaving the order
/// unchanged would break a client's paging, so we refuse), must not be returned "never", and a complex
/// attribute needs a sub-attribute, except that a multi-valued complex attribute with a "value"
/// sub-attribute sorts by it (`emails` is `emails.value`, as in filters).
boost::system::result<void, error> validate_sort_spec(const sort_spec& spec,
                                                      const resource::resource_schema& schema);

/// The key of `resource` under `spec`: for a multi-valued attribute the value marked primary, else the first
/// value that has one (RFC 7644 §3.4.2.3). A value of the wrong JSON type, an unparsable dateTime, or an
/// attribute `schema` does not know (in a search over several resource types) gives no value.
sort_key make_sort_key(const sort_spec& spec, const nlohmann::json& resource,
                       const resource::resource_schema& schema);

/// Strict weak order of keys for `direction`: ascending puts resources without a value last, descending
/// first (RFC 7644 §3.4.2.3, i.e. descending is the exact reverse). Keys of different kinds (possible only
/// across resource types) order by kind: boolean, number, dateTime, string.
bool sorts_before(const sort_key& a, const sort_key& b, sort_direction direction) noexcept;

/// Stable-sorts `resources` (all of one resource type) by `spec`: equal keys keep their order.
void sort_resources(std::vector<nlohmann::json>& resources, const sort_spec& spec,
                    const resource::resource_schema& schema);

}  // namespace dirsync::scim
