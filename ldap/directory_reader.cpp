#include "ldap/directory_reader.hpp"

#include <memory>
#include <utility>

#include "config/wipe.hpp"
#include "ldap/blocking_client.hpp"
#include "ldap/entry_record.hpp"
#include "ldap/source_query.hpp"

namespace dirsync::ldap {

namespace {

search_scope to_scope(config::ldap_scope s) {
    switch (s) {
        case config::ldap_scope::base:
            return search_scope::base;
        case config::ldap_scope::one:
            return search_scope::one_level;
        case config::ldap_scope::sub:
            break;
    }
    return search_scope::subtree;
}

incremental_method to_method(config::incremental_method m) {
    switch (m) {
        case config::incremental_method::syncrepl:
            return incremental_method::syncrepl;
        case config::incremental_method::usn:
            return incremental_method::usn;
        default:
            return incremental_method::timestamp;
    }
}

directory_flavour to_flavour(config::ldap_flavour f) {
    switch (f) {
        case config::ldap_flavour::openldap:
            return directory_flavour::openldap;
        case config::ldap_flavour::active_directory:
            return directory_flavour::active_directory;
        case config::ldap_flavour::ds389:
            return directory_flavour::ds389;
        case config::ldap_flavour::freeipa:
            return directory_flavour::freeipa;
    }
    return directory_flavour::generic;
}

tls_verify to_verify(config::ldap_tls_verify v) {
    switch (v) {
        case config::ldap_tls_verify::if_presented:
            return tls_verify::if_presented;
        case config::ldap_tls_verify::allow:
            return tls_verify::allow;
        case config::ldap_tls_verify::never:
            return tls_verify::never;
        case config::ldap_tls_verify::demand:
            break;
    }
    return tls_verify::demand;
}

bind_method to_bind(config::ldap_bind b) {
    switch (b) {
        case config::ldap_bind::sasl_external:
            return bind_method::sasl_external;
        case config::ldap_bind::anonymous:
            return bind_method::anonymous;
        case config::ldap_bind::simple:
            break;
    }
    return bind_method::simple;
}

/// How to connect to the directory `ldap` of `source`, with its bind password read now.
boost::system::result<connection_settings, std::string> connection_for(const config::source_settings& source,
                                                                       const config::ldap_source& ldap) {
    connection_settings c;
    c.url = ldap.url;
    c.start_tls = ldap.start_tls;
    c.ca_file = ldap.ca_file;
    c.verify = to_verify(ldap.tls_verify);
    c.bind = to_bind(ldap.bind);
    c.bind_dn = ldap.bind_dn;
    if (ldap.bind == config::ldap_bind::simple && ldap.bind_password) {
        auto password = config::resolve_secret(*ldap.bind_password);
        if (!password)
            return {boost::system::in_place_error,
                    "cannot read the bind password: " + password.error().message};
        std::string& plain = *password;
        c.bind_password = secret(std::string(plain));
        plain.resize(plain.capacity());  // wipe every byte the buffer held, not just the current size
        config::wipe(plain);
    }
    c.client_cert_file = ldap.client_cert_file;
    c.client_key_file = ldap.client_key_file;
    c.page_size = ldap.page_size;
    c.network_timeout = source.timeouts.network;
    c.connect_timeout = source.timeouts.connect;
    c.operation_timeout = source.timeouts.operation;
    return c;
}

/// The searches of `source`'s users and groups with the attributes its mapping reads.
source_query query_for(const config::source_settings& source, const config::ldap_source& ldap,
                       mapped_attributes attributes) {
    source_query q;
    q.flavour = to_flavour(ldap.flavour);
    q.anchor_attribute = source.users.anchor;
    q.users.base = ldap.users.base_dn;
    q.users.scope = to_scope(ldap.users.scope);
    q.users.filter = parenthesized_filter(ldap.users.filter.text);
    q.users.attributes = std::move(attributes.users);
    if (source.groups && ldap.groups && attributes.groups) {
        group_query g;
        g.base = ldap.groups->base_dn;
        g.scope = to_scope(ldap.groups->scope);
        g.filter = parenthesized_filter(ldap.groups->filter.text);
        g.attributes = std::move(*attributes.groups);
        g.member_attribute = source.groups->member_attribute;
        q.groups = std::move(g);
    }
    return q;
}

bool reads_changes(const config::ldap_source& ldap) {
    return ldap.incremental != config::incremental_method::none;
}

/// The stored state when it is one a read of changes with `ldap`'s method can continue from.
std::optional<incremental_state> usable_state(const config::ldap_source& ldap, const nlohmann::json& stored) {
    if (!reads_changes(ldap)) return std::nullopt;
    auto s = parse_incremental_state(stored);
    if (!s || s->method != to_method(ldap.incremental)) return std::nullopt;
    switch (s->method) {
        case incremental_method::syncrepl:
            if (!s->users_cookie) return std::nullopt;
            break;
        case incremental_method::usn:
            if (s->domain_controllers.empty()) return std::nullopt;
            break;
        case incremental_method::timestamp:
            if (!s->since) return std::nullopt;
            break;
    }
    return s;
}

class directory_reader final : public sync::source_reader {
  public:
    directory_reader(const config::ldap_source& ldap, source_query query, connection_settings connection)
        : ldap_(ldap), query_(std::move(query)), client_(std::move(connection)) {}

    boost::system::result<void, std::string> connect(const std::atomic<bool>* cancel) {
        client_.set_cancel_flag(cancel);
        if (auto c = client_.connect(); !c) return {boost::system::in_place_error, c.error().message};
        return {};
    }

    boost::system::result<sync::read_result, std::string> read_all(
        const sync::record_sink& sink, std::chrono::steady_clock::time_point deadline) override {
        auto r = client_.read_full(query_, to_method(ldap_.incremental), handlers(sink, true), deadline);
        if (!r) return {boost::system::in_place_error, "reading the source failed: " + r.error().message};
        sync::read_result out;
        to_json(out.state, r->state);
        return out;
    }

    boost::system::result<sync::read_result, std::string> read_changes(
        const nlohmann::json& state, const sync::record_sink& sink,
        std::chrono::steady_clock::time_point deadline) override {
        sync::read_result out;
        auto previous = usable_state(ldap_, state);
        if (!previous) {
            out.full_read_required = true;
            out.reason = "the stored state cannot be continued from";
            out.state = state;
            return out;
        }
        auto r = client_.read_incremental(query_, *previous, handlers(sink, false), deadline);
        if (!r) return {boost::system::in_place_error, "reading the changes failed: " + r.error().message};
        out.full_read_required = r->full_read_required;
        out.reason = std::move(r->reason);
        to_json(out.state, r->state);
        out.deleted_anchors = std::move(r->deleted_anchors);
        out.present_users = std::move(r->present_users);
        return out;
    }

    boost::system::result<void, std::string> read_groups(
        const sync::record_sink& sink, std::chrono::steady_clock::time_point deadline) override {
        if (!query_.groups || !sink.group) return {};
        search_request groups;
        groups.base = query_.groups->base;
        groups.scope = query_.groups->scope;
        groups.filter = query_.groups->filter;
        groups.attributes = query_.groups->attributes;
        auto g = client_.search(
            groups, [&](entry&& e) { sink.group(std::make_unique<entry_record>(std::move(e))); }, deadline);
        if (!g) return {boost::system::in_place_error, "reading the groups failed: " + g.error().message};
        return {};
    }

  private:
    /// The reader's handlers for `sink`; groups only when asked (a read of changes reads users only).
    static source_handlers handlers(const sync::record_sink& sink, bool with_groups) {
        source_handlers h;
        if (sink.user)
            h.on_user = [&sink](entry&& e, std::string) {
                sink.user(std::make_unique<entry_record>(std::move(e)));
            };
        if (with_groups && sink.group)
            h.on_group = [&sink](entry&& e, std::string) {
                sink.group(std::make_unique<entry_record>(std::move(e)));
            };
        if (sink.skipped)
            h.on_skipped = [&sink](std::string dn, std::string reason) {
                sink.skipped(std::move(dn), std::move(reason));
            };
        return h;
    }

    const config::ldap_source& ldap_;
    source_query query_;
    blocking_client client_;
};

}  // namespace

sync::source_access directory_access(const config::source_settings& source, const config::ldap_source& ldap,
                                     mapped_attributes attributes) {
    sync::source_access access;
    access.reads_changes = reads_changes(ldap);
    access.can_continue_from = [&ldap](const nlohmann::json& state) {
        return usable_state(ldap, state).has_value();
    };
    access.open = [&source, &ldap,
                   query = query_for(source, ldap, std::move(attributes))](const std::atomic<bool>* cancel)
        -> boost::system::result<std::unique_ptr<sync::source_reader>, std::string> {
        auto connection = connection_for(source, ldap);
        if (!connection) return {boost::system::in_place_error, connection.error()};
        auto reader = std::make_unique<directory_reader>(ldap, query, std::move(*connection));
        if (auto c = reader->connect(cancel); !c) return {boost::system::in_place_error, c.error()};
        return std::unique_ptr<sync::source_reader>(std::move(reader));
    };
    if (ldap.live) {
        access.watch = [&source, &ldap, users = query_for(source, ldap, {}).users](
                           const nlohmann::json& stored, const std::function<void()>& changed,
                           const std::atomic<bool>* cancel) -> sync::watch_end {
            auto state = usable_state(ldap, stored);
            if (!state || !state->users_cookie) return {false, "no syncrepl cookie is stored yet"};
            auto connection = connection_for(source, ldap);
            if (!connection) return {false, connection.error()};
            blocking_client client(std::move(*connection));
            client.set_cancel_flag(cancel);
            if (auto c = client.connect(); !c) return {false, c.error().message};
            search_request search;
            search.base = users.base;
            search.scope = users.scope;
            search.filter = users.filter;
            search.attributes = {"1.1"};  // only that something changed: the run reads it
            auto r = client.sync_persist(std::move(search), *state->users_cookie, changed);
            if (r) return {false, "the persistent search ended"};
            if (r.error().code == sync_refresh_required_code)
                return {true, "the syncrepl cookie is too old (e-syncRefreshRequired)"};
            return {false, r.error().message};
        };
    }
    return access;
}

}  // namespace dirsync::ldap
