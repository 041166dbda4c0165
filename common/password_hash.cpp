#include "common/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/base64.hpp"

namespace dirsync::common {

namespace {

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t key_bytes = 32;
constexpr std::uint64_t max_memory = 256ull * 1024 * 1024;  // what verify_password is willing to spend

std::string_view as_chars(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

bool cost_acceptable(const scrypt_cost& c) {
    if (c.log2_n < 1 || c.log2_n > 24 || c.r < 1 || c.r > 64 || c.p < 1 || c.p > 16) return false;
    return 128ull * c.r * ((1ull << c.log2_n) + 2) + 128ull * c.r * c.p <= max_memory;
}

std::array<std::uint8_t, key_bytes> derive(std::string_view password, const std::uint8_t* salt,
                                           std::size_t salt_size, const scrypt_cost& c, std::size_t size) {
    std::array<std::uint8_t, key_bytes> key{};
    if (EVP_PBE_scrypt(password.data(), password.size(), salt, salt_size, std::uint64_t{1} << c.log2_n, c.r,
                       c.p, max_memory + 1024 * 1024, key.data(), size) != 1)
        throw std::runtime_error("EVP_PBE_scrypt failed");
    return key;
}

/// `name=<decimal>` at the front of `text`, consuming it and a following ','.
std::optional<unsigned> parameter(std::string_view& text, std::string_view name) {
    if (text.substr(0, name.size() + 1) != std::string(name) + "=") return std::nullopt;
    text.remove_prefix(name.size() + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (!text.empty() && text.front() == ',') text.remove_prefix(1);
    return value;
}

}  // namespace

std::string hash_password(std::string_view password, const scrypt_cost& cost) {
    if (!cost_acceptable(cost)) throw std::invalid_argument("scrypt cost out of range");
    std::array<std::uint8_t, salt_bytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        throw std::runtime_error("RAND_bytes failed");
    const auto key = derive(password, salt.data(), salt.size(), cost, key_bytes);
    std::string out = "$scrypt$ln=" + std::to_string(cost.log2_n) + ",r=" + std::to_string(cost.r) +
                      ",p=" + std::to_string(cost.p) + "$";
    out += encode_base64(as_chars(salt.data(), salt.size()), base64_padding::none);
    out += '$';
    out += encode_base64(as_chars(key.data(), key.size()), base64_padding::none);
    return out;
}

bool verify_password(std::string_view password, std::string_view phc) {
    constexpr std::string_view prefix = "$scrypt$";
    if (phc.substr(0, prefix.size()) != prefix) return false;
    std::string_view rest = phc.substr(prefix.size());
    const auto params_end = rest.find('$');
    if (params_end == std::string_view::npos) return false;
    std::string_view params = rest.substr(0, params_end);
    scrypt_cost cost;
    auto ln = parameter(params, "ln");
    auto r = parameter(params, "r");
    auto p = parameter(params, "p");
    if (!ln || !r || !p || !params.empty()) return false;
    cost = {*ln, *r, *p};
    if (!cost_acceptable(cost)) return false;
    rest.remove_prefix(params_end + 1);
    const auto salt_end = rest.find('$');
    if (salt_end == std::string_view::npos) return false;
    auto salt = decode_base64(rest.substr(0, salt_end), base64_padding::none);
    auto expected = decode_base64(rest.substr(salt_end + 1), base64_padding::none);
    if (!salt || !expected || salt->size() < 4 || salt->size() > 64 || expected->size() < 16 ||
        expected->size() > key_bytes)
        return false;
    const auto key = derive(password, reinterpret_cast<const std::uint8_t*>(salt->data()), salt->size(), cost,
                            expected->size());
    return CRYPTO_memcmp(key.data(), expected->data(), expected->size()) == 0;
}

}  // namespace dirsync::common
