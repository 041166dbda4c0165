#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "ldap/entry_record.hpp"

namespace dirsync::sync::testing {

/// An entry with `dn` and attributes given as {name, {values...}} (names any case, stored lowercased as the
/// reader does).
inline ldap::entry_record make_entry(
    std::string dn, std::initializer_list<std::pair<std::string, std::vector<std::string>>> attributes) {
    ldap::entry_record e;
    e.dn = std::move(dn);
    for (const auto& [name, values] : attributes) e.attributes[ldap::lowercase_attribute(name)] = values;
    return e;
}

/// The sample person most tests use.
inline ldap::entry_record jdoe() {
    return make_entry("uid=jdoe,ou=people,dc=example,dc=com",
                      {{"uid", {"jdoe"}},
                       {"cn", {"John Doe", "Johnny"}},
                       {"givenName", {"John"}},
                       {"sn", {"Doe"}},
                       {"mail", {"John.Doe@Example.com", "jd@example.com"}},
                       {"title", {"  Engineer  "}},
                       {"employeeNumber", {"1042"}},
                       {"objectClass", {"top", "person", "inetOrgPerson"}},
                       {"entryUUID", {"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"}},
                       {"manager", {"cn=Jane Roe,ou=people,dc=example,dc=com"}},
                       {"ou", {"Engineering"}}});
}

}  // namespace dirsync::sync::testing
