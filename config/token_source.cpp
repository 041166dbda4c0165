#include "config/token_source.hpp"

#include <algorithm>
#include <optional>

#include "config/secret_reference.hpp"
#include "config/wipe.hpp"

namespace dirsync::config {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

/// Trims, checks and hashes `token`, then wipes it whatever the outcome. `origin` names the source in
/// messages.
boost::system::result<common::sha256_digest, value_error> digest_of(std::string& token,
                                                                    const std::string& origin) {
    // Trimmed like `dirsyncctl hash-token` trims, so both give the same digest for the same file.
    std::string_view view = token;
    while (!view.empty() && is_space(view.back())) view.remove_suffix(1);
    while (!view.empty() && is_space(view.front())) view.remove_prefix(1);
    std::optional<value_error> problem;
    if (view.empty())
        problem = value_error(origin + " is empty");
    else if (std::any_of(view.begin(), view.end(), [](char c) { return is_space(c) || is_control(c); }))
        problem = value_error(origin + " holds whitespace or control characters inside the token");
    auto digest = problem ? common::sha256_digest{} : common::sha256(view);
    wipe(token);
    if (problem) return std::move(*problem);
    return digest;
}

/// The raw token at a file, variable or credential (see read_secret_source), trimmed, checked and hashed.
boost::system::result<common::sha256_digest, value_error> from_secret_source(secret_source_kind kind,
                                                                             const std::string& value,
                                                                             const std::string& origin) {
    auto content = read_secret_source(kind, value, max_token_file_bytes);
    if (!content) return content.error();
    return digest_of(*content, origin);
}

}  // namespace

std::string_view to_string(token_source_kind kind) noexcept {
    switch (kind) {
        case token_source_kind::sha256:
            return "sha256";
        case token_source_kind::file:
            return "file";
        case token_source_kind::env:
            return "env";
        case token_source_kind::credential:
            return "credential";
    }
    return "sha256";
}

boost::system::result<common::sha256_digest, value_error> resolve_token(const token_source& source) {
    switch (source.kind) {
        case token_source_kind::sha256: {
            // The value may be a pasted plain token by mistake, so it is never echoed.
            if (auto digest = common::digest_from_hex(source.value)) return *digest;
            return value_error("expected the token's SHA-256 digest as 64 hex digits, got " +
                               std::to_string(source.value.size()) +
                               " characters (print the digest of a token with `dirsyncctl hash-token`)");
        }
        case token_source_kind::file:
            if (source.value.empty()) return value_error("empty token file name");
            return from_secret_source(secret_source_kind::file, source.value,
                                      "token file '" + source.value + "'");
        case token_source_kind::env:
            return from_secret_source(secret_source_kind::env, source.value,
                                      "environment variable '" + source.value + "'");
        case token_source_kind::credential:
            return from_secret_source(secret_source_kind::credential, source.value,
                                      "credential '" + source.value + "'");
    }
    return value_error("unknown token source");
}

}  // namespace dirsync::config
