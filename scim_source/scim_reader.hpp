#pragma once

#include "config/source_settings.hpp"
#include "sync/source_reader.hpp"

namespace dirsync::scim_source {

/// The SCIM source `source`, whose kind settings are `scim`, as a sync run uses it (both must outlive it).
///
/// Opening a run's reader reads the remote's /ServiceProviderConfig with the source's token: a remote that
/// cannot be reached or refuses the token fails the run there. Reads page through /Users and /Groups with
/// `startIndex` and `count` = page_size, going on from where the last page ended (a server may return fewer
/// than asked) until `totalResults` is reached; `users.filter` / `groups.filter` go with every request. A
/// read is refused (the run writes nothing, orphans nothing) when a page fails after its retries, a page is
/// not a ListResponse, a resource has no id, an id comes twice, `totalResults` changes between pages (the
/// remote changed under the read: offsets no longer line up) or the pages end before `totalResults`.
///
/// Reads of changes ask for `meta.lastModified ge "<the newest lastModified of the last read>"`; they see
/// adds and changes, never deletes (those wait for the next full run, at least `full_every`). With
/// `incremental: auto` they are made only when the remote's ServiceProviderConfig says it filters;
/// otherwise the run reads in full. The state kept between runs: {"url", "last_modified"}.
///
/// Records are sync::json_record; an OAuth token is kept across runs (token_provider).
sync::source_access scim_access(const config::source_settings& source, const config::scim_source& scim);

}  // namespace dirsync::scim_source
