#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "ldap/entry.hpp"
#include "ldap/error.hpp"

namespace dirsync::ldap {

/// The range option of an attribute description (Active Directory's incremental retrieval of large
/// multi-valued attributes): "member;range=0-1499" holds values 0..1499 of "member" and more follow;
/// "member;range=1500-*" holds the last ones.
struct attribute_range {
    std::string attribute;              ///< the description without the range option, lowercase: "member"
    std::uint64_t low = 0;              ///< index of the first value held
    std::optional<std::uint64_t> high;  ///< index of the last value held; nullopt for "*" (the final chunk)

    friend bool operator==(const attribute_range&, const attribute_range&) = default;
};

/// The range option of `description` (any case, other options kept in `attribute`: "member;binary"), or
/// nullopt when it has none. A malformed range option ("range=5", "range=9-2", "range=a-*") is nullopt too.
std::optional<attribute_range> parse_range(std::string_view description);

/// Whether `description` carries a range option at all, well-formed or not.
bool has_range_option(std::string_view description);

/// True when `e` holds an attribute in ranged form whose last chunk has not arrived, so a
/// range_retrieval must complete it.
bool needs_range_retrieval(const entry& e);

/// Completes the ranged attributes of one entry, sans I/O: the caller reads `dn()` with base scope
/// requesting `next_request()` ("member;range=1500-*"), hands the entry it gets to `add()`, and repeats
/// until `complete()`; then `take()` gives the entry with every value under the plain description
/// ("member"), in the server's order, and no ranged descriptions left. OpenLDAP, 389-DS and FreeIPA never
/// send ranges; Active Directory does above its MaxValRange (1500 values by default).
class range_retrieval {
  public:
    range_retrieval() = default;

    /// Starts from an entry as returned by a search: values of every ranged description are moved under
    /// the plain one. Error (kind protocol) when a range option is malformed or does not start at 0.
    static boost::system::result<range_retrieval, error> start(entry e);

    /// The DN to read.
    const std::string& dn() const noexcept { return entry_.dn; }
    /// No more chunks to fetch.
    bool complete() const noexcept { return pending_.empty(); }
    /// The attribute description to request next, e.g. "member;range=1500-*". Precondition: !complete().
    std::string next_request() const;
    /// Takes the values from the entry read for `next_request()`. Error (kind protocol) when the response
    /// lacks the requested attribute in ranged form or its range does not start where requested; the
    /// retrieval is then unusable.
    boost::system::result<void, error> add(const entry& response);
    /// The completed entry. Precondition: complete().
    entry take() && { return std::move(entry_); }

  private:
    struct pending_attribute {
        std::string attribute;  ///< plain description, lowercase
        std::uint64_t next_low = 0;
    };
    entry entry_;
    std::deque<pending_attribute> pending_;
};

}  // namespace dirsync::ldap
