#include "scim_source/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <random>
#include <thread>

#include "curl/easy.hpp"

namespace dirsync::scim_source {

namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<std::string*>(user);
    out->append(data, size * count);
    return size * count;
}

bool retryable_status(long status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

struct http_client::impl {
    curl::easy_handle handle;
    char error_buffer[CURL_ERROR_SIZE] = {};
};

http_client::http_client(client_settings settings, const std::atomic<bool>* cancel)
    : settings_(std::move(settings)), cancel_(cancel), impl_(std::make_unique<impl>()) {}

http_client::~http_client() {
    for (auto& s : settings_.secrets) std::fill(s.begin(), s.end(), '\0');
}

void http_client::add_secret(std::string secret) {
    if (secret.empty() ||
        std::find(settings_.secrets.begin(), settings_.secrets.end(), secret) != settings_.secrets.end())
        return;
    settings_.secrets.push_back(std::move(secret));
}

bool http_client::wait_until(clock::time_point t) const {
    while (clock::now() < t) {
        if (cancel_ != nullptr && cancel_->load()) return false;
        std::this_thread::sleep_for(std::min<clock::duration>(t - clock::now(), 100ms));
    }
    return cancel_ == nullptr || !cancel_->load();
}

boost::system::result<response, std::string> http_client::attempt(
    const request& r, std::optional<std::chrono::seconds>& retry_after) {
    retry_after.reset();
    if (!impl_->handle) {
        impl_->handle = curl::make_easy("http,https", static_cast<long>(settings_.request_timeout.count()),
                                        settings_.tls_verify, settings_.ca_file, impl_->error_buffer);
    } else {
        impl_->error_buffer[0] = '\0';
    }
    CURL* c = impl_->handle.get();
    // Options of the previous request must not leak into this one.
    curl::set_option(c, CURLOPT_HTTPGET, 1L);
    curl::set_option(c, CURLOPT_USERNAME, static_cast<const char*>(nullptr));
    curl::set_option(c, CURLOPT_PASSWORD, static_cast<const char*>(nullptr));
    curl::set_option(c, CURLOPT_URL, r.url.c_str());
    curl::set_option(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout.count()));
    curl::set_option(c, CURLOPT_USERAGENT, "dirsyncd");
    curl::set_option(c, CURLOPT_ACCEPT_ENCODING, "");
    if (r.method == "POST") {
        curl::set_option(c, CURLOPT_POST, 1L);
        curl::set_option(c, CURLOPT_POSTFIELDS, r.body.c_str());
        curl::set_option(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
    if (r.basic_auth) {
        curl::set_option(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl::set_option(c, CURLOPT_USERNAME, r.basic_auth->first.c_str());
        curl::set_option(c, CURLOPT_PASSWORD, r.basic_auth->second.c_str());
    }
    curl::slist_handle headers;
    for (const auto& h : r.headers) curl::append(headers, h);
    curl::append(headers, "Expect:");
    curl::set_option(c, CURLOPT_HTTPHEADER, headers.get());
    response out;
    curl::set_option(c, CURLOPT_WRITEFUNCTION, &collect);
    curl::set_option(c, CURLOPT_WRITEDATA, &out.body);

    ++sent_;
    last_request_ = clock::now();
    const CURLcode rc = curl_easy_perform(c);
    curl::set_option(c, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
    if (rc != CURLE_OK)
        return failed{curl::safe_message(curl::error_message(rc, impl_->error_buffer), settings_.secrets)};
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
    char* type = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr)
        out.content_type = type;
    curl_off_t after = 0;
    if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
        retry_after = std::chrono::seconds(after);
    return out;
}

boost::system::result<response, std::string> http_client::perform(const request& r,
                                                                  clock::time_point deadline) {
    const std::string what = r.method + " " + curl::safe_message(r.url, settings_.secrets, 200);
    static thread_local std::mt19937 jitter{std::random_device{}()};
    std::string last_problem;
    for (std::uint32_t attempt_no = 0;; ++attempt_no) {
        if (cancel_ != nullptr && cancel_->load())
            return failed{what + ": cancelled (the daemon is stopping)"};
        if (settings_.rate_limit > 0 && sent_ > 0) {
            const auto gap =
                std::chrono::duration_cast<clock::duration>(std::chrono::seconds(1)) / settings_.rate_limit;
            if (!wait_until(last_request_ + gap))
                return failed{what + ": cancelled (the daemon is stopping)"};
        }
        if (clock::now() >= deadline) return failed{what + ": the run's time limit passed"};
        std::optional<std::chrono::seconds> retry_after;
        auto answered = attempt(r, retry_after);
        std::string problem;
        if (answered && !retryable_status(answered->status)) return answered;
        if (answered)
            problem = "HTTP " + std::to_string(answered->status);
        else
            problem = answered.error();
        const std::string attempts =
            " (after " + std::to_string(attempt_no + 1) + (attempt_no == 0 ? " attempt)" : " attempts)");
        if (attempt_no >= settings_.retries) return failed{what + ": " + problem + attempts};
        clock::duration wait = settings_.backoff * (1LL << std::min<std::uint32_t>(attempt_no, 16));
        wait = std::min<clock::duration>(wait, settings_.max_backoff);
        std::uniform_int_distribution<std::int64_t> spread(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(wait).count() / 4);
        wait += std::chrono::milliseconds(spread(jitter));
        if (retry_after) wait = std::min<clock::duration>(*retry_after, settings_.max_backoff);
        if (clock::now() + wait >= deadline)
            return failed{what + ": " + problem + attempts +
                          ", and the run's time limit comes before a retry"};
        if (!wait_until(clock::now() + wait)) return failed{what + ": cancelled (the daemon is stopping)"};
    }
}

}  // namespace dirsync::scim_source
