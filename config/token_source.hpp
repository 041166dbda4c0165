#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

#include "common/sha256.hpp"
#include "config/value_error.hpp"

namespace dirsync::config {

/// How a bearer token is given in the configuration (one item of `scim_tokens:`).
enum class token_source_kind {
    sha256,      ///< `value` is the 64-hex-digit SHA-256 digest of the token (`dirsyncctl hash-token`)
    file,        ///< `value` is a path (relative to the working directory) of a file holding the token
    env,         ///< `value` is the name of an environment variable holding the token
    credential,  ///< `value` is the name of a systemd credential: $CREDENTIALS_DIRECTORY/<value> holds it
};

/// The YAML key naming a kind: "sha256", "file", "env" or "credential".
std::string_view to_string(token_source_kind kind) noexcept;

/// One configured token, before it is resolved.
struct token_source {
    token_source_kind kind = token_source_kind::sha256;
    std::string value;
};

/// Largest token file or credential that is read.
inline constexpr std::size_t max_token_file_bytes = 64 * 1024;

/// Resolves a token source to the token's SHA-256 digest. The token read from a file, credential or
/// environment variable has leading and trailing whitespace (newlines) trimmed, as `dirsyncctl hash-token`
/// does; it must then be non-empty and free of whitespace and control characters. The plain token is hashed
/// at once and its buffer wiped; it never appears in an error message.
/// Reads the process environment (std::getenv), so call it where the environment is not being modified.
boost::system::result<common::sha256_digest, value_error> resolve_token(const token_source& source);

}  // namespace dirsync::config
