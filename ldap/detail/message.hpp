#pragma once

// Internal to dirsync_ldap: reading libldap handles and messages into the module's types.

#include <ldap.h>

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

#include "ldap/control.hpp"
#include "ldap/detail/handles.hpp"
#include "ldap/entry.hpp"
#include "ldap/error.hpp"
#include "ldap/search_cursor.hpp"

namespace dirsync::ldap::detail {

/// The handle's last result code (LDAP_OPT_RESULT_CODE).
int result_code(LDAP* ld) noexcept;
/// The handle's last diagnostic message (LDAP_OPT_DIAGNOSTIC_MESSAGE); "" when none.
std::string diagnostic_message(LDAP* ld);
/// "Invalid credentials (49)", followed by ": <diagnostic>" when there is one.
std::string describe(int code, std::string_view diagnostic);

/// Copies a SearchResultEntry: DN, every attribute (description lowercased, values byte for byte) and its
/// response controls. Error (kind protocol) when it cannot be decoded.
boost::system::result<entry, error> parse_entry(LDAP* ld, LDAPMessage* message);

/// The LDAPResult of a final response (SearchResultDone, ExtendedResponse, ...).
struct operation_result {
    int code = LDAP_SUCCESS;
    std::string diagnostic;
    std::string matched_dn;
    controls_ptr controls;  ///< response controls; may be null
};

/// Copies a NULL-terminated control list (null: none), leaving out controls of type `skip_oid`.
std::vector<control> to_controls(LDAPControl** controls, std::string_view skip_oid = {});

/// Copies an IntermediateResponse (entries_before left 0). Error (kind protocol) when it cannot be decoded.
boost::system::result<intermediate_response, error> parse_intermediate(LDAP* ld, LDAPMessage* message);

/// Parses the LDAPResult of `message` (not freed). Error (kind protocol) when it cannot be decoded.
boost::system::result<operation_result, error> parse_result(LDAP* ld, LDAPMessage* message);

}  // namespace dirsync::ldap::detail
