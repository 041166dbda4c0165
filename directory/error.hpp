#pragma once

#include <boost/assert/source_location.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace dirsync::directory {

enum class error_code {
    not_found,            ///< no such record in this tenant (also for records of other tenants)
    uniqueness,           ///< a unique attribute (userName) is taken in this tenant
    invalid_value,        ///< the record breaks a rule (missing userName, bad status transition, ...)
    precondition_failed,  ///< the caller's expected version is stale
    unknown_tenant,       ///< the tenant does not exist
    too_large,            ///< the record's stored form is larger than the directory stores (record_limits)
    conflict,             ///< the change is not allowed in the record's current state (a status move)
    forbidden,            ///< the tenant's policy does not let this writer do it (provisioning mode)
    gone,                 ///< what was asked for existed but no longer serves (an expired invitation)
    rate_limited,         ///< over a limit that frees up with time; `retry_after` says when
};

/// An expected failure of a directory operation. `message` is safe to show the client.
struct error {
    error() = default;
    error(error_code c, std::string m) : code(c), message(std::move(m)) {}
    error(error_code c, std::string r, std::string m)
        : code(c), reason(std::move(r)), message(std::move(m)) {}
    error_code code = error_code::invalid_value;
    /// Which rule refused, for machines ("last_admin", "unknown_role", "role_in_use", ...); empty when
    /// `code` says it all. Stable: clients branch on it.
    std::string reason;
    std::string message;
    /// For rate_limited: when the caller may try again.
    std::optional<std::chrono::seconds> retry_after{};
};

[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

}  // namespace dirsync::directory
