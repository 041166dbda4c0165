#include "scim_source/scim_reader.hpp"

#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "common/clock.hpp"
#include "http/query_string.hpp"
#include "resource/json_lookup.hpp"
#include "scim_source/http_client.hpp"
#include "scim_source/token_provider.hpp"
#include "sync/json_record.hpp"

namespace dirsync::scim_source {

namespace {

using json = nlohmann::json;
using clock = std::chrono::steady_clock;

constexpr std::size_t max_detail = 200;

/// The later of two RFC 3339 times (as instants); a text that does not parse loses.
const std::string& later(const std::string& a, const std::string& b) {
    const auto ta = common::parse_rfc3339(a);
    const auto tb = common::parse_rfc3339(b);
    if (!tb) return a;
    if (!ta) return b;
    return *tb > *ta ? b : a;
}

/// "HTTP 403: <the SCIM error's detail>" for an answer that is not a success.
std::string describe_refusal(const response& r) {
    std::string out = "HTTP " + std::to_string(r.status);
    const json body = json::parse(r.body, nullptr, false);
    if (const json* d = body.is_object() ? resource::json_member(body, "detail") : nullptr;
        d && d->is_string())
        out += ": " + d->get<std::string>().substr(0, max_detail);
    return out;
}

class reader final : public sync::source_reader {
  public:
    reader(const config::source_settings& source, const config::scim_source& scim,
           std::shared_ptr<token_provider> tokens, const std::atomic<bool>* cancel)
        : source_(source),
          scim_(scim),
          tokens_(std::move(tokens)),
          client_(settings_of(source, scim), cancel) {}

    /// Reads /ServiceProviderConfig: proves the remote answers and takes the token.
    boost::system::result<void, std::string> open(clock::time_point deadline) {
        auto config = get(scim_.url + "/ServiceProviderConfig", deadline);
        if (!config) return failed{config.error()};
        const json* filter = resource::json_member(*config, "filter");
        const json* supported =
            filter != nullptr && filter->is_object() ? resource::json_member(*filter, "supported") : nullptr;
        filters_ = supported != nullptr && supported->is_boolean() && supported->get<bool>();
        return {};
    }

    boost::system::result<sync::read_result, std::string> read_all(const sync::record_sink& sink,
                                                                   clock::time_point deadline) override {
        std::string newest;
        if (auto r = read_collection("Users", scim_.users_filter, sink.user, deadline, newest); !r)
            return failed{r.error()};
        if (source_.groups) {
            std::string ignored;
            if (auto r = read_collection("Groups", scim_.groups_filter, sink.group, deadline, ignored); !r)
                return failed{r.error()};
        }
        sync::read_result out;
        out.state = state(newest);
        return out;
    }

    boost::system::result<sync::read_result, std::string> read_changes(const json& previous,
                                                                       const sync::record_sink& sink,
                                                                       clock::time_point deadline) override {
        sync::read_result out;
        if (scim_.incremental == config::scim_incremental::automatic && !filters_) {
            out.full_read_required = true;
            out.reason = "the remote's ServiceProviderConfig says it does not filter";
            return out;
        }
        const std::string since = previous.value("last_modified", "");
        std::string filter = "meta.lastModified ge " + json(since).dump();
        if (scim_.users_filter) filter = "(" + scim_.users_filter->text + ") and " + filter;
        std::string newest = since;
        if (auto r = read_collection("Users", config::located_text{filter, {}}, sink.user, deadline, newest);
            !r)
            return failed{r.error()};
        out.state = state(newest);
        return out;
    }

    boost::system::result<void, std::string> read_groups(const sync::record_sink& sink,
                                                         clock::time_point deadline) override {
        std::string ignored;
        return read_collection("Groups", scim_.groups_filter, sink.group, deadline, ignored);
    }

  private:
    static client_settings settings_of(const config::source_settings& source,
                                       const config::scim_source& scim) {
        client_settings s;
        s.ca_file = scim.ca_file;
        s.tls_verify = scim.tls_verify;
        s.connect_timeout = source.timeouts.network;
        s.request_timeout = source.timeouts.operation;
        s.rate_limit = scim.rate_limit;
        s.retries = scim.retries;
        return s;
    }

    json state(const std::string& newest) const {
        json s = {{"url", scim_.url}};
        if (!newest.empty()) s["last_modified"] = newest;
        return s;
    }

    /// GETs `url` with the token; a 401 with an OAuth token fetches another and tries once more. A JSON
    /// object for a 200, else an error naming the request and the remote's words.
    boost::system::result<json, std::string> get(const std::string& url, clock::time_point deadline) {
        for (int round = 0;; ++round) {
            if (!token_) {  // once per run (a bearer token is read from its file), again after a refusal
                auto token = tokens_->token(client_, deadline);
                if (!token) return failed{token.error()};
                token_ = std::move(*token);
            }
            request r;
            r.url = url;
            r.headers = {"Authorization: Bearer " + *token_,
                         "Accept: application/scim+json, application/json"};
            auto answered = client_.perform(r, deadline);
            if (!answered) return failed{answered.error()};
            if (answered->status == 401 && round == 0 && tokens_->refused(*token_)) {
                token_.reset();
                continue;
            }
            if (answered->status != 200)
                return failed{"GET " + url + " answered " + describe_refusal(*answered) +
                              (answered->status == 401 ? " (the remote refused the token)" : "")};
            json body = json::parse(answered->body, nullptr, false);
            if (!body.is_object()) return failed{"GET " + url + " did not answer a JSON object"};
            return {boost::system::in_place_value, std::move(body)};
        }
    }

    /// Pages through `collection`, streaming each resource to `emit`; `newest` becomes the latest
    /// meta.lastModified seen (kept when none is later).
    boost::system::result<void, std::string> read_collection(
        const std::string& collection, const std::optional<config::located_text>& filter,
        const std::function<void(std::unique_ptr<sync::source_record>)>& emit, clock::time_point deadline,
        std::string& newest) {
        std::int64_t start = 1;
        std::optional<std::int64_t> total;
        std::unordered_set<std::string> seen;
        const std::string base = scim_.url + "/" + collection + "?count=" + std::to_string(scim_.page_size) +
                                 (filter ? "&filter=" + http::percent_encode(filter->text) : "") +
                                 "&startIndex=";
        while (true) {
            const std::string url = base + std::to_string(start);
            auto page = get(url, deadline);
            if (!page) return failed{page.error()};
            const json* listed = resource::json_member(*page, "totalResults");
            if (listed == nullptr || !listed->is_number_integer() || listed->get<std::int64_t>() < 0)
                return failed{"GET " + url + " did not answer a ListResponse (no totalResults)"};
            const std::int64_t page_total = listed->get<std::int64_t>();
            if (!total) {
                total = page_total;
            } else if (*total != page_total) {
                return failed{collection + " changed during the read (totalResults went from " +
                              std::to_string(*total) + " to " + std::to_string(page_total) +
                              "); the next run reads again"};
            }
            json* resources = resource::json_member(*page, "Resources");
            if (resources != nullptr && !resources->is_array())
                return failed{"GET " + url + " answered a ListResponse whose Resources is not an array"};
            const std::size_t count = resources != nullptr ? resources->size() : 0;
            if (count == 0) {
                if (start <= *total)
                    return failed{"GET " + url + " returned no " + collection + " though totalResults is " +
                                  std::to_string(*total) + " (read " + std::to_string(start - 1) + ")"};
                return {};
            }
            for (auto& item : *resources) {
                const json* id = item.is_object() ? resource::json_member(item, "id") : nullptr;
                if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty())
                    return failed{"GET " + url + " returned a resource without an id"};
                if (!seen.insert(id->get<std::string>()).second)
                    return failed{collection + " changed during the read ('" +
                                  id->get<std::string>().substr(0, 80) +
                                  "' came twice); the next run reads again"};
                if (const json* meta = resource::json_member(item, "meta"); meta && meta->is_object())
                    if (const json* m = resource::json_member(*meta, "lastModified"); m && m->is_string())
                        newest = later(newest, m->get<std::string>());
                // The page is not read again.
                if (emit) emit(std::make_unique<sync::json_record>(std::move(item)));
            }
            start += static_cast<std::int64_t>(count);
            if (start > *total) return {};
        }
    }

    const config::source_settings& source_;
    const config::scim_source& scim_;
    std::shared_ptr<token_provider> tokens_;
    http_client client_;
    std::optional<std::string> token_;  ///< the token this run sends
    bool filters_ = false;
};

}  // namespace

sync::source_access scim_access(const config::source_settings& source, const config::scim_source& scim) {
    sync::source_access access;
    access.reads_changes = scim.incremental != config::scim_incremental::none;
    access.can_continue_from = [url = scim.url](const json& state) {
        return state.is_object() && state.value("url", "") == url && state.contains("last_modified") &&
               state["last_modified"].is_string();
    };
    auto tokens = std::make_shared<token_provider>(scim);
    access.open = [&source, &scim, tokens](const std::atomic<bool>* cancel)
        -> boost::system::result<std::unique_ptr<sync::source_reader>, std::string> {
        auto r = std::make_unique<reader>(source, scim, tokens, cancel);
        if (auto opened = r->open(clock::now() + source.timeouts.connect); !opened)
            return {boost::system::in_place_error, opened.error()};
        return std::unique_ptr<sync::source_reader>(std::move(r));
    };
    return access;
}

}  // namespace dirsync::scim_source
