#include "common/hmac.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <limits>
#include <stdexcept>

namespace dirsync::common {

sha256_digest hmac_sha256(std::string_view key, std::string_view data) {
    // OpenSSL refuses a null key pointer even with length 0; an empty view may carry one.
    static constexpr unsigned char empty = 0;
    const void* key_bytes = key.empty() ? &empty : static_cast<const void*>(key.data());
    const auto* data_bytes = data.empty() ? &empty : reinterpret_cast<const unsigned char*>(data.data());
    if (key.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw std::length_error("HMAC key too long");
    sha256_digest out{};
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()), data_bytes, data.size(), out.data(),
             &len) == nullptr ||
        len != out.size())
        throw std::runtime_error("HMAC(sha256) failed");
    return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    return to_hex(hmac_sha256(key, data));
}

}  // namespace dirsync::common
