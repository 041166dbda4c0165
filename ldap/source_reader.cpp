#include "ldap/source_reader.hpp"

#include <ldap.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "ldap/client.hpp"
#include "ldap/generalized_time.hpp"
#include "ldap/guid.hpp"
#include "ldap/sync_search.hpp"

namespace dirsync::ldap {

namespace asio = boost::asio;
using boost::system::result;

namespace {

/// Role filters are evaluated for changed users in chunks of this many anchors...
constexpr std::size_t anchors_per_role_search = 50;
/// ...unless more users than this changed: then over all users, in one search per role.
constexpr std::size_t max_anchors_for_role_chunks = 1000;

/// `attributes` (empty: all user attributes, "*") with `extras` added unless already there (any case).
std::vector<std::string> with_attributes(const std::vector<std::string>& attributes,
                                         const std::vector<std::string>& extras) {
    std::vector<std::string> out = attributes.empty() ? std::vector<std::string>{"*"} : attributes;
    for (const auto& extra : extras) {
        const std::string key = lowercase_attribute(extra);
        const bool present = std::any_of(out.begin(), out.end(),
                                         [&](const std::string& a) { return lowercase_attribute(a) == key; });
        if (!present) out.push_back(extra);
    }
    return out;
}

search_request make_request(const entry_query& q, std::string filter, std::vector<std::string> attributes,
                            bool resolve_ranges) {
    search_request r;
    r.base = q.base;
    r.scope = q.scope;
    r.filter = std::move(filter);
    r.attributes = std::move(attributes);
    r.page_size = q.page_size;
    r.resolve_ranges = resolve_ranges;
    return r;
}

/// Runs `request` to its end, handing every entry to `f`.
asio::awaitable<result<void, error>> for_each_entry(client& c, search_request request,
                                                    const std::function<void(entry&&)>& f) {
    auto cursor = c.search(std::move(request));
    while (cursor.has_more()) {
        auto page = co_await cursor.next_page();
        if (!page) co_return page.error();
        for (auto& e : *page) f(std::move(e));
    }
    co_return result<void, error>();
}

/// The latest modifyTimestamp seen, and when the read began (on the local clock).
class timestamp_tracker {
  public:
    timestamp_tracker() : started_(std::chrono::steady_clock::now()) {}

    void see(const entry& e) {
        auto t = parse_generalized_time(e.first("modifyTimestamp"));
        if (t && (!latest_ || *t > *latest_)) latest_ = *t;
    }

    /// A mark no later than the server's clock when the read began: the latest timestamp seen, less the time
    /// the read took and a second. An entry changed during the read, after its page was read, has a later
    /// timestamp, so the next read sees it. nullopt when no timestamp was seen.
    std::optional<directory_time> mark() const {
        if (!latest_) return std::nullopt;
        const auto elapsed =
            std::chrono::ceil<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
        return *latest_ - elapsed - std::chrono::seconds(1);
    }

  private:
    std::chrono::steady_clock::time_point started_;
    std::optional<directory_time> latest_;
};

/// The domain controller serving the connection.
struct dc_identity {
    std::string host;  ///< dnsHostName, lowercase
    dc_high_water mark;
};

asio::awaitable<result<dc_identity, error>> read_dc(client& c) {
    const std::vector<std::string> attributes{"dnsHostName", "highestCommittedUSN", "dsServiceName"};
    auto root = co_await c.read(std::string(), attributes);
    if (!root) co_return root.error();
    if (!*root)
        co_return error(error_kind::protocol, LDAP_NO_SUCH_OBJECT,
                        "the RootDSE of " + c.settings().url + " is missing");
    const entry& dse = **root;
    const std::string_view usn_text = dse.first("highestCommittedUSN");
    std::uint64_t usn = 0;
    const auto [end, ec] = std::from_chars(usn_text.data(), usn_text.data() + usn_text.size(), usn);
    if (usn_text.empty() || ec != std::errc() || end != usn_text.data() + usn_text.size())
        co_return error(error_kind::protocol, LDAP_OTHER,
                        "the RootDSE of " + c.settings().url +
                            " has no usable highestCommittedUSN (not Active Directory?): '" +
                            std::string(usn_text) + "'");
    dc_identity out;
    out.host = lowercase_attribute(dse.first("dnsHostName"));
    if (out.host.empty()) out.host = lowercase_attribute(c.settings().url);
    out.mark.usn = usn;
    if (const std::string service(dse.first("dsServiceName")); !service.empty()) {
        const std::vector<std::string> invocation{"invocationId"};
        auto settings = co_await c.read(service, invocation);
        if (!settings) co_return settings.error();
        if (*settings) out.mark.invocation_id = format_guid((*settings)->first("invocationId")).value_or("");
    }
    co_return out;
}

/// A syncrepl cookie for `q`'s search as of now, without reading its content: slapd's cookies hold the
/// context CSN, not the filter, so a refresh with a filter matching nothing returns the current one.
asio::awaitable<result<std::optional<std::string>, error>> current_cookie(client& c, const entry_query& q) {
    sync_refresh_request request;
    request.search = make_request(q, and_filters({q.filter, "(!(objectClass=*))"}), {"1.1"}, false);
    auto refreshed = co_await sync_refresh(c, std::move(request), nullptr);
    if (!refreshed) co_return refreshed.error();
    co_return std::move(refreshed->cookie);
}

bool is_entry_uuid(std::string_view attribute) { return lowercase_attribute(attribute) == "entryuuid"; }

/// Streams one search's entries to `on_entry` with their anchors, or to `on_skipped`.
struct anchored_reader {
    const std::string& anchor_attribute;
    const source_handlers& handlers;
    std::size_t& skipped;
    timestamp_tracker* timestamps = nullptr;

    /// true when the entry was handed on.
    bool take(entry&& e, const std::function<void(entry&&, std::string)>& on_entry) {
        if (timestamps) timestamps->see(e);
        auto anchor = extract_anchor(e, anchor_attribute);
        if (!anchor) {
            ++skipped;
            if (handlers.on_skipped) handlers.on_skipped(e.dn, "no usable " + anchor_attribute);
            return false;
        }
        if (on_entry) on_entry(std::move(e), std::move(*anchor));
        return true;
    }
};

/// For each role filter, the users matching it among all users (`anchors` null) or among `anchors` only.
asio::awaitable<result<void, error>> read_roles(client& c, const source_query& query,
                                                const std::string& anchor,
                                                const std::vector<std::string>* anchors,
                                                const source_handlers& handlers,
                                                std::vector<std::size_t>& counts) {
    counts.assign(query.role_filters.size(), 0);
    if (anchors && anchors->size() > max_anchors_for_role_chunks) anchors = nullptr;
    const std::vector<std::string> attributes{anchor};
    for (std::size_t role = 0; role < query.role_filters.size(); ++role) {
        const auto on_entry = [&](entry&& e) {
            auto a = extract_anchor(e, anchor);
            if (!a) return;  // reported as skipped by the users search
            ++counts[role];
            if (handlers.on_role_member) handlers.on_role_member(role, std::move(*a));
        };
        std::vector<std::string> filters{query.users.filter, query.role_filters[role]};
        if (!anchors) {
            auto r = make_request(query.users, and_filters(filters), attributes, false);
            if (auto done = co_await for_each_entry(c, std::move(r), on_entry); !done) co_return done.error();
            continue;
        }
        for (std::size_t start = 0; start < anchors->size(); start += anchors_per_role_search) {
            std::string any = "(|";
            const std::size_t end = std::min(anchors->size(), start + anchors_per_role_search);
            for (std::size_t i = start; i < end; ++i)
                if (auto f = anchor_filter(anchor, (*anchors)[i])) any += *f;
            any += ")";
            std::vector<std::string> chunk = filters;
            chunk.push_back(std::move(any));
            auto r = make_request(query.users, and_filters(chunk), attributes, false);
            if (auto done = co_await for_each_entry(c, std::move(r), on_entry); !done) co_return done.error();
        }
    }
    co_return result<void, error>();
}

result<void, error> check_syncrepl_anchor(const std::string& anchor) {
    if (is_entry_uuid(anchor)) return {};
    return error(error_kind::settings, LDAP_PARAM_ERROR,
                 "syncrepl identifies entries by entryUUID, but the anchor attribute is '" + anchor + "'");
}

}  // namespace

asio::awaitable<result<full_read_result, error>> read_full(client& c, const source_query& query,
                                                           incremental_method method,
                                                           source_handlers handlers) {
    const std::string anchor = query.effective_anchor_attribute();
    full_read_result out;
    out.state.method = method;
    std::optional<timestamp_tracker> timestamps;
    std::vector<std::string> extras{anchor};

    switch (method) {
        case incremental_method::syncrepl: {
            if (auto ok = check_syncrepl_anchor(anchor); !ok) co_return ok.error();
            auto users_cookie = co_await current_cookie(c, query.users);
            if (!users_cookie) co_return users_cookie.error();
            out.state.users_cookie = std::move(*users_cookie);
            if (query.groups) {
                auto groups_cookie = co_await current_cookie(c, *query.groups);
                if (!groups_cookie) co_return groups_cookie.error();
                out.state.groups_cookie = std::move(*groups_cookie);
            }
            break;
        }
        case incremental_method::usn: {
            auto dc = co_await read_dc(c);
            if (!dc) co_return dc.error();
            out.state.domain_controllers[dc->host] = dc->mark;
            break;
        }
        case incremental_method::timestamp:
            timestamps.emplace();
            extras.push_back("modifyTimestamp");
            break;
    }

    anchored_reader reader{anchor, handlers, out.skipped, timestamps ? &*timestamps : nullptr};
    const auto on_user = [&](entry&& e) {
        if (reader.take(std::move(e), handlers.on_user)) ++out.users;
    };
    auto users = make_request(query.users, parenthesized_filter(query.users.filter),
                              with_attributes(query.users.attributes, extras), true);
    if (auto done = co_await for_each_entry(c, std::move(users), on_user); !done) co_return done.error();

    if (query.groups) {
        auto group_extras = extras;
        group_extras.push_back(query.groups->member_attribute);
        const auto on_group = [&](entry&& e) {
            if (reader.take(std::move(e), handlers.on_group)) ++out.groups;
        };
        auto groups = make_request(*query.groups, parenthesized_filter(query.groups->filter),
                                   with_attributes(query.groups->attributes, group_extras), true);
        if (auto done = co_await for_each_entry(c, std::move(groups), on_group); !done)
            co_return done.error();
    }

    if (auto roles = co_await read_roles(c, query, anchor, nullptr, handlers, out.role_members); !roles)
        co_return roles.error();

    if (timestamps)
        if (auto mark = timestamps->mark()) out.state.since = format_generalized_time(*mark);
    co_return out;
}

namespace {

/// One syncrepl refresh of `q` for an incremental read.
struct refreshed_search {
    bool refresh_required = false;
    std::optional<std::string> cookie;
    std::vector<std::string> deleted;
    std::optional<std::vector<std::string>> present;
};

asio::awaitable<result<refreshed_search, error>> refresh_search(
    client& c, const entry_query& q, std::vector<std::string> attributes,
    const std::optional<std::string>& cookie,
    const std::function<void(entry&&, const std::string&)>& on_entry) {
    sync_refresh_request request;
    // No range retrieval: OpenLDAP, the syncrepl server, never sends ranged values.
    request.search = make_request(q, parenthesized_filter(q.filter), std::move(attributes), false);
    request.cookie = cookie;
    auto r = co_await sync_refresh(c, std::move(request), on_entry);
    if (!r) co_return r.error();
    refreshed_search out;
    out.refresh_required = r->refresh_required;
    out.cookie = r->cookie ? std::move(r->cookie) : cookie;
    out.deleted = std::move(r->deleted);
    if (r->present_phase) out.present = std::move(r->present);
    co_return out;
}

incremental_result needs_full_read(const incremental_state& previous, std::string reason) {
    incremental_result out;
    out.full_read_required = true;
    out.reason = std::move(reason);
    out.state = previous;
    return out;
}

}  // namespace

asio::awaitable<result<incremental_result, error>> read_incremental(client& c, const source_query& query,
                                                                    const incremental_state& previous,
                                                                    source_handlers handlers) {
    const std::string anchor = query.effective_anchor_attribute();
    incremental_result out;
    out.state = previous;
    std::vector<std::string> changed_users;
    const auto user_seen = [&](std::string a) -> std::string {
        changed_users.push_back(a);
        return a;
    };

    if (previous.method == incremental_method::syncrepl) {
        if (auto ok = check_syncrepl_anchor(anchor); !ok) co_return ok.error();
        if (!previous.users_cookie || (query.groups && !previous.groups_cookie))
            co_return needs_full_read(previous, "no syncrepl cookie is stored");
        // The entryUUID of the Sync State Control is the anchor: no attribute needs reading for it.
        const auto on_user = [&](entry&& e, const std::string& uuid) {
            ++out.users;
            if (handlers.on_user)
                handlers.on_user(std::move(e), user_seen(uuid));
            else
                user_seen(uuid);
        };
        // Named arguments: GCC 12 miscompiles braced temporaries inside a co_await expression.
        const std::vector<std::string> user_extras{anchor};
        auto user_attributes = with_attributes(query.users.attributes, user_extras);
        auto users = co_await refresh_search(c, query.users, std::move(user_attributes),
                                             previous.users_cookie, on_user);
        if (!users) co_return users.error();
        if (users->refresh_required)
            co_return needs_full_read(previous,
                                      "the users' syncrepl cookie is too old (e-syncRefreshRequired)");
        out.state.users_cookie = users->cookie;
        out.present_users = std::move(users->present);
        out.deleted_anchors = std::move(users->deleted);

        if (query.groups) {
            const auto on_group = [&](entry&& e, const std::string& uuid) {
                ++out.groups;
                if (handlers.on_group) handlers.on_group(std::move(e), uuid);
            };
            const std::vector<std::string> group_extras{anchor, query.groups->member_attribute};
            auto group_attributes = with_attributes(query.groups->attributes, group_extras);
            auto groups = co_await refresh_search(c, *query.groups, std::move(group_attributes),
                                                  previous.groups_cookie, on_group);
            if (!groups) co_return groups.error();
            if (groups->refresh_required)
                co_return needs_full_read(previous,
                                          "the groups' syncrepl cookie is too old (e-syncRefreshRequired)");
            out.state.groups_cookie = groups->cookie;
            out.present_groups = std::move(groups->present);
            out.deleted_anchors.insert(out.deleted_anchors.end(), groups->deleted.begin(),
                                       groups->deleted.end());
            std::sort(out.deleted_anchors.begin(), out.deleted_anchors.end());
            out.deleted_anchors.erase(std::unique(out.deleted_anchors.begin(), out.deleted_anchors.end()),
                                      out.deleted_anchors.end());
        }
    } else {
        std::string since_filter;
        std::optional<timestamp_tracker> timestamps;
        std::vector<std::string> extras{anchor};
        if (previous.method == incremental_method::usn) {
            auto dc = co_await read_dc(c);
            if (!dc) co_return dc.error();
            auto known = previous.domain_controllers.find(dc->host);
            if (known == previous.domain_controllers.end())
                co_return needs_full_read(
                    previous, "no USN high-water mark is stored for domain controller '" + dc->host + "'");
            if (known->second.invocation_id != dc->mark.invocation_id)
                co_return needs_full_read(previous, "domain controller '" + dc->host +
                                                        "' has a new invocationId (restored from a backup?)");
            since_filter = "(uSNChanged>=" + std::to_string(known->second.usn + 1) + ")";
            out.state.domain_controllers[dc->host] = dc->mark;
        } else {
            if (!previous.since)
                co_return needs_full_read(previous, "no modifyTimestamp high-water mark is stored");
            if (!parse_generalized_time(*previous.since))
                co_return needs_full_read(previous, "the stored high-water mark '" + *previous.since +
                                                        "' is not a GeneralizedTime");
            since_filter = "(modifyTimestamp>=" + *previous.since + ")";
            timestamps.emplace();
            extras.push_back("modifyTimestamp");
        }

        anchored_reader reader{anchor, handlers, out.skipped, timestamps ? &*timestamps : nullptr};
        const auto on_user = [&](entry&& e) {
            const auto forward = [&](entry&& kept, std::string a) {
                ++out.users;
                if (handlers.on_user)
                    handlers.on_user(std::move(kept), user_seen(std::move(a)));
                else
                    user_seen(std::move(a));
            };
            reader.take(std::move(e), forward);
        };
        auto users = make_request(query.users, and_filters({query.users.filter, since_filter}),
                                  with_attributes(query.users.attributes, extras), true);
        if (auto done = co_await for_each_entry(c, std::move(users), on_user); !done) co_return done.error();

        if (query.groups) {
            auto group_extras = extras;
            group_extras.push_back(query.groups->member_attribute);
            const auto on_group = [&](entry&& e) {
                if (reader.take(std::move(e), handlers.on_group)) ++out.groups;
            };
            auto groups = make_request(*query.groups, and_filters({query.groups->filter, since_filter}),
                                       with_attributes(query.groups->attributes, group_extras), true);
            if (auto done = co_await for_each_entry(c, std::move(groups), on_group); !done)
                co_return done.error();
        }

        if (timestamps) {
            const auto previous_mark = parse_generalized_time(*previous.since);
            auto mark = timestamps->mark();
            if (mark && *mark > *previous_mark) out.state.since = format_generalized_time(*mark);
        }
    }

    if (auto roles = co_await read_roles(c, query, anchor, &changed_users, handlers, out.role_members);
        !roles)
        co_return roles.error();
    co_return out;
}

}  // namespace dirsync::ldap
