#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "config/value_error.hpp"

namespace dirsync::config {

/// Where a secret that must never be written in the configuration lives (a bind password).
enum class secret_source_kind {
    file,        ///< `value` is a path (relative to the working directory) of a file holding the secret
    env,         ///< `value` is the name of an environment variable holding the secret
    credential,  ///< `value` is the name of a systemd credential: $CREDENTIALS_DIRECTORY/<value>
};

/// The YAML key naming a kind: "file", "env" or "credential".
std::string_view to_string(secret_source_kind kind) noexcept;

/// A reference to a secret, kept in the settings instead of the secret itself. Resolved again at each use so
/// that a rotated password is picked up without a reload.
struct secret_reference {
    secret_source_kind kind = secret_source_kind::file;
    std::string value;  ///< path, variable name or credential name; never the secret

    /// "file '/run/x'", "environment variable 'X'", "credential 'ldap'": names the place, for messages.
    std::string describe() const;

    friend bool operator==(const secret_reference&, const secret_reference&) = default;
};

/// Largest secret file or credential that is read.
inline constexpr std::size_t max_secret_file_bytes = 64 * 1024;

/// The raw content at `kind`/`value`, untouched: the file's or credential's bytes, or the variable's value.
/// Errors name the place and the reason (invalid variable or credential name, variable not set,
/// $CREDENTIALS_DIRECTORY not set, file missing, unreadable, not a regular file, larger than `max_bytes`),
/// never the content. The caller wipes the returned buffer (config/wipe.hpp) when done.
/// Reads the process environment: call it where the environment is not being modified.
boost::system::result<std::string, value_error> read_secret_source(secret_source_kind kind,
                                                                   const std::string& value,
                                                                   std::size_t max_bytes);

/// Reads the secret now: read_secret_source, then trailing line breaks ("\n", "\r\n", as an editor or
/// `echo` leaves them) are removed; anything else, leading and inner spaces included, is part of the secret.
/// An empty result is an error ("file '/x' is empty"). The caller owns and wipes the returned secret (the
/// daemon moves it into ldap::secret).
boost::system::result<std::string, value_error> resolve_secret(const secret_reference& reference);

/// resolve_secret without keeping the result (it is wiped at once): what the configuration checks at load,
/// so that a missing password file is reported at start-up rather than at the first run.
boost::system::result<void, value_error> check_secret(const secret_reference& reference);

}  // namespace dirsync::config
