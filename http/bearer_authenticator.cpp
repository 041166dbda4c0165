#include "http/bearer_authenticator.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>

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

std::string describe(const principal& who) {
    switch (who.kind) {
        case principal::role::scim_client:
            return "tenant '" + who.tenant + "'";
        case principal::role::tenant_admin:
            return "the admins of tenant '" + who.tenant + "'";
        default:
            return "an admin";
    }
}

}  // namespace

std::shared_ptr<const bearer_authenticator::credential_set> bearer_authenticator::prepare(
    credential_set credentials) {
    for (std::size_t i = 0; i < credentials.size(); ++i) {
        credentials[i].who.token_id = common::to_hex(credentials[i].digest).substr(0, 8);
        for (std::size_t j = i + 1; j < credentials.size(); ++j)
            if (common::digest_equal(credentials[i].digest, credentials[j].digest))
                throw std::invalid_argument("bearer token listed twice (" + describe(credentials[i].who) +
                                            " and " + describe(credentials[j].who) + ")");
    }
    return std::make_shared<const credential_set>(std::move(credentials));
}

bearer_authenticator::bearer_authenticator(std::vector<credential> credentials)
    : credentials_(prepare(std::move(credentials))) {}

void bearer_authenticator::replace(std::vector<credential> credentials) {
    credentials_.store(prepare(std::move(credentials)));
}

principal bearer_authenticator::authenticate(
    std::optional<std::string_view> authorization_header_value) const {
    if (!authorization_header_value) return {};
    const auto token = bearer_token(*authorization_header_value);
    if (!token) return {};
    const common::sha256_digest digest = common::sha256(*token);
    const auto held = credentials_.load();
    const credential_set& credentials = *held;
    // No early exit: every digest is compared so timing does not reveal which one matched.
    std::size_t match = credentials.size();
    for (std::size_t i = 0; i < credentials.size(); ++i) {
        const bool equal = common::digest_equal(digest, credentials[i].digest);
        match = equal ? i : match;
    }
    if (match == credentials.size()) return {};
    return credentials[match].who;
}

std::size_t bearer_authenticator::count(principal::role kind) const noexcept {
    std::size_t n = 0;
    for (const auto& c : *credentials_.load()) n += c.who.is(kind) ? 1 : 0;
    return n;
}

}  // namespace dirsync::http
