#pragma once

#include <string>
#include <string_view>

#include "directory/directory.hpp"
#include "scim/resource_collection.hpp"
#include "scim/search.hpp"

namespace dirsync::scim {

/// The Users of one tenant as a resource_collection, read from the directory and rendered with render_user.
/// scan() answers an `eq` on id, userName, externalId or emails.value from the directory's indexes. List
/// order is the directory's (creation order). Cheap to construct per request; thread-safe like the directory.
class user_collection final : public resource_collection {
  public:
    /// `users_url` is the absolute URL of the Users collection, for `meta.location`; `schema` (the User
    /// resource type's schemas) must outlive the source.
    user_collection(const directory::tenant_directory& dir, std::string tenant, std::string users_url,
                    const resource::resource_schema& schema = resource::user_resource_schema())
        : dir_(dir), tenant_(std::move(tenant)), users_url_(std::move(users_url)), schema_(schema) {}

    const resource::resource_schema& schema() const override;
    std::int64_t count() const override;
    void list(std::int64_t offset, std::int64_t limit, const resource_visitor& visit) const override;
    void scan(const filter& f, const resource_visitor& visit) const override;
    std::optional<nlohmann::json> find(std::string_view id) const override;

  private:
    const directory::tenant_directory& dir_;
    std::string tenant_;
    std::string users_url_;
    const resource::resource_schema& schema_;
};

/// The Users of `tenant` as a target of list and search requests (GET /Users, POST /Users/.search,
/// POST /.search), filtered, sorted and projected with `schema`. `dir` and `schema` must outlive the target.
search_target user_search_target(const directory::tenant_directory& dir, std::string tenant,
                                 std::string users_url,
                                 const resource::resource_schema& schema = resource::user_resource_schema());

}  // namespace dirsync::scim
