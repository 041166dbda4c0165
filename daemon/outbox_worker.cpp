#include "daemon/outbox_worker.hpp"

#include <algorithm>
#include <random>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "config/wipe.hpp"
#include "notify/mail.hpp"
#include "notify/webhook.hpp"
#include "store/database.hpp"
#include "store/outbox_table.hpp"

namespace dirsync::daemon {

namespace {

namespace outbox = store::outbox_table;

/// How often the worker looks for messages queued by another process (`dirsyncd sync`) or due retries
/// when nothing is due sooner.
constexpr std::chrono::milliseconds poll_interval{1000};

notify::smtp_settings smtp_of(const config::smtp_notification_settings& c) {
    notify::smtp_settings s;
    s.url = c.url;
    using mode = config::smtp_notification_settings::starttls_mode;
    s.starttls = c.starttls == mode::none       ? notify::smtp_settings::tls_mode::none
                 : c.starttls == mode::required ? notify::smtp_settings::tls_mode::starttls_required
                                                : notify::smtp_settings::tls_mode::starttls_if_offered;
    s.from = c.from;
    s.from_name = c.from_name;
    s.username = c.username;
    s.ca_file = c.tls.ca_file;
    s.verify_peer = c.tls.verify_peer;
    s.timeout = c.timeout;
    return s;
}

/// An outbox idempotency key (a UUID) as a Message-ID local part: already dot-atom text.
notify::delivery_result send(const config::notification_settings& settings, const outbox::message_row& m) {
    if (m.channel == "email") {
        if (!settings.email)
            return {false, true, "no e-mail channel is configured (notifications.email)", {}};
        auto smtp = smtp_of(*settings.email);
        if (settings.email->password) {
            auto secret = config::resolve_secret(*settings.email->password);
            if (!secret) return {false, false, "SMTP password: " + secret.error().message, {}};
            smtp.password = std::move(*secret);
        }
        auto r = notify::send_mail(
            smtp, {m.recipient.value_or(""), m.subject.value_or(""), m.body, m.idempotency_key});
        if (smtp.password) config::wipe(*smtp.password);
        return r;
    }
    if (!settings.webhook)
        return {false, true, "no webhook channel is configured (notifications.webhook)", {}};
    auto secret = config::resolve_secret(settings.webhook->secret);
    if (!secret) return {false, false, "webhook secret: " + secret.error().message, {}};
    notify::webhook_settings hook{settings.webhook->url, std::move(*secret), settings.webhook->tls.ca_file,
                                  settings.webhook->tls.verify_peer, settings.webhook->timeout};
    auto r = notify::post_webhook(hook, m.body, m.idempotency_key, std::chrono::system_clock::now());
    config::wipe(hook.secret);
    return r;
}

}  // namespace

outbox_worker::outbox_worker(store::database& db, config::notification_settings settings)
    : db_(db), settings_(std::move(settings)) {}

outbox_worker::~outbox_worker() { stop(); }

void outbox_worker::start() {
    std::lock_guard lock(mutex_);
    started_ = true;
    if ((settings_.email || settings_.webhook) && !stopping_) thread_ = std::thread([this] { run(); });
}

void outbox_worker::reconfigure(config::notification_settings settings) {
    std::lock_guard lock(mutex_);
    settings_ = std::move(settings);
    if (started_ && !stopping_ && !thread_.joinable() && (settings_.email || settings_.webhook))
        thread_ = std::thread([this] { run(); });
}

void outbox_worker::stop() {
    std::thread running;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        running = std::move(thread_);
    }
    wake_.notify_all();
    if (running.joinable()) running.join();
}

config::notification_settings outbox_worker::current() const {
    std::lock_guard lock(mutex_);
    return settings_;
}

std::chrono::milliseconds outbox_worker::backoff(std::int64_t attempts) const {
    return backoff(current(), attempts);
}

std::chrono::milliseconds outbox_worker::backoff(const config::notification_settings& s,
                                                 std::int64_t attempts) {
    auto delay = s.retry_initial;
    for (std::int64_t i = 1; i < attempts && delay < s.retry_max; ++i) delay *= 2;
    return std::min(delay, s.retry_max);
}

std::size_t outbox_worker::deliver_due(std::size_t limit) {
    const auto settings = current();
    if (!settings.email && !settings.webhook) return 0;
    const auto due = db_.write([&](store::connection& c) {
        return outbox::claim_due(c, common::to_epoch_ms(common::now()), static_cast<std::int64_t>(limit),
                                 claim_lease.count());
    });
    thread_local std::mt19937_64 jitter{std::random_device{}()};
    for (const auto& m : due) {
        bool stopping = false;
        {
            std::lock_guard lock(mutex_);
            stopping = stopping_;
        }
        if (stopping) {
            // Claimed but not attempted: due again now, for whichever worker runs next.
            db_.write([&](store::connection& c) {
                outbox::release_claim(c, m.seq, common::to_epoch_ms(common::now()));
            });
            continue;
        }
        notify::delivery_result r;
        try {
            r = send(settings, m);
        } catch (const std::exception& e) {
            r = {false, false, e.what(), {}};
        }
        const auto attempts = m.attempts + 1;
        const auto now_ms = common::to_epoch_ms(common::now());
        std::optional<std::int64_t> next;
        if (!r.delivered && !r.permanent && attempts < settings.max_attempts) {
            auto wait = backoff(settings, attempts).count();
            wait += std::uniform_int_distribution<std::int64_t>(-wait / 5, wait / 5)(jitter);
            if (r.retry_after) wait = std::max<std::int64_t>(wait, r.retry_after->count() * 1000);
            next = now_ms + std::max<std::int64_t>(wait, 1);
        }
        db_.write([&](store::connection& c) {
            if (r.delivered)
                outbox::mark_delivered(c, m.seq, attempts, now_ms);
            else
                outbox::mark_attempt_failed(c, m.seq, attempts, r.error, next, now_ms);
        });
        if (delivery_observer_) delivery_observer_(m.channel, r.delivered, !r.delivered && !next);
        const auto what = m.event + " for tenant " + m.tenant_id + " by " + m.channel + " (message " +
                          std::to_string(m.seq) + ")";
        const auto fields = {common::log_field{"tenant", m.tenant_id}};
        if (r.delivered)
            common::log_debug("delivered " + what, fields);
        else if (next)
            common::log_warning("delivery of " + what + " failed (attempt " + std::to_string(attempts) +
                                    "), retrying: " + r.error,
                                fields);
        else
            common::log_error("delivery of " + what + " failed for good after " + std::to_string(attempts) +
                                  " attempt(s): " + r.error,
                              fields);
    }
    return due.size();
}

void outbox_worker::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        std::size_t attempted = 0;
        try {
            attempted = deliver_due();
        } catch (const std::exception& e) {
            common::log_error(std::string("outbox: ") + e.what());
        }
        lock.lock();
        if (attempted > 0) continue;  // maybe more due right now
        wake_.wait_for(lock, poll_interval, [this] { return stopping_; });
    }
}

}  // namespace dirsync::daemon
