#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "config/settings.hpp"

namespace dirsync::store {
class database;
}

namespace dirsync::daemon {

/// Delivers the outbox (messages the directory queued in the transactions of their changes) on a thread of
/// its own, so no request ever waits for a mail server or a webhook receiver: each due message is sent
/// (notify::send_mail or notify::post_webhook), then marked delivered, or retried after a backoff that
/// doubles from `retry_initial` up to `retry_max` (±20% jitter, at least what a Retry-After asked), or
/// failed after `max_attempts` attempts or a permanent refusal. Delivery is at least once: a message sent
/// but not yet marked when the process dies is sent again after the restart (mails carry a stable
/// Message-ID and webhooks an Idempotency-Key, so receivers can drop the copy). Secrets (SMTP password,
/// webhook secret) are read at each attempt, so rotating them needs no restart.
class outbox_worker {
  public:
    outbox_worker(store::database& db, config::notification_settings settings);
    ~outbox_worker();
    outbox_worker(const outbox_worker&) = delete;
    outbox_worker& operator=(const outbox_worker&) = delete;

    /// Starts the thread (after the signal watcher, like every thread). Without a channel the thread waits
    /// for a reconfigure that brings one.
    void start();
    /// Delivers with `settings` from the next attempt on (a configuration reload): channels added, changed
    /// or removed, retry policy. Messages already queued keep their channel: one whose channel was removed
    /// fails at its next attempt, as at start-up; with no channel left nothing is attempted.
    void reconfigure(config::notification_settings settings);
    /// Stops after the attempt in progress; joins.
    void stop();

    /// Called after each delivery attempt (for metrics): the channel, whether it was delivered, and whether
    /// the message was given up (failed for good). Set before start(); must not throw.
    using delivery_observer = std::function<void(std::string_view channel, bool delivered, bool given_up)>;
    void set_delivery_observer(delivery_observer observer) { delivery_observer_ = std::move(observer); }

    /// Delivers what is due now, at most `limit` messages; returns how many were attempted. For tests and
    /// for the thread's loop. The messages are claimed first (outbox_table::claim_due, for `claim_lease`):
    /// several workers, of this process or of other instances on the same store, never attempt one message
    /// at once, and one that dies with messages claimed leaves them to the others once the lease ran out.
    std::size_t deliver_due(std::size_t limit = 64);

    /// Longer than attempting a whole claim takes (each attempt is bounded by its channel's timeouts).
    static constexpr std::chrono::milliseconds claim_lease{std::chrono::minutes(10)};

    /// How long the next attempt waits after `attempts` failed ones (before jitter).
    std::chrono::milliseconds backoff(std::int64_t attempts) const;

  private:
    void run();
    config::notification_settings current() const;
    static std::chrono::milliseconds backoff(const config::notification_settings& s, std::int64_t attempts);

    store::database& db_;
    config::notification_settings settings_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool started_ = false;
    bool stopping_ = false;
    std::thread thread_;
    delivery_observer delivery_observer_;
};

}  // namespace dirsync::daemon
