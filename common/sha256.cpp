#include "common/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "common/ascii.hpp"

namespace dirsync::common {

namespace {

/// OpenSSL 3 looks an algorithm up in its provider tables (under a lock) each time a digest starts with
/// EVP_sha256(); fetched once, it is not looked up again. Never freed: it lives as long as the process.
const EVP_MD* sha256_method() {
    static EVP_MD* const method = [] {
        EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (m == nullptr) throw std::runtime_error("OpenSSL has no SHA256");
        return m;
    }();
    return method;
}

/// One digest context per thread, reused: a reconcile hashes 100,000 stored and mapped texts per run.
struct context_deleter {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

EVP_MD_CTX* thread_context() {
    thread_local std::unique_ptr<EVP_MD_CTX, context_deleter> context(EVP_MD_CTX_new());
    if (!context) throw std::runtime_error("EVP_MD_CTX_new failed");
    return context.get();
}

}  // namespace

sha256_digest sha256(std::string_view data) {
    sha256_digest out{};
    unsigned int len = 0;
    EVP_MD_CTX* context = thread_context();
    if (EVP_DigestInit_ex(context, sha256_method(), nullptr) != 1 ||
        EVP_DigestUpdate(context, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context, out.data(), &len) != 1 || len != out.size())
        throw std::runtime_error("SHA-256 failed");
    return out;
}

std::string to_hex(const sha256_digest& digest) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (auto b : digest) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

std::optional<sha256_digest> digest_from_hex(std::string_view hex) {
    sha256_digest out{};
    if (hex.size() != out.size() * 2) return std::nullopt;
    for (std::size_t i = 0; i < out.size(); ++i) {
        int hi = common::hex_digit_value(hex[2 * i]);
        int lo = common::hex_digit_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return out;
}

bool digest_equal(const sha256_digest& a, const sha256_digest& b) noexcept {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace dirsync::common
