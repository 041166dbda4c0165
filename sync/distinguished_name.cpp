#include "sync/distinguished_name.hpp"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "common/ascii.hpp"
#include "common/casefold.hpp"

namespace dirsync::sync {

namespace {

struct ava {
    std::string type;
    std::string value;  // decoded
};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// Parses `dn` into RDNs of AVAs; nullopt when it is not a DN. Spaces around separators are allowed, escaped
// spaces are kept.
std::optional<std::vector<std::vector<ava>>> parse(std::string_view dn) {
    std::vector<std::vector<ava>> rdns;
    if (trim_spaces(dn).empty()) return rdns;
    std::vector<ava> current;
    std::size_t i = 0;
    for (;;) {
        auto eq = dn.find('=', i);
        if (eq == std::string_view::npos) return std::nullopt;
        auto type = trim_spaces(dn.substr(i, eq - i));
        if (type.empty() || type.find_first_of(",+\\") != std::string_view::npos) return std::nullopt;
        i = eq + 1;
        while (i < dn.size() && dn[i] == ' ') ++i;
        std::string value;
        std::size_t kept = 0;  // length of `value` up to its last escaped or non-space character
        if (i < dn.size() && dn[i] == '#') {
            // #hex: the BER encoding; compared as written (lowercased).
            std::size_t start = i;
            while (i < dn.size() && dn[i] != ',' && dn[i] != '+' && dn[i] != ';') ++i;
            value = common::to_lower_ascii(trim_spaces(dn.substr(start, i - start)));
            kept = value.size();
        } else {
            while (i < dn.size() && dn[i] != ',' && dn[i] != '+' && dn[i] != ';') {
                char c = dn[i];
                if (c == '\\') {
                    if (i + 1 >= dn.size()) return std::nullopt;
                    int high = hex_value(dn[i + 1]);
                    int low = i + 2 < dn.size() ? hex_value(dn[i + 2]) : -1;
                    if (high >= 0 && low >= 0) {
                        value += static_cast<char>(high * 16 + low);
                        i += 3;
                    } else {
                        value += dn[i + 1];
                        i += 2;
                    }
                    kept = value.size();
                    continue;
                }
                value += c;
                if (c != ' ') kept = value.size();
                ++i;
            }
            value.resize(kept);  // unescaped trailing spaces are not part of the value
        }
        current.push_back(ava{common::to_lower_ascii(type), std::move(value)});
        if (i >= dn.size()) break;
        char separator = dn[i++];
        if (separator != '+') {
            rdns.push_back(std::move(current));
            current.clear();
        }
        if (i >= dn.size()) return std::nullopt;  // a trailing separator
    }
    rdns.push_back(std::move(current));
    return rdns;
}

// RFC 4514 §2.4 minimal escaping.
std::string escape_value(std::string_view value) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        bool special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\' ||
                       c == '=' || (i == 0 && (c == ' ' || c == '#')) || (i + 1 == value.size() && c == ' ');
        if (c == '\0') {
            out += "\\00";
            continue;
        }
        if (special) out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string normalize_dn(std::string_view dn) {
    auto rdns = parse(dn);
    if (!rdns) return common::to_lower_ascii(trim_spaces(dn));
    std::string out;
    for (auto& rdn : *rdns) {
        for (auto& a : rdn) a.value = common::fold_case(a.value);
        std::sort(rdn.begin(), rdn.end(), [](const ava& x, const ava& y) {
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
    auto rdns = parse(dn);
    if (!rdns || rdns->empty() || rdns->front().empty()) return std::nullopt;
    return std::move(rdns->front().front().value);
}

}  // namespace dirsync::sync
