#include "http/bearer_authenticator.hpp"

#include <cstddef>
#include <stdexcept>

#include "common/ascii.hpp"

namespace dirsync::http {

namespace {

/// The token of `Bearer <token>`, or nullopt if `value` is not of that form.
std::optional<std::string_view> bearer_token(std::string_view value) noexcept {
    const auto space = value.find(' ');
    if (space == std::string_view::npos || !common::iequals_ascii(value.substr(0, space), "bearer"))
        return std::nullopt;
    std::string_view token = value.substr(space);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (token.empty()) return std::nullopt;
    for (char c : token)
        if (c <= 0x20 || c >= 0x7F) return std::nullopt;  // a second token, a tab, or not ASCII
    return token;
}

}  // namespace

bearer_authenticator::bearer_authenticator(std::vector<credential> credentials)
    : credentials_(std::move(credentials)) {
    for (std::size_t i = 0; i < credentials_.size(); ++i)
        for (std::size_t j = i + 1; j < credentials_.size(); ++j)
            if (common::digest_equal(credentials_[i].second, credentials_[j].second))
                throw std::invalid_argument("bearer token listed twice (tenants '" + credentials_[i].first +
                                            "' and '" + credentials_[j].first + "')");
}

bearer_authenticator bearer_authenticator::from_tenants(const std::vector<config::tenant_settings>& tenants) {
    std::vector<credential> credentials;
    for (const auto& tenant : tenants)
        for (const auto& digest : tenant.scim_tokens) credentials.emplace_back(tenant.id, digest);
    return bearer_authenticator(std::move(credentials));
}

std::optional<std::string> bearer_authenticator::principal_for(
    std::string_view authorization_header_value) const {
    const auto token = bearer_token(authorization_header_value);
    if (!token) return std::nullopt;
    const common::sha256_digest digest = common::sha256(*token);
    // No early exit: every digest is compared so timing does not reveal which one matched.
    std::size_t match = credentials_.size();
    for (std::size_t i = 0; i < credentials_.size(); ++i) {
        const bool equal = common::digest_equal(digest, credentials_[i].second);
        match = equal ? i : match;
    }
    if (match == credentials_.size()) return std::nullopt;
    return credentials_[match].first;
}

}  // namespace dirsync::http
