#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/sha256.hpp"
#include "http/principal.hpp"

namespace dirsync::http {

/// Maps a bearer token to the principal it was issued to. Only SHA-256 digests of tokens are held.
/// Thread-safe: `authenticate` may be called from any thread while `replace` swaps the whole set of tokens
/// (a configuration reload); each call sees either the old set or the new one, never a mix.
class bearer_authenticator {
  public:
    /// One accepted token: the principal it authenticates and the SHA-256 digest of the token.
    struct credential {
        principal who;
        common::sha256_digest digest;
    };

    /// Fills each principal's `token_id` from its digest. Throws std::invalid_argument if the same digest is
    /// listed twice (a token must name one principal); that is a configuration error, caught by config
    /// validation before it gets here.
    explicit bearer_authenticator(std::vector<credential> credentials);

    /// Replaces every token at once, with the same checks as the constructor (on a throw nothing changes):
    /// a removed token authenticates nobody from the next call on, an added one from then on too.
    void replace(std::vector<credential> credentials);

    /// The principal for the value of an `Authorization` header: `Bearer <token>` (scheme case-insensitive,
    /// one or more spaces, then exactly one token of visible ASCII with no further whitespace).
    /// The token's digest is compared with every configured digest, whatever matches first, so the time
    /// taken does not depend on which one matched. Anonymous for no header, other schemes, a missing or
    /// empty token, or an unknown token.
    principal authenticate(std::optional<std::string_view> authorization_header_value) const;

    /// Number of configured tokens of `kind`.
    std::size_t count(principal::role kind) const noexcept;

  private:
    using credential_set = std::vector<credential>;
    /// Fills token ids and checks that no digest is listed twice.
    static std::shared_ptr<const credential_set> prepare(credential_set credentials);

    std::atomic<std::shared_ptr<const credential_set>> credentials_;
};

}  // namespace dirsync::http
