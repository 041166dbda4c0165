#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "config/source_settings.hpp"
#include "scim_source/http_client.hpp"

namespace dirsync::scim_source {

/// The bearer token of a SCIM source's requests. With `auth: bearer_token` the token is read from its
/// file, variable or credential at each run (a rotated token is used by the next run). With `auth: oauth` it
/// is an OAuth 2.0 client-credentials token (RFC 6749 §4.4: POST grant_type=client_credentials, the client
/// authenticated with HTTP Basic, the secret read at each token request), kept from run to run until a
/// minute (or a tenth of its lifetime, when shorter) before its `expires_in`, and fetched again when the
/// remote refuses it. Thread-safe: one provider serves every run of its source.
class token_provider {
  public:
    explicit token_provider(config::scim_source settings) : settings_(std::move(settings)) {}

    /// The token to send now, fetched through `client` when needed. Errors are one line without secrets.
    boost::system::result<std::string, std::string> token(http_client& client,
                                                          std::chrono::steady_clock::time_point deadline);

    /// The remote refused `token` (401): forget it so that the next token() fetches another. True when
    /// that can help (OAuth); a fixed bearer token stays what it is.
    bool refused(const std::string& token);

  private:
    boost::system::result<std::string, std::string> fetch(const config::scim_oauth_auth& oauth,
                                                          http_client& client,
                                                          std::chrono::steady_clock::time_point deadline);

    config::scim_source settings_;
    std::mutex mutex_;
    std::optional<std::string> cached_;
    std::chrono::steady_clock::time_point expires_{};
};

}  // namespace dirsync::scim_source
