#include "config/address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "common/ascii.hpp"

namespace dirsync::config {

namespace {

constexpr std::string_view accepted_forms =
    "expected host:port, e.g. 127.0.0.1:8080, localhost:8080 or [::1]:8080";

value_error fail(std::string_view text, std::string_view problem) {
    return value_error("'" + std::string(text) + "' " + std::string(problem) + "; " +
                       std::string(accepted_forms));
}

using common::is_alnum_ascii;
using common::is_digit_ascii;

bool is_ipv4_literal(const std::string& host) {
    in_addr addr{};
    return ::inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6_literal(const std::string& host) {
    in6_addr addr{};
    return ::inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// RFC 1123 host name: dot-separated labels of letters, digits and '-', 1..63 characters each, not starting or
// ending with '-'; at most 253 characters; a trailing dot is not accepted.
bool is_host_name(std::string_view host) {
    if (host.empty() || host.size() > 253) return false;
    std::size_t start = 0;
    while (start <= host.size()) {
        auto dot = host.find('.', start);
        auto label = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_alnum_ascii(c) && c != '-') return false;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return true;
}

bool all_digits_and_dots(std::string_view s) {
    for (char c : s)
        if (!is_digit_ascii(c) && c != '.') return false;
    return true;
}

}  // namespace

boost::system::result<listen_address, value_error> parse_listen_address(std::string_view text) {
    if (text.empty()) return fail(text, "is empty");

    std::string host;
    std::string_view rest;
    if (text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos) return fail(text, "is missing the ']' after the IPv6 address");
        host = std::string(text.substr(1, close - 1));
        if (!is_ipv6_literal(host)) return fail(text, "has an invalid IPv6 address '" + host + "'");
        rest = text.substr(close + 1);
        if (rest.empty()) return fail(text, "has no port");
        if (rest.front() != ':') return fail(text, "has unexpected text after ']'");
    } else {
        auto colon = text.find(':');
        if (colon == std::string_view::npos) return fail(text, "has no port");
        if (text.find(':', colon + 1) != std::string_view::npos)
            return fail(text, "looks like an IPv6 address without brackets");
        host = std::string(text.substr(0, colon));
        rest = text.substr(colon);
        if (host.empty()) return fail(text, "has no host (use 0.0.0.0 or [::] to listen on all interfaces)");
        if (all_digits_and_dots(host) ? !is_ipv4_literal(host) : !is_host_name(host))
            return fail(text, "has an invalid host '" + host + "'");
    }

    auto port_text = rest.substr(1);  // after ':'
    if (port_text.empty()) return fail(text, "has no port after ':'");
    for (char c : port_text)
        if (!is_digit_ascii(c)) return fail(text, "has an invalid port '" + std::string(port_text) + "'");
    unsigned long port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
        return fail(text, "has port " + std::string(port_text) + " out of range (0-65535)");

    // The server binds to a literal address and does not resolve names; only localhost is known.
    if (text.front() != '[' && !is_ipv4_literal(host) && host != "localhost")
        return fail(text, "names host '" + host +
                              "', but only an IP address or localhost can be listened on (use the address of "
                              "an interface, 0.0.0.0 or [::] for all)");

    listen_address out;
    out.host = std::move(host);
    out.port = static_cast<std::uint16_t>(port);
    return out;
}

boost::system::result<std::string, value_error> parse_public_base_url(std::string_view text) {
    const auto fail = [&](const std::string& why) {
        return value_error("'" + std::string(text) + "' " + why +
                           "; expected an absolute URL such as https://sync.example.com or "
                           "https://example.com/dirsync");
    };
    std::string_view rest = text;
    std::string scheme;
    for (std::string_view s : {"https://", "http://"})
        if (rest.size() >= s.size() && common::iequals_ascii(rest.substr(0, s.size()), s)) {
            scheme = common::to_lower_ascii(s);
            rest.remove_prefix(s.size());
        }
    if (scheme.empty()) return fail("is not an http:// or https:// URL");
    for (char c : rest)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '?' || c == '#' || c == '@' ||
            c == '\\')
            return fail("has a character a base URL cannot hold (space, '?', '#', '@' or '\\')");
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    if (authority.empty()) return fail("has no host");
    std::string_view host = authority;
    if (host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos) return fail("has an unclosed '[' in its host");
        const auto after = host.substr(close + 1);
        if (!after.empty() && after.front() != ':') return fail("has text after its IPv6 host");
        host = host.substr(0, close + 1);
        if (!after.empty()) {
            const auto port = after.substr(1);
            if (port.empty() || port.size() > 5 ||
                !std::all_of(port.begin(), port.end(), common::is_digit_ascii))
                return fail("has an invalid port");
        }
    } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
        const auto port = host.substr(colon + 1);
        host = host.substr(0, colon);
        if (port.empty() || port.size() > 5 ||
            !std::all_of(port.begin(), port.end(), common::is_digit_ascii) ||
            std::stoul(std::string(port)) > 65535)
            return fail("has an invalid port");
        if (host.empty()) return fail("has no host");
    }
    for (char c : host)
        if (!(common::is_alnum_ascii(c) || c == '-' || c == '.' || c == '[' || c == ']' || c == ':'))
            return fail("has an invalid host");
    std::string out = scheme + common::to_lower_ascii(authority) + std::string(path);
    while (out.size() > scheme.size() && out.back() == '/') out.pop_back();
    return {boost::system::in_place_value, std::move(out)};
}

}  // namespace dirsync::config
