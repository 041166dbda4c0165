#pragma once

// Internal to dirsync_ldap: the blocking part of connect().

#include <boost/system/result.hpp>

#include "ldap/connection_settings.hpp"
#include "ldap/detail/handles.hpp"
#include "ldap/error.hpp"

namespace dirsync::ldap::detail {

/// Once per process, before the first handle: initializes libldap's global options (which must not happen
/// on two threads at once) and ignores SIGPIPE if it has its default action, because libldap writes to its
/// sockets with write(2), which raises SIGPIPE when the server has reset the connection.
void initialize_library();

/// Creates a handle for `settings`, connects (TCP, and TLS for ldaps://), sends StartTLS when asked and
/// binds. Blocks for up to the network and operation timeouts at each step: call it on the blocking pool,
/// never on an I/O thread. The handle is not shared with anything until this returns.
boost::system::result<ldap_ptr, error> open_connection(const connection_settings& settings);

}  // namespace dirsync::ldap::detail
