#include "notify/webhook.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <vector>

#include "common/hmac.hpp"
#include "common/sha256.hpp"
#include "curl/easy.hpp"

namespace dirsync::notify {
namespace {

using curl::set_option;

constexpr std::size_t max_idempotency_key = 255;
constexpr std::size_t max_timestamp_digits = 12;

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string signed_payload(std::string_view t, std::string_view body) {
    std::string payload;
    payload.reserve(t.size() + 1 + body.size());
    payload.append(t).append(".").append(body);
    return payload;
}

bool is_header_value(std::string_view s) {
    return !s.empty() && s.size() <= max_idempotency_key && s.front() != ' ' && s.back() != ' ' &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

delivery_result failure(bool permanent, std::string error,
                        std::optional<std::chrono::seconds> retry_after = {}) {
    return {
        .delivered = false, .permanent = permanent, .error = std::move(error), .retry_after = retry_after};
}

/// Whether `url` is an http:// or https:// URL; sets `password` to the password of its user information
/// (empty when none).
bool parse_url(const std::string& url, std::string& password) {
    curl::ensure_global();
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
    if (!u) throw std::bad_alloc();
    if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return false;
    auto part = [&](CURLUPart which, std::string& out) {
        char* value = nullptr;
        if (curl_url_get(u.get(), which, &value, 0) != CURLUE_OK || value == nullptr) return;
        out = value;
        curl_free(value);
    };
    std::string scheme;
    part(CURLUPART_SCHEME, scheme);
    if (scheme != "http" && scheme != "https") return false;
    part(CURLUPART_PASSWORD, password);
    return true;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

std::string signature_header(std::string_view secret, std::string_view body,
                             std::chrono::system_clock::time_point now) {
    const std::string t = std::to_string(unix_seconds(now));
    return "t=" + t + ",v1=" + common::hmac_sha256_hex(secret, signed_payload(t, body));
}

delivery_result post_webhook(const webhook_settings& settings, const std::string& body,
                             const std::string& idempotency_key, std::chrono::system_clock::time_point now) {
    if (settings.secret.empty()) return failure(true, "the webhook secret is empty");
    if (!is_header_value(idempotency_key))
        return failure(true, "the idempotency key is empty, too long or not printable ASCII");
    curl::secret_strings secrets;
    secrets.values = {settings.secret, std::string{}};
    if (!parse_url(settings.url, secrets.values[1]))
        return failure(true, "the webhook URL is not a valid http:// or https:// URL");

    char error_buffer[CURL_ERROR_SIZE];
    const long timeout_ms = std::max<long>(1, static_cast<long>(settings.timeout.count()));
    auto h = curl::make_easy("http,https", timeout_ms, settings.verify_peer, settings.ca_file, error_buffer);
    CURL* c = h.get();
    set_option(c, CURLOPT_URL, settings.url.c_str());
    curl::slist_handle headers;
    curl::append(headers, "Content-Type: application/json");
    curl::append(headers, "Dirsync-Signature: " + signature_header(settings.secret, body, now));
    curl::append(headers, "Idempotency-Key: " + idempotency_key);
    curl::append(headers, "Expect:");  // no 100-continue round trip for large bodies
    set_option(c, CURLOPT_HTTPHEADER, headers.get());
    set_option(c, CURLOPT_USERAGENT, "dirsyncd");
    set_option(c, CURLOPT_POST, 1L);
    set_option(c, CURLOPT_POSTFIELDS, body.data());
    set_option(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    set_option(c, CURLOPT_WRITEFUNCTION, &discard);

    const CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status == 0) {
        return failure(
            false, "webhook: " + curl::safe_message(curl::error_message(rc, error_buffer), secrets.values));
    }
    // The receiver's answer decides, even when the transfer of its body then failed: a repeat is harmless
    // (Idempotency-Key) but a 2xx means the event arrived.
    if (status >= 200 && status <= 299)
        return {.delivered = true, .permanent = false, .error = {}, .retry_after = std::nullopt};
    const std::string answered = "webhook answered HTTP " + std::to_string(status);
    if (status == 429 || status == 503) {
        curl_off_t after = 0;
        std::optional<std::chrono::seconds> retry_after;
        if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
            retry_after = std::chrono::seconds(after);
        return failure(false, answered, retry_after);
    }
    if (status >= 300 && status <= 399) return failure(true, answered + " (redirects are not followed)");
    if (status >= 400 && status <= 499 && status != 408 && status != 429) return failure(true, answered);
    return failure(false, answered);
}

bool verify_signature(std::string_view secret, std::string_view header, std::string_view body,
                      std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    if (secret.empty()) return false;
    std::optional<std::string_view> t;
    std::vector<std::string_view> macs;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const std::string_view element = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const auto eq = element.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = element.substr(0, eq);
        const std::string_view value = element.substr(eq + 1);
        if (key == "t") {
            if (t) return false;
            t = value;
        } else if (key == "v1") {
            macs.push_back(value);
        }
    }
    if (!t || macs.empty() || t->empty() || t->size() > max_timestamp_digits ||
        !std::all_of(t->begin(), t->end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    const std::int64_t sent = std::stoll(std::string(*t));
    const std::int64_t age = unix_seconds(now) - sent;
    if (age > tolerance.count() || -age > tolerance.count()) return false;
    const common::sha256_digest expected = common::hmac_sha256(secret, signed_payload(*t, body));
    bool match = false;
    for (auto mac : macs)
        if (auto digest = common::digest_from_hex(mac)) match |= common::digest_equal(*digest, expected);
    return match;
}

}  // namespace dirsync::notify
