#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/load.hpp"
#include "sync/entry_mapper.hpp"
#include "sync/source_check.hpp"

namespace dirsync::sync::testing {

/// The mapper of an LDAP source with users under ou=people (userName from uid) and groups under ou=groups
/// (`nested` as groups.nested), and any more YAML of the source (`roles:` rules) appended.
inline source_mapper group_source_mapper(const std::string& nested, const std::string& more = "") {
    std::string yaml =
        "storage: {sqlite: x.db}\n"
        "tenants: [{id: acme, name: Acme}]\n"
        "sources:\n"
        "  - name: corp\n"
        "    tenant: acme\n"
        "    url: ldap://127.0.0.1:3890\n"
        "    bind: anonymous\n"
        "    users:\n"
        "      base_dn: ou=people,dc=example,dc=com\n"
        "      map: { userName: \"{uid!}\" }\n"
        "    groups:\n"
        "      base_dn: ou=groups,dc=example,dc=com\n"
        "      nested: " +
        nested + "\n" + more;
    config::load_options options;
    options.check = check_sources;
    auto loaded = config::load_settings_string(yaml, "t.yaml", options);
    if (!loaded) throw std::runtime_error(loaded.error().to_string());
    std::vector<config::diagnostic> problems;
    return *compile_source(*loaded, loaded->sources[0], problems);
}

/// The n-th entryUUID of a test directory.
inline std::string test_uuid(int n) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "00000000-0000-0000-0000-%012d", n);
    return buffer;
}

}  // namespace dirsync::sync::testing
