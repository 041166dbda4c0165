#pragma once

#include <atomic>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dirsync::scim_source {

/// A failure of this module's operations, which answer boost::system::result<T, std::string>: converts to any
/// of them as the error, never as a value (a result<std::string, std::string> would otherwise take a bare
/// message as its value).
struct failed {
    std::string message;
    template <class T>
    operator boost::system::result<T, std::string>() && {
        return {boost::system::in_place_error, std::move(message)};
    }
};

/// How a client talks to one remote service.
struct client_settings {
    std::string ca_file;     ///< PEM bundle; empty: the system's store
    bool tls_verify = true;  ///< false: no certificate or host name check
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds request_timeout{60'000};  ///< one exchange, transfer included
    std::uint32_t rate_limit = 0;                       ///< requests per second; 0: no limit
    std::uint32_t retries = 5;                          ///< further attempts after a retryable failure
    std::chrono::milliseconds backoff{500};             ///< the first wait; doubled each retry
    std::chrono::milliseconds max_backoff{30'000};      ///< a wait never exceeds it (Retry-After neither)
    /// Strings never to appear in an error message (tokens, secrets), replaced by "***".
    std::vector<std::string> secrets;
};

/// One request.
struct request {
    std::string method = "GET";  ///< GET or POST
    std::string url;
    std::vector<std::string> headers;  ///< "Name: value"
    std::string body;                  ///< POST only
    /// HTTP Basic credentials (RFC 7617), for an OAuth client_secret_basic token request.
    std::optional<std::pair<std::string, std::string>> basic_auth;
};

/// What the server answered (any status; the caller decides what a 4xx means).
struct response {
    long status = 0;
    std::string body;
    std::string content_type;
};

/// A blocking HTTP(S) client through libcurl for one run of a source: at most `rate_limit` requests per
/// second, and each request retried up to `retries` times when it fails to connect or the server answers 408,
/// 429, 500, 502, 503 or 504, waiting the server's Retry-After (seconds or an HTTP date) or an exponential
/// backoff with jitter, never past the deadline. The connection is kept alive between requests. While
/// `*cancel` is true, waits and new requests end at once with an error. Errors are one line without secrets:
/// "GET https://x/Users: connection refused (after 6 attempts)". Not thread-safe.
class http_client {
  public:
    explicit http_client(client_settings settings, const std::atomic<bool>* cancel = nullptr);
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    /// Performs `r`, retrying as above; an error when no attempt got an answer that is not retryable.
    boost::system::result<response, std::string> perform(const request& r,
                                                         std::chrono::steady_clock::time_point deadline);

    /// Adds a string to keep out of messages (a token fetched later); once is enough.
    void add_secret(std::string secret);

    /// How many requests went out (attempts included): for tests and logs.
    std::uint64_t requests_sent() const noexcept { return sent_; }

  private:
    struct impl;
    boost::system::result<response, std::string> attempt(const request& r,
                                                         std::optional<std::chrono::seconds>& retry_after);
    bool wait_until(std::chrono::steady_clock::time_point t) const;

    client_settings settings_;
    const std::atomic<bool>* cancel_;
    std::unique_ptr<impl> impl_;
    std::chrono::steady_clock::time_point last_request_{};
    std::uint64_t sent_ = 0;
};

}  // namespace dirsync::scim_source
