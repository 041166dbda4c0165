#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "notify/delivery.hpp"

namespace dirsync::notify {

/// Where post_webhook delivers.
struct webhook_settings {
    /// An http:// or https:// URL. Redirects are not followed.
    std::string url;
    /// The HMAC key of the Dirsync-Signature header; must not be empty.
    std::string secret;
    /// A PEM file of the CAs to trust; empty: the system's.
    std::string ca_file{};
    /// false: accept any certificate and host name (test setups only).
    bool verify_peer = true;
    /// The whole attempt, connecting included.
    std::chrono::milliseconds timeout{10000};
};

/// The Dirsync-Signature value for `body` sent at `now`: "t=<unix seconds>,v1=<lower-case hex
/// HMAC-SHA256 of "<t>.<body>" keyed with secret>" (as Stripe signs its webhooks).
std::string signature_header(std::string_view secret, std::string_view body,
                             std::chrono::system_clock::time_point now);

/// POSTs `body` (a JSON event) to settings.url with Content-Type: application/json, Dirsync-Signature
/// (signature_header at `now`), Idempotency-Key: `idempotency_key` and User-Agent: dirsyncd. A 2xx answer is
/// delivered; 408, 429, 5xx, other unexpected codes, connection and TLS failures and timeouts are worth a
/// retry (retry_after from Retry-After on 429 and 503); other 4xx and 3xx answers are permanent, as are an
/// empty secret, a malformed URL, and an idempotency key that is empty or not printable ASCII (nothing is
/// sent). The answer's body is read and dropped. Blocks for at most about settings.timeout; callable from any
/// thread. Throws std::runtime_error only when libcurl cannot start at all.
delivery_result post_webhook(const webhook_settings& settings, const std::string& body,
                             const std::string& idempotency_key, std::chrono::system_clock::time_point now);

/// What a receiver checks: true when `header` is a Dirsync-Signature ("t=<digits>,v1=<hex>", elements in any
/// order, unknown elements ignored, several v1 allowed for key rotation) of which a v1 is the signature of
/// `body` under `secret`, and t is within `tolerance` of `now` either way (older is a replay, newer a wrong
/// clock). An empty secret verifies nothing. MACs are compared in constant time.
bool verify_signature(std::string_view secret, std::string_view header, std::string_view body,
                      std::chrono::system_clock::time_point now,
                      std::chrono::seconds tolerance = std::chrono::seconds(300));

}  // namespace dirsync::notify
