#include "ldap/secret.hpp"

namespace dirsync::ldap {
namespace {

/// Zeros the whole buffer (up to its capacity, so short-string remnants go too) in a way the optimiser keeps.
/// Never allocates: resizing within the capacity does not reallocate.
void wipe(std::string& s) noexcept {
    s.resize(s.capacity());
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
}

}  // namespace

secret::secret(std::string value) noexcept : value_(std::move(value)) { wipe(value); }

// A moved-from std::string keeps the characters of a short string in its local buffer: wipe it too.
secret::secret(secret&& other) noexcept : value_(std::move(other.value_)) { wipe(other.value_); }

secret& secret::operator=(const secret& other) {
    if (this != &other) {
        wipe(value_);
        value_.assign(other.value_);
    }
    return *this;
}

secret& secret::operator=(secret&& other) noexcept {
    if (this != &other) {
        wipe(value_);
        value_ = std::move(other.value_);
        wipe(other.value_);
    }
    return *this;
}

secret::~secret() { wipe(value_); }

}  // namespace dirsync::ldap
