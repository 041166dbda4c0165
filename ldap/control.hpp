#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dirsync::ldap {

/// An LDAP control (RFC 4511 §4.1.11), request or response: the Sync Request Control sent with a search,
/// the Sync State Control attached to an entry, the Sync Done Control of a SearchResultDone.
struct control {
    std::string oid;  ///< controlType, e.g. "1.3.6.1.4.1.4203.1.9.1.1"
    /// controlValue as raw bytes (usually BER); nullopt when the control has none.
    std::optional<std::string> value;
    /// Request controls: the server must refuse the operation (unavailableCriticalExtension) rather than
    /// ignore a critical control it does not support.
    bool critical = false;

    friend bool operator==(const control&, const control&) = default;
};

/// The first control of type `oid` in `controls`, or nullptr.
const control* find_control(const std::vector<control>& controls, std::string_view oid) noexcept;

}  // namespace dirsync::ldap
