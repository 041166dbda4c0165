#include "scim_source/token_provider.hpp"

#include <nlohmann/json.hpp>

#include "config/wipe.hpp"
#include "http/query_string.hpp"

namespace dirsync::scim_source {

namespace {

using namespace std::chrono_literals;

/// How long before its expiry a token is fetched again.
std::chrono::seconds renewal_margin(std::chrono::seconds lifetime) {
    return std::min<std::chrono::seconds>(60s, lifetime / 10);
}

}  // namespace

boost::system::result<std::string, std::string> token_provider::token(
    http_client& client, std::chrono::steady_clock::time_point deadline) {
    if (const auto* bearer = std::get_if<config::scim_bearer_auth>(&settings_.auth)) {
        auto secret = config::resolve_secret(bearer->token);
        if (!secret) return failed{"the bearer token: " + secret.error().message};
        client.add_secret(*secret);
        return {boost::system::in_place_value, std::move(*secret)};
    }
    const auto& oauth = std::get<config::scim_oauth_auth>(settings_.auth);
    std::lock_guard lock(mutex_);
    if (cached_ && std::chrono::steady_clock::now() < expires_) {
        client.add_secret(*cached_);
        return {boost::system::in_place_value, *cached_};
    }
    return fetch(oauth, client, deadline);
}

boost::system::result<std::string, std::string> token_provider::fetch(
    const config::scim_oauth_auth& oauth, http_client& client,
    std::chrono::steady_clock::time_point deadline) {
    auto secret = config::resolve_secret(oauth.client_secret);
    if (!secret) return failed{"the OAuth client secret: " + secret.error().message};
    client.add_secret(*secret);
    request r;
    r.method = "POST";
    r.url = oauth.token_url;
    r.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
    r.body = "grant_type=client_credentials";
    if (!oauth.scope.empty()) r.body += "&scope=" + http::percent_encode(oauth.scope);
    // RFC 6749 §2.3.1: client id and secret form-encoded, then HTTP Basic.
    r.basic_auth.emplace(http::percent_encode(oauth.client_id), http::percent_encode(*secret));
    config::wipe(*secret);
    auto answered = client.perform(r, deadline);
    if (r.basic_auth) config::wipe(r.basic_auth->second);
    if (!answered) return failed{"OAuth token request: " + answered.error()};
    nlohmann::json body = nlohmann::json::parse(answered->body, nullptr, false);
    if (answered->status != 200) {
        std::string why = "HTTP " + std::to_string(answered->status);
        if (body.is_object() && body.contains("error") && body["error"].is_string())
            why += " (" + body["error"].get<std::string>().substr(0, 100) + ")";
        return failed{"OAuth token request to " + oauth.token_url + " answered " + why};
    }
    if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string() ||
        body["access_token"].get_ref<const std::string&>().empty())
        return failed{"OAuth token response from " + oauth.token_url + " has no access_token"};
    if (body.contains("token_type") && body["token_type"].is_string()) {
        const auto& type = body["token_type"].get_ref<const std::string&>();
        if (type.size() != 6 || (type != "Bearer" && type != "bearer" && type != "BEARER"))
            return failed{"OAuth token response from " + oauth.token_url + " has token_type '" +
                          type.substr(0, 40) + "', not Bearer"};
    }
    std::chrono::seconds lifetime = 3600s;  // RFC 6749 §5.1: expires_in is RECOMMENDED, not required
    if (body.contains("expires_in") && body["expires_in"].is_number_integer() &&
        body["expires_in"].get<long>() > 0)
        lifetime = std::chrono::seconds(body["expires_in"].get<long>());
    cached_ = body["access_token"].get<std::string>();
    expires_ = std::chrono::steady_clock::now() + lifetime - renewal_margin(lifetime);
    client.add_secret(*cached_);
    return {boost::system::in_place_value, *cached_};
}

bool token_provider::refused(const std::string& token) {
    if (!std::holds_alternative<config::scim_oauth_auth>(settings_.auth)) return false;
    std::lock_guard lock(mutex_);
    if (cached_ && *cached_ == token) cached_.reset();
    return true;
}

}  // namespace dirsync::scim_source
