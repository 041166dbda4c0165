#pragma once

#include <string>
#include <string_view>

#include "directory/directory.hpp"
#include "scim/filter.hpp"
#include "scim/resource_collection.hpp"
#include "scim/search.hpp"

namespace dirsync::scim {

/// The Groups of one tenant as a resource_collection, read from the directory and rendered with render_group.
/// scan() answers an `eq` on id, displayName (case-insensitively) or externalId from the directory's indexes.
/// With `with_members` false the members are never read (a list of large groups costs what their names do).
/// List order is creation order. Cheap to construct per request; thread-safe like the directory.
class group_collection final : public resource_collection {
  public:
    /// `groups_url` is the absolute URL of the Groups collection, for `meta.location` and member `$ref`s;
    /// `schema` (the Group resource type's schemas) must outlive the source.
    group_collection(const directory::tenant_directory& dir, std::string tenant, std::string groups_url,
                     bool with_members,
                     const resource::resource_schema& schema = resource::group_resource_schema())
        : dir_(dir),
          tenant_(std::move(tenant)),
          groups_url_(std::move(groups_url)),
          with_members_(with_members),
          schema_(schema) {}

    const resource::resource_schema& schema() const override;
    std::int64_t count() const override;
    void list(std::int64_t offset, std::int64_t limit, const resource_visitor& visit) const override;
    void scan(const filter& f, const resource_visitor& visit) const override;
    std::optional<nlohmann::json> find(std::string_view id) const override;

  private:
    const directory::tenant_directory& dir_;
    std::string tenant_;
    std::string groups_url_;
    bool with_members_;
    const resource::resource_schema& schema_;
};

/// True when some attribute path of `f` names `members` (matching then needs them loaded).
bool filter_mentions_members(const filter& f);

/// The Groups of `tenant` as a target of list and search requests (GET /Groups, POST /Groups/.search,
/// POST /.search): members are loaded only when the projection returns them or the filter or sortBy
/// mentions them. Filtered, sorted and projected with `schema`; `dir` and `schema` must outlive the target.
search_target group_search_target(
    const directory::tenant_directory& dir, std::string tenant, std::string groups_url,
    const resource::resource_schema& schema = resource::group_resource_schema());

}  // namespace dirsync::scim
