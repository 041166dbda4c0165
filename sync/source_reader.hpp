#pragma once

#include <atomic>
#include <boost/system/result.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sync/source_record.hpp"

namespace dirsync::sync {

/// Where a read streams the records it finds, in the source's order. Only the record in hand need be in
/// memory. A handler that is empty is not called. Each record is handed over: the handler may keep it or
/// pass it to another thread (sync::parallel_builder maps records while the read goes on).
struct record_sink {
    std::function<void(std::unique_ptr<source_record>)> user;
    std::function<void(std::unique_ptr<source_record>)> group;
    /// A record that cannot be used, by name, and why ("no usable entryUUID").
    std::function<void(std::string name, std::string reason)> skipped;
};

/// What a read found beyond the records it streamed.
struct read_result {
    /// The state the next read of changes continues from; opaque to sync/, stored in the run log.
    nlohmann::json state = nlohmann::json::object();

    // Changes only:
    /// The stored state cannot serve a read of changes (a cookie too old, another domain controller): nothing
    /// was read, and the run reads in full. `reason` says why.
    bool full_read_required = false;
    std::string reason;
    /// Anchors of records that left the source, when the source reports deletes (it may name records the
    /// run never had).
    std::vector<std::string> deleted_anchors;
    /// When the source listed every user still present: the anchors; every other user of the source is gone.
    std::optional<std::vector<std::string>> present_users;
};

/// One kind of source (LDAP today; a remote SCIM service next), opened for one run by a reader_factory. A
/// read either reaches its end or fails: a failed read has streamed part of the records, and the run drops
/// them and writes nothing. Errors are one-line messages without secrets. Blocking: called on the run's
/// thread.
class source_reader {
  public:
    virtual ~source_reader() = default;

    /// Reads every user and group, and the state that a read of changes starts from.
    virtual boost::system::result<read_result, std::string> read_all(
        const record_sink& sink, std::chrono::steady_clock::time_point deadline) = 0;

    /// Reads the users added, changed and (where the source can tell) removed since `state`. Groups are not
    /// read: a changed group cannot be resolved against part of the users.
    virtual boost::system::result<read_result, std::string> read_changes(
        const nlohmann::json& state, const record_sink& sink,
        std::chrono::steady_clock::time_point deadline) = 0;

    /// Reads every group (a read of changes whose roles come from groups needs them all).
    virtual boost::system::result<void, std::string> read_groups(
        const record_sink& sink, std::chrono::steady_clock::time_point deadline) = 0;
};

/// Opens a reader for one run: connects and authenticates, so a failure here fails the run with its message.
/// While `*cancel` is true (the daemon is stopping), reads end at once with an error.
using reader_factory = std::function<boost::system::result<std::unique_ptr<source_reader>, std::string>(
    const std::atomic<bool>* cancel)>;

/// How a watch of a source ended (see source_access::watch).
struct watch_end {
    /// The stored state is too old for the source to say what changed since (syncrepl's
    /// e-syncRefreshRequired): the next run must read in full.
    bool refresh_required = false;
    std::string reason;  ///< one line, never a secret
};

/// Watches a source from `state` (stored by the last run), calling `changed` (on the watching thread) as
/// each change arrives; blocks until the watch ends (the connection dropped, the server refused, or
/// `*cancel` became true) and says why.
using change_watch = std::function<watch_end(
    const nlohmann::json& state, const std::function<void()>& changed, const std::atomic<bool>* cancel)>;

/// One configured source as a runner uses it: what it can do, known without connecting, and how to open it.
/// Each source kind provides one (ldap::directory_access for LDAP).
struct source_access {
    /// Whether the source can be read by changes at all (its configuration names a method).
    bool reads_changes = false;
    /// Whether `state` (stored after an earlier read of this source) lets read_changes continue from it.
    std::function<bool(const nlohmann::json& state)> can_continue_from;
    reader_factory open;
    /// Set for a live source (`live: true`): how the scheduler learns of changes between runs.
    change_watch watch;
};

}  // namespace dirsync::sync
