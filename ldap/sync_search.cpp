#include "ldap/sync_search.hpp"

#include <ldap.h>

#include <algorithm>
#include <unordered_set>

#include "ldap/client.hpp"

namespace dirsync::ldap {

namespace asio = boost::asio;
using boost::system::result;

namespace {

std::vector<std::string> sorted(std::unordered_set<std::string>&& set) {
    std::vector<std::string> out;
    out.reserve(set.size());
    for (auto it = set.begin(); it != set.end();) {
        auto node = set.extract(it++);
        out.push_back(std::move(node.value()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// The refresh's state as the messages come in.
struct refresh_state {
    std::string what;
    std::optional<std::string> cookie;
    std::unordered_set<std::string> deleted;
    std::unordered_set<std::string> present;
    bool present_phase = false;
    std::size_t changed = 0;

    void take_cookie(const std::optional<std::string>& c) {
        // An empty cookie carries no state: keeping the last real one is what the server would expect.
        if (c && !c->empty()) cookie = *c;
    }

    error protocol(std::string message) const {
        return error(error_kind::protocol, LDAP_PROTOCOL_ERROR, what + ": " + message);
    }

    result<void, error> add_uuid(std::unordered_set<std::string>& target, std::string_view raw) {
        auto text = format_sync_uuid(raw);
        if (!text) return protocol("a syncUUID is not 16 bytes long");
        target.insert(std::move(*text));
        return {};
    }

    result<void, error> on_entry(entry&& e, const sync_entry_handler& handler) {
        const control* c = find_control(e.controls, sync_state_oid);
        if (!c || !c->value) return protocol("entry '" + e.dn + "' came without a Sync State Control");
        auto state = decode_sync_state(*c->value);
        if (!state) return protocol("entry '" + e.dn + "': " + state.error().message);
        take_cookie(state->cookie);
        auto uuid = format_sync_uuid(state->entry_uuid);
        if (!uuid) return protocol("entry '" + e.dn + "': bad entryUUID");
        switch (state->state) {
            case sync_state_kind::present:
                present.insert(std::move(*uuid));
                break;
            case sync_state_kind::deleted:
                deleted.insert(std::move(*uuid));
                break;
            case sync_state_kind::add:
            case sync_state_kind::modify:
                present.insert(*uuid);
                ++changed;
                if (handler) handler(std::move(e), *uuid);
                break;
        }
        return {};
    }

    result<void, error> on_intermediate(const intermediate_response& r) {
        if (r.oid != sync_info_oid) return {};  // not ours: ignored, as RFC 4511 allows
        if (!r.value) return protocol("a Sync Info Message came without a value");
        auto info = decode_sync_info(*r.value);
        if (!info) return protocol(info.error().message);
        take_cookie(info->cookie);
        switch (info->kind) {
            case sync_info_kind::new_cookie:
            case sync_info_kind::refresh_delete:
                break;
            case sync_info_kind::refresh_present:
                present_phase = true;
                break;
            case sync_info_kind::sync_id_set:
                for (const auto& raw : info->uuids)
                    if (auto added = add_uuid(info->refresh_deletes ? deleted : present, raw); !added)
                        return added.error();
                break;
        }
        return {};
    }

    result<void, error> on_done(const std::vector<control>& controls) {
        const control* c = find_control(controls, sync_done_oid);
        if (!c) return protocol("the search ended without a Sync Done Control");
        auto done = decode_sync_done(c->value.value_or(std::string()));
        if (!done) return protocol(done.error().message);
        take_cookie(done->cookie);
        if (!done->refresh_deletes) present_phase = true;
        return {};
    }
};

}  // namespace

asio::awaitable<result<sync_refresh_result, error>> sync_refresh(client& c, sync_refresh_request request,
                                                                 sync_entry_handler on_entry) {
    sync_request_value value;
    value.mode = sync_mode::refresh_only;
    value.cookie = request.cookie;
    value.reload_hint = request.reload_hint;

    search_request search = std::move(request.search);
    search.page_size = 0;
    if (search.batch_size == 0) search.batch_size = c.settings().page_size > 0 ? c.settings().page_size : 500;
    search.resolve_ranges = false;
    search.controls.push_back(control{std::string(sync_request_oid), encode_sync_request(value), true});

    refresh_state state;
    state.what =
        "syncrepl refresh under '" + search.base + "' for '" + search.filter + "' on " + c.settings().url;
    state.cookie = request.cookie;
    // Without a cookie the client holds nothing: what is sent is the whole content, whatever phase slapd
    // names (it ends an initial refresh with refreshDeletes TRUE).
    state.present_phase = !request.cookie;
    auto cursor = c.search(std::move(search));
    bool got_done = false;
    while (cursor.has_more()) {
        auto batch = co_await cursor.next_results();
        if (!batch) {
            if (batch.error().code == sync_refresh_required_code) {
                sync_refresh_result out;
                out.refresh_required = true;
                co_return out;
            }
            co_return batch.error();
        }
        // In the server's order: intermediates interleaved with the entries they came between.
        std::size_t next_intermediate = 0;
        for (std::size_t i = 0; i <= batch->entries.size(); ++i) {
            while (next_intermediate < batch->intermediates.size() &&
                   batch->intermediates[next_intermediate].entries_before <= i) {
                if (auto r = state.on_intermediate(batch->intermediates[next_intermediate]); !r)
                    co_return r.error();
                ++next_intermediate;
            }
            if (i == batch->entries.size()) break;
            if (auto r = state.on_entry(std::move(batch->entries[i]), on_entry); !r) co_return r.error();
        }
        if (!cursor.has_more()) {
            if (auto r = state.on_done(batch->result_controls); !r) co_return r.error();
            got_done = true;
        }
    }
    if (!got_done) co_return state.protocol("the search ended without a result");

    sync_refresh_result out;
    // The cookie sent is not a new one: report a cookie only when the server sent one.
    if (state.cookie != request.cookie) out.cookie = std::move(state.cookie);
    out.deleted = sorted(std::move(state.deleted));
    out.present_phase = state.present_phase;
    out.present = sorted(std::move(state.present));
    out.changed = state.changed;
    co_return out;
}

asio::awaitable<result<void, error>> sync_persist(client& c, search_request search, std::string cookie,
                                                  std::function<void()> on_change) {
    sync_request_value value;
    value.mode = sync_mode::refresh_and_persist;
    value.cookie = std::move(cookie);
    search.page_size = 0;
    search.batch_size = 1;
    search.persistent = true;
    search.resolve_ranges = false;
    search.controls.push_back(control{std::string(sync_request_oid), encode_sync_request(value), true});
    const std::string what = "syncrepl persist under '" + search.base + "' on " + c.settings().url;
    auto cursor = c.search(std::move(search));
    while (cursor.has_more()) {
        auto batch = co_await cursor.next_results();
        if (!batch) co_return batch.error();
        for (std::size_t i = 0; i < batch->entries.size(); ++i)
            if (on_change) on_change();
    }
    co_return error(error_kind::protocol, LDAP_PROTOCOL_ERROR, what + ": the server ended the search");
}

}  // namespace dirsync::ldap
