#pragma once

#include <boost/system/result.hpp>
#include <span>
#include <string>
#include <string_view>

#include "directory/error.hpp"
#include "directory/tenant_policy.hpp"

namespace dirsync::directory {

/// The well-known free-mail domains a business-only tenant refuses unless its configuration replaces the
/// list: the large international providers and the big national ones, lower case.
std::span<const std::string_view> builtin_consumer_domains() noexcept;

/// The domain part of an e-mail address, lower case (ASCII; domains are compared case-insensitively).
std::string mail_domain(std::string_view address);

/// Whether `address` may be invited or given to an admin-created user under `policy`: invalid_value with
/// reason "invalid_email" when it is not an address, "consumer_domain" when its domain (or a parent domain:
/// mail.yahoo.com under yahoo.com) is a consumer one and the policy is business-only.
boost::system::result<void, error> check_business_address(const email_policy& policy,
                                                          std::string_view address);

}  // namespace dirsync::directory
