#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/source_settings.hpp"
#include "resource/schema.hpp"
#include "sync/source_record.hpp"

namespace dirsync::sync {

namespace detail {
struct record_condition_state;
}

/// A `when:` or `disabled_when:` condition compiled in the language of its source kind's records and
/// evaluated in memory against one record:
///  - LDAP records: an RFC 4515 filter (sync::entry_filter, with its rules);
///  - SCIM records: an RFC 7644 filter over the record's JSON resource (source_record::resource()),
///    evaluated by scim::matches against the given resource type's schema (`active eq false`,
///    `groups[display eq "Admins"]`, `urn:...:enterprise:2.0:User:department eq "Sales"`); a record
///    without a JSON resource matches nothing.
/// Immutable once compiled; copies share the compiled form; thread-safe.
class record_condition {
  public:
    /// Why a condition was rejected: the byte offset in its text and a sentence.
    struct error {
        std::size_t position = 0;
        std::string message;
    };

    /// Compiles `text`; `schema` (the User or Group resource type's, for SCIM conditions) must outlive the
    /// condition.
    static boost::system::result<record_condition, error> compile(std::string_view text,
                                                                  config::record_language language,
                                                                  const resource::resource_schema& schema);

    bool matches(const source_record& r) const;

    /// The attribute descriptions an LDAP reader must request for it (see entry_filter::attributes); empty
    /// for SCIM conditions (the remote returns whole resources).
    const std::vector<std::string>& attributes() const noexcept;

    const std::string& text() const noexcept;

  private:
    explicit record_condition(std::shared_ptr<const detail::record_condition_state> s)
        : state_(std::move(s)) {}
    std::shared_ptr<const detail::record_condition_state> state_;
};

}  // namespace dirsync::sync
