#include "curl/easy.hpp"

#include <string.h>

#include <mutex>
#include <new>
#include <stdexcept>

#include "common/utf8.hpp"

namespace dirsync::curl {

void ensure_global() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK)
        throw std::runtime_error(std::string("curl_global_init failed: ") + curl_easy_strerror(result));
}

easy_handle make_easy(const char* protocols, long timeout_ms, bool verify_peer, const std::string& ca_file,
                      char* error_buffer) {
    ensure_global();
    easy_handle h(curl_easy_init());
    if (!h) throw std::runtime_error("curl_easy_init failed");
    error_buffer[0] = '\0';
    set_option(h.get(), CURLOPT_ERRORBUFFER, error_buffer);
    set_option(h.get(), CURLOPT_NOSIGNAL, 1L);
    set_option(h.get(), CURLOPT_PROTOCOLS_STR, protocols);
    set_option(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
    set_option(h.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
    set_option(h.get(), CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    set_option(h.get(), CURLOPT_SSL_VERIFYPEER, verify_peer ? 1L : 0L);
    set_option(h.get(), CURLOPT_SSL_VERIFYHOST, verify_peer ? 2L : 0L);
    if (!ca_file.empty()) set_option(h.get(), CURLOPT_CAINFO, ca_file.c_str());
    return h;
}

void append(slist_handle& list, const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) throw std::bad_alloc();
    // curl_slist_append returns the head it was given (or the new one-element list when that was null).
    (void)list.release();
    list.reset(grown);
}

secret_strings::~secret_strings() {
    for (auto& v : values) ::explicit_bzero(v.data(), v.size());
}

std::string safe_message(std::string_view text, const std::vector<std::string>& secrets,
                         std::size_t max_length) {
    std::string out(text);
    for (const auto& secret : secrets) {
        if (secret.empty()) continue;
        for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
            out.replace(pos, secret.size(), "***");
    }
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) c = ' ';
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.size() > max_length) out = std::string(common::utf8_prefix(out, max_length));
    return out;
}

std::string error_message(CURLcode code, const char* error_buffer) {
    return error_buffer[0] != '\0' ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
}

}  // namespace dirsync::curl
