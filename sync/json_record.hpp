#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sync/source_record.hpp"

namespace dirsync::sync {

/// A JSON resource read from a source that speaks JSON (a remote SCIM service provider) as a source_record:
/// its name is its `id`, and find() takes SCIM attribute paths (RFC 7644 §3.10 with value filters, the PATCH
/// path grammar) as names:
///  - `userName`, `name.givenName`, `meta.lastModified`, `emails.value` (every value's), `members.value`;
///  - `emails[type eq "work"].value`: only the values the filter matches (scim::matches_value);
///  - `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber` or `...:manager.value`:
///    an extension's attribute under its URN; the core URN names the top level; an unqualified name the top
///    level lacks is looked for in the extension objects;
///  - a complex value named without a sub-attribute yields its `value` (`manager` is `manager.value`).
/// Names and JSON keys match ASCII case-insensitively. Strings come as they are, booleans as "true"/"false",
/// numbers in their JSON form; null, objects and arrays without such values yield nothing. A path that does
/// not parse yields nothing (the configuration checks paths at load). Answers are computed once per path
/// and kept: not thread-safe, as a record belongs to the run that read it.
class json_record final : public source_record {
  public:
    /// `resource` must be an object; its `id` (a string) becomes the name ("" when it has none).
    explicit json_record(nlohmann::json resource);

    const std::string& name() const override { return name_; }
    const std::vector<std::string>* find(std::string_view path) const override;
    const nlohmann::json* resource() const override { return &resource_; }

  private:
    nlohmann::json resource_;
    std::string name_;
    mutable std::map<std::string, std::vector<std::string>, std::less<>> found_;
};

}  // namespace dirsync::sync
