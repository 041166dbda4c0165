#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ldap/error.hpp"

namespace dirsync::ldap {

// The LDAP Content Synchronization Operation (RFC 4533, "syncrepl"): the values of its controls and of its
// intermediate response, encoded and decoded byte for byte, sans I/O. `sync_refresh` (ldap/sync_search.hpp)
// runs the operation on a client.

/// Sync Request Control (RFC 4533 §2.2), sent with the search.
inline constexpr std::string_view sync_request_oid = "1.3.6.1.4.1.4203.1.9.1.1";
/// Sync State Control (§2.3), attached to each SearchResultEntry of the refresh.
inline constexpr std::string_view sync_state_oid = "1.3.6.1.4.1.4203.1.9.1.2";
/// Sync Done Control (§2.4), attached to the SearchResultDone.
inline constexpr std::string_view sync_done_oid = "1.3.6.1.4.1.4203.1.9.1.3";
/// responseName of the Sync Info Message (§2.5), an IntermediateResponse.
inline constexpr std::string_view sync_info_oid = "1.3.6.1.4.1.4203.1.9.1.4";
/// The result code e-syncRefreshRequired (§2.6, 0x1000): the cookie is too old (or unknown) for an
/// incremental refresh; the client must start over with a full refresh.
inline constexpr int sync_refresh_required_code = 4096;

/// The mode of a Sync Request (§2.2).
enum class sync_mode : std::uint8_t {
    refresh_only = 1,         ///< poll: the server sends the changes and ends the search
    refresh_and_persist = 3,  ///< the server keeps the search open and sends changes as they happen
};

/// syncRequestValue ::= SEQUENCE { mode ENUMERATED, cookie syncCookie OPTIONAL,
///                                 reloadHint BOOLEAN DEFAULT FALSE }
struct sync_request_value {
    sync_mode mode = sync_mode::refresh_only;
    /// The cookie of the previous refresh; nullopt for an initial refresh (everything is sent).
    std::optional<std::string> cookie;
    /// Ask the server to send the whole content instead of failing with e-syncRefreshRequired when it
    /// cannot compute the changes since `cookie`.
    bool reload_hint = false;

    friend bool operator==(const sync_request_value&, const sync_request_value&) = default;
};

/// The state in a Sync State Control (§2.3).
enum class sync_state_kind : std::uint8_t {
    present = 0,  ///< the entry is unchanged and still in the content (no attributes sent)
    add = 1,      ///< the entry was added, or changed (OpenLDAP's syncprov sends add for both)
    modify = 2,   ///< the entry was changed
    deleted = 3,  ///< the entry left the content (deleted, moved out of scope, no longer matches)
};

/// "present", "add", "modify" or "delete".
std::string_view to_string(sync_state_kind state) noexcept;

/// syncStateValue ::= SEQUENCE { state ENUMERATED, entryUUID syncUUID, cookie syncCookie OPTIONAL }
struct sync_state_value {
    sync_state_kind state = sync_state_kind::add;
    std::string entry_uuid;  ///< exactly 16 raw bytes (syncUUID ::= OCTET STRING (SIZE(16)))
    std::optional<std::string> cookie;

    friend bool operator==(const sync_state_value&, const sync_state_value&) = default;
};

/// syncDoneValue ::= SEQUENCE { cookie syncCookie OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE }
struct sync_done_value {
    std::optional<std::string> cookie;
    /// TRUE: the refresh ended with a delete phase (entries not mentioned are unchanged); FALSE: with a
    /// present phase (entries neither changed nor reported present are gone).
    bool refresh_deletes = false;

    friend bool operator==(const sync_done_value&, const sync_done_value&) = default;
};

/// Which alternative of syncInfoValue a Sync Info Message carries (§2.5).
enum class sync_info_kind : std::uint8_t {
    new_cookie = 0,  ///< [0] syncCookie
    refresh_delete =
        1,  ///< [1] SEQUENCE { cookie OPTIONAL, refreshDone BOOLEAN DEFAULT TRUE }: a delete phase ended
    refresh_present = 2,  ///< [2] the same: a present phase ended
    sync_id_set = 3,  ///< [3] SEQUENCE { cookie OPTIONAL, refreshDeletes DEFAULT FALSE, syncUUIDs SET OF }
};

/// syncInfoValue ::= CHOICE { newcookie [0], refreshDelete [1], refreshPresent [2], syncIdSet [3] }, with the
/// fields of every alternative flattened; those an alternative does not have keep their defaults.
struct sync_info_value {
    sync_info_kind kind = sync_info_kind::new_cookie;
    /// Always set for new_cookie; optional in the others.
    std::optional<std::string> cookie;
    /// refresh_delete, refresh_present: whether the refresh stage is over (default TRUE).
    bool refresh_done = true;
    /// sync_id_set: TRUE: `uuids` left the content; FALSE: `uuids` are present and unchanged.
    bool refresh_deletes = false;
    /// sync_id_set: 16-byte syncUUIDs, in the server's order.
    std::vector<std::string> uuids;

    friend bool operator==(const sync_info_value&, const sync_info_value&) = default;
};

/// The BER (DER) controlValue of a Sync Request Control. Defaults are omitted, as DER requires.
std::string encode_sync_request(const sync_request_value& value);
/// Decodes a Sync Request controlValue (for tests and servers). Error (kind protocol) when malformed.
boost::system::result<sync_request_value, error> decode_sync_request(std::string_view ber);

/// The controlValue of a Sync State Control. Precondition: `entry_uuid` is 16 bytes.
std::string encode_sync_state(const sync_state_value& value);
/// Decodes a Sync State controlValue. Error (kind protocol) when malformed: not one SEQUENCE, an unknown
/// state, a UUID other than 16 bytes, unexpected or trailing elements.
boost::system::result<sync_state_value, error> decode_sync_state(std::string_view ber);

/// The controlValue of a Sync Done Control.
std::string encode_sync_done(const sync_done_value& value);
/// Decodes a Sync Done controlValue. Error (kind protocol) when malformed.
boost::system::result<sync_done_value, error> decode_sync_done(std::string_view ber);

/// The responseValue of a Sync Info Message. Preconditions: new_cookie has a cookie; uuids are 16 bytes.
std::string encode_sync_info(const sync_info_value& value);
/// Decodes a Sync Info responseValue, any alternative. Error (kind protocol) when malformed: unknown
/// alternative, a UUID other than 16 bytes, unexpected or trailing elements.
boost::system::result<sync_info_value, error> decode_sync_info(std::string_view ber);

/// A 16-byte syncUUID in RFC 4122 text, lowercase 8-4-4-4-12, as OpenLDAP writes the entry's entryUUID
/// attribute (bytes in order, unlike format_guid). nullopt unless `bytes` is 16 bytes long.
std::optional<std::string> format_sync_uuid(std::string_view bytes);

}  // namespace dirsync::ldap
