#pragma once

// Internal to dirsync_ldap: RAII owners for libldap's allocations. Every libldap object the module
// touches is held by one of these from the moment it is returned.

#include <lber.h>
#include <ldap.h>

#include <memory>

namespace dirsync::ldap::detail {

struct ldap_deleter {
    /// Unbinds (sends an UnbindRequest when still connected) and frees the handle.
    void operator()(LDAP* ld) const noexcept { ldap_unbind_ext(ld, nullptr, nullptr); }
};
/// An LDAP session handle.
using ldap_ptr = std::unique_ptr<LDAP, ldap_deleter>;

struct message_deleter {
    void operator()(LDAPMessage* m) const noexcept { ldap_msgfree(m); }
};
/// One message from ldap_result().
using message_ptr = std::unique_ptr<LDAPMessage, message_deleter>;

struct control_deleter {
    void operator()(LDAPControl* c) const noexcept { ldap_control_free(c); }
};
/// One control (the paged-results request control).
using control_ptr = std::unique_ptr<LDAPControl, control_deleter>;

struct controls_deleter {
    void operator()(LDAPControl** c) const noexcept { ldap_controls_free(c); }
};
/// A NULL-terminated control list (the response controls of a result).
using controls_ptr = std::unique_ptr<LDAPControl*, controls_deleter>;

struct ber_deleter {
    /// The BerElement of ldap_get_dn_ber(): freed without its buffer, which belongs to the message.
    void operator()(BerElement* b) const noexcept { ber_free(b, 0); }
};
using ber_ptr = std::unique_ptr<BerElement, ber_deleter>;

struct memory_deleter {
    void operator()(void* p) const noexcept { ldap_memfree(p); }
};
/// A string from libldap (diagnostic message, matched DN).
using ldap_string = std::unique_ptr<char, memory_deleter>;
/// The berval array of ldap_get_attribute_ber(): only the array is owned; the values point into the message.
using berval_array = std::unique_ptr<berval, memory_deleter>;

struct string_array_deleter {
    void operator()(char** p) const noexcept { ldap_memvfree(reinterpret_cast<void**>(p)); }
};
/// A NULL-terminated string array (referral URLs).
using string_array = std::unique_ptr<char*, string_array_deleter>;

struct berval_deleter {
    void operator()(berval* b) const noexcept { ber_bvfree(b); }
};
/// A berval allocated with its contents (extended operation response data).
using berval_ptr = std::unique_ptr<berval, berval_deleter>;

}  // namespace dirsync::ldap::detail
