#include "ldap/distinguished_name.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "ldap/attribute_description.hpp"

namespace dirsync::ldap {

namespace {

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

bool is_separator(char c) { return c == ',' || c == '+' || c == ';'; }

syntax_error fail(std::size_t at, std::string message) { return {at, std::move(message)}; }

// RFC 4514 §2.4 minimal escaping.
std::string escape_value(std::string_view value) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '\0') {
            out += "\\00";
            continue;
        }
        const bool special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' ||
                             c == '\\' || c == '=' || (i == 0 && (c == ' ' || c == '#')) ||
                             (i + 1 == value.size() && c == ' ');
        if (special) out += '\\';
        out += c;
    }
    return out;
}

bool is_plain_value_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '@';
}

// Whether normalize_dn's general path gives `dn` in ASCII lower case: every RDN is one type=value (a single
// '=') of ASCII letters, digits and "-._@", with inner single spaces only between such characters, so that
// nothing is trimmed, unescaped, re-escaped, sorted or folded beyond A-Z. Whatever does not parse at all
// normalises to its lower case too. Most directory DNs are plain; the check is one pass without allocating.
bool is_plain_dn(std::string_view dn) {
    bool seen_equals = false;
    for (std::size_t i = 0; i < dn.size(); ++i) {
        const char c = dn[i];
        if (c == ',') {
            seen_equals = false;
        } else if (c == '=') {
            if (seen_equals) return false;
            seen_equals = true;
        } else if (c == ' ') {
            if (i == 0 || i + 1 == dn.size() || !is_plain_value_char(dn[i - 1]) ||
                !is_plain_value_char(dn[i + 1]))
                return false;
        } else if (!is_plain_value_char(c)) {
            return false;
        }
    }
    return true;
}

}  // namespace

boost::system::result<std::vector<dn_rdn>, syntax_error> parse_dn(std::string_view dn,
                                                                  dn_strictness strictness) {
    std::vector<dn_rdn> rdns;
    if (trim_spaces(dn).empty()) return rdns;
    dn_rdn current;
    std::size_t i = 0;
    for (;;) {
        std::size_t eq = i;
        while (eq < dn.size() && dn[eq] != '=' && dn[eq] != ',' && dn[eq] != '+') ++eq;
        if (eq >= dn.size() || dn[eq] != '=')
            return fail(i, "expected type=value in '" + std::string(trim_spaces(dn.substr(i, eq - i))) + "'");
        const auto type = trim_spaces(dn.substr(i, eq - i));
        if (!is_attribute_type(type)) return fail(i, "'" + std::string(type) + "' is not an attribute type");
        i = eq + 1;
        while (i < dn.size() && dn[i] == ' ') ++i;
        std::string value;
        if (i < dn.size() && dn[i] == '#') {
            const std::size_t start = i;
            while (i < dn.size() && !is_separator(dn[i])) ++i;
            value = common::to_lower_ascii(trim_spaces(dn.substr(start, i - start)));
        } else {
            std::size_t kept = 0;  // length of `value` up to its last escaped or non-space character
            while (i < dn.size() && !is_separator(dn[i])) {
                const char c = dn[i];
                if (c == '\\') {
                    if (i + 1 >= dn.size()) return fail(i, "the DN ends with '\\'");
                    const int high = common::hex_digit_value(dn[i + 1]);
                    if (high >= 0) {
                        const int low = i + 2 < dn.size() ? common::hex_digit_value(dn[i + 2]) : -1;
                        if (low < 0)
                            return fail(i, "'\\' must be followed by a special character or two hex digits");
                        value += static_cast<char>(high * 16 + low);
                        i += 3;
                    } else {
                        value += dn[i + 1];
                        i += 2;
                    }
                    kept = value.size();
                    continue;
                }
                if (strictness == dn_strictness::configured && (c == '=' || c == '"' || c == '<' || c == '>'))
                    return fail(i, std::string("'") + c + "' must be escaped with '\\' in a DN value");
                value += c;
                if (c != ' ') kept = value.size();
                ++i;
            }
            value.resize(kept);  // unescaped trailing spaces are not part of the value
        }
        current.push_back(dn_ava{common::to_lower_ascii(type), std::move(value)});
        if (i >= dn.size()) break;
        const char separator = dn[i++];
        if (separator != '+') {
            rdns.push_back(std::move(current));
            current.clear();
        }
        if (i >= dn.size()) return fail(i - 1, "the DN ends with a separator");
    }
    rdns.push_back(std::move(current));
    return rdns;
}

std::string normalize_dn(std::string_view dn) {
    if (is_plain_dn(dn)) return common::to_lower_ascii(dn);
    auto rdns = parse_dn(dn);
    if (!rdns) return common::to_lower_ascii(trim_spaces(dn));
    std::string out;
    for (auto& rdn : *rdns) {
        for (auto& a : rdn) a.value = common::fold_case(a.value);
        std::sort(rdn.begin(), rdn.end(), [](const dn_ava& x, const dn_ava& y) {
            return std::tie(x.type, x.value) < std::tie(y.type, y.value);
        });
        if (!out.empty()) out += ',';
        for (std::size_t i = 0; i < rdn.size(); ++i) {
            if (i > 0) out += '+';
            out += rdn[i].type;
            out += '=';
            out += escape_value(rdn[i].value);
        }
    }
    return out;
}

std::optional<std::string> first_rdn_value(std::string_view dn) {
    auto rdns = parse_dn(dn);
    if (!rdns || rdns->empty() || rdns->front().empty()) return std::nullopt;
    return std::move(rdns->front().front().value);
}

}  // namespace dirsync::ldap
