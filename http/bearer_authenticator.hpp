#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/sha256.hpp"
#include "config/settings.hpp"

namespace dirsync::http {

/// Maps a bearer token to the principal it was issued to: a tenant id for SCIM tokens, an actor name such as
/// "admin:<digest prefix>" for admin tokens (one authenticator per kind). Only SHA-256 digests are held.
/// Immutable after construction, so `principal_for` may be called from any thread.
class bearer_authenticator {
  public:
    /// One accepted token: the principal it authenticates and the SHA-256 digest of the token.
    using credential = std::pair<std::string, common::sha256_digest>;

    /// Throws std::invalid_argument if the same digest is listed twice (a token must name one principal);
    /// that is a configuration error, caught by config validation before it gets here.
    explicit bearer_authenticator(std::vector<credential> credentials);

    /// Every `scim_tokens` digest of every tenant in `tenants`.
    static bearer_authenticator from_tenants(const std::vector<config::tenant_settings>& tenants);

    /// The principal for the value of an `Authorization` header: `Bearer <token>` (scheme case-insensitive,
    /// one or more spaces, then exactly one token of visible ASCII with no further whitespace).
    /// The token's digest is compared with every configured digest, whatever matches first, so the time
    /// taken does not depend on which one matched. nullopt for other schemes, a missing or empty token,
    /// or an unknown token.
    std::optional<std::string> principal_for(std::string_view authorization_header_value) const;

    /// Number of configured tokens.
    std::size_t size() const noexcept { return credentials_.size(); }

  private:
    std::vector<credential> credentials_;
};

}  // namespace dirsync::http
