#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ldap/control.hpp"

namespace dirsync::ldap {

/// Search scope (RFC 4511 §4.5.1.2).
enum class search_scope {
    base,       ///< the base entry only
    one_level,  ///< the base entry's children
    subtree,    ///< the base entry and everything below it
};

/// One search, run page by page through a `search_cursor`.
struct search_request {
    std::string base;  ///< DN to search from
    search_scope scope = search_scope::subtree;
    /// RFC 4515 filter text. Values taken from anywhere but the configuration go through
    /// escape_filter_value() before being put into it.
    std::string filter = "(objectClass=*)";
    /// Attribute descriptions to return; empty: all user attributes. Operational ones (entryUUID,
    /// modifyTimestamp) must be named, or "+" asks for all of them.
    std::vector<std::string> attributes;
    /// Entries per page; nullopt: the connection's `page_size`; 0: one unpaged request (server size limits
    /// then apply to the whole result).
    std::optional<std::uint32_t> page_size;
    /// Complete attributes the server sent in ranged form ("member;range=0-1499") with further base-scope
    /// reads before the page is returned (Active Directory's large groups).
    bool resolve_ranges = true;
    /// Request controls sent with every request of the search (beside the paged-results control the cursor
    /// adds itself), e.g. the Sync Request Control. A critical one the server does not support fails the
    /// search (unavailableCriticalExtension, 12).
    std::vector<control> controls;
    /// For an unpaged search (page size 0): at most this many entries per `next_page()`, the rest following
    /// as the server sends them, with the request kept open between calls. While more than a batch is
    /// waiting, the connection's reader stops reading, so memory holds about two batches whatever the size
    /// of the result; other operations of the same client then wait until the cursor is read on (or
    /// destroyed). Ranged attributes cannot be completed in a batched search (the reads would wait behind
    /// the batch): such an entry fails it with kind protocol. 0: the whole result in one page.
    std::uint32_t batch_size = 0;
    /// A search that does not end by itself (syncrepl refreshAndPersist) and is batched: each
    /// `next_results()` waits as long as it takes (no operation timeout) and returns as soon as one entry
    /// came, so that its caller sees each change when it arrives.
    bool persistent = false;
};

}  // namespace dirsync::ldap
