#pragma once

// libcurl plumbing shared by the modules that speak through libcurl (notify/ for mail and webhooks, the SCIM
// source's client): one global initialisation, owned handles, options that throw, messages without secrets.
// Their callers never see libcurl.

#include <curl/curl.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dirsync::curl {

/// Runs curl_global_init once per process, before the first easy handle; safe to call from any thread, any
/// number of times. Throws std::runtime_error when libcurl cannot initialise.
void ensure_global();

struct easy_deleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using easy_handle = std::unique_ptr<CURL, easy_deleter>;
using slist_handle = std::unique_ptr<curl_slist, slist_deleter>;

/// A new easy handle with what every transfer sets: no signals, `protocols` only (a
/// CURLOPT_PROTOCOLS_STR list), no redirects, the transfer and connect timeouts, peer verification
/// (`verify_peer` false turns off both the certificate and the host name check) with `ca_file` when not
/// empty, and `error_buffer` (CURL_ERROR_SIZE bytes, must outlive the handle) as CURLOPT_ERRORBUFFER.
/// Throws std::runtime_error when libcurl cannot make a handle or refuses an option.
easy_handle make_easy(const char* protocols, long timeout_ms, bool verify_peer, const std::string& ca_file,
                      char* error_buffer);

/// curl_easy_setopt that throws std::runtime_error when libcurl refuses the option.
template <typename T>
void set_option(CURL* h, CURLoption option, T value) {
    if (const CURLcode rc = curl_easy_setopt(h, option, value); rc != CURLE_OK)
        throw std::runtime_error(std::string("curl_easy_setopt failed: ") + curl_easy_strerror(rc));
}

/// Appends `line` to `list`; throws std::bad_alloc when libcurl cannot.
void append(slist_handle& list, const std::string& line);

/// Copies of credentials kept for safe_message, overwritten with zeros when destroyed.
struct secret_strings {
    std::vector<std::string> values;
    secret_strings() = default;
    secret_strings(const secret_strings&) = delete;
    secret_strings& operator=(const secret_strings&) = delete;
    ~secret_strings();
};

/// `text` as one line for delivery_result::error: control characters become spaces, every occurrence of each
/// non-empty string in `secrets` becomes "***", and it is cut to `max_length` bytes (on a UTF-8 boundary).
std::string safe_message(std::string_view text, const std::vector<std::string>& secrets,
                         std::size_t max_length = 300);

/// The libcurl message of a failed transfer: the error buffer when libcurl filled it, else
/// curl_easy_strerror(code).
std::string error_message(CURLcode code, const char* error_buffer);

}  // namespace dirsync::curl
