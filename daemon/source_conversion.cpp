#include "daemon/source_conversion.hpp"

#include "config/wipe.hpp"

namespace dirsync::daemon {

sync::policy to_policy(const config::source_settings& source) {
    sync::policy p;
    p.source = source.name;
    p.tenant = source.tenant;
    for (auto k : source.match_existing) {
        switch (k) {
            case config::match_key::external_id:
                p.match_existing.push_back(sync::match_key::external_id);
                break;
            case config::match_key::user_name:
                p.match_existing.push_back(sync::match_key::user_name);
                break;
            case config::match_key::emails:
                p.match_existing.push_back(sync::match_key::email);
                break;
        }
    }
    p.safety.max_orphans = static_cast<std::size_t>(source.safety.max_orphans);
    p.safety.max_orphan_ratio = source.safety.max_orphan_ratio;
    p.orphans.action = source.orphans.action == config::orphan_action::disable
                           ? sync::orphan_policy::first_action::disable
                           : sync::orphan_policy::first_action::flag;
    p.orphans.disable_after = source.orphans.disable_after;
    p.orphans.delete_after = source.orphans.delete_after;
    p.nested = source.groups && source.groups->nested == config::nested_groups::keep
                   ? sync::nested_groups::keep
                   : sync::nested_groups::flatten;
    return p;
}

boost::system::result<ldap::connection_settings, std::string> to_connection_settings(
    const config::source_settings& source) {
    ldap::connection_settings c;
    c.url = source.url;
    c.start_tls = source.start_tls;
    c.ca_file = source.ca_file;
    switch (source.tls_verify) {
        case config::ldap_tls_verify::demand:
            c.verify = ldap::tls_verify::demand;
            break;
        case config::ldap_tls_verify::if_presented:
            c.verify = ldap::tls_verify::if_presented;
            break;
        case config::ldap_tls_verify::allow:
            c.verify = ldap::tls_verify::allow;
            break;
        case config::ldap_tls_verify::never:
            c.verify = ldap::tls_verify::never;
            break;
    }
    switch (source.bind) {
        case config::ldap_bind::simple:
            c.bind = ldap::bind_method::simple;
            break;
        case config::ldap_bind::sasl_external:
            c.bind = ldap::bind_method::sasl_external;
            break;
        case config::ldap_bind::anonymous:
            c.bind = ldap::bind_method::anonymous;
            break;
    }
    c.bind_dn = source.bind_dn;
    if (source.bind == config::ldap_bind::simple && source.bind_password) {
        auto password = config::resolve_secret(*source.bind_password);
        if (!password)
            return {boost::system::in_place_error,
                    "cannot read the bind password: " + password.error().message};
        std::string& plain = *password;
        c.bind_password = ldap::secret(std::string(plain));
        plain.resize(plain.capacity());  // wipe every byte the buffer held, not just the current size
        config::wipe(plain);
    }
    c.client_cert_file = source.client_cert_file;
    c.client_key_file = source.client_key_file;
    c.page_size = source.page_size;
    c.network_timeout = source.timeouts.network;
    c.connect_timeout = source.timeouts.connect;
    c.operation_timeout = source.timeouts.operation;
    return c;
}

}  // namespace dirsync::daemon
