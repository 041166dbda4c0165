#pragma once

#include <string>
#include <string_view>

namespace dirsync::ldap {

/// A credential held in memory (the bind password): no stream or string conversion, so it cannot reach a
/// log line by accident, and every buffer this object owned is overwritten with zeros when it is replaced,
/// moved from or destroyed; a moved-from secret is empty. Copies made by libldap while binding are outside
/// its control.
class secret {
  public:
    secret() = default;
    /// Takes `value` (pass it with std::move); copies the caller keeps are the caller's to wipe.
    explicit secret(std::string value) noexcept;
    secret(const secret& other) : value_(other.value_) {}
    secret(secret&& other) noexcept;
    secret& operator=(const secret& other);
    secret& operator=(secret&& other) noexcept;
    ~secret();

    /// The plain value, for handing to libldap only.
    std::string_view reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }

  private:
    std::string value_;
};

}  // namespace dirsync::ldap
