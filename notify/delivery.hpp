#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace dirsync::notify {

/// What one delivery attempt did.
struct delivery_result {
    /// The server accepted the message (SMTP: 250 to the end of DATA; webhook: a 2xx answer).
    bool delivered = false;
    /// Retrying will not help (a 5xx SMTP reply, a refused login, a malformed address, a 3xx or a 4xx
    /// webhook answer other than 408 and 429): the caller marks the message failed at once. Otherwise, when
    /// not delivered, the caller retries with backoff.
    bool permanent = false;
    /// Why it was not delivered: one line, safe to log and to show to admins; it never contains a password,
    /// a webhook secret or a webhook URL (which often carries a token). Empty when delivered.
    std::string error{};
    /// How long the receiver asked the caller to wait before retrying (webhook Retry-After on 429 and 503,
    /// as the receiver sent it, in seconds; capped by nothing here).
    std::optional<std::chrono::seconds> retry_after{};
};

}  // namespace dirsync::notify
