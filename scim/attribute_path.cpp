#include "scim/attribute_path.hpp"

#include "common/ascii.hpp"
#include "resource/schema.hpp"

namespace dirsync::scim {

namespace {

bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

std::string attribute_path::to_string() const {
    std::string out;
    out.reserve(schema_urn.size() + attribute.size() + sub_attribute.size() + 2);
    if (!schema_urn.empty()) {
        out += schema_urn;
        out += ':';
    }
    out += attribute;
    if (!sub_attribute.empty()) {
        out += '.';
        out += sub_attribute;
    }
    return out;
}

bool is_attribute_name(std::string_view name) noexcept {
    return common::iequals_ascii(name, "$ref") || resource::is_attribute_name(name);
}

boost::system::result<attribute_path, filter_error> parse_attribute_path(std::string_view text,
                                                                         std::size_t base_offset) {
    const auto fail = [base_offset](std::size_t at, const std::string& what) {
        return filter_error{base_offset + at, what + " at position " + std::to_string(base_offset + at)};
    };
    if (text.empty()) return fail(0, "empty attribute path");
    attribute_path out;
    std::size_t name_start = 0;
    if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
        const std::string_view urn = text.substr(0, colon);
        if (urn.size() < 5 || !common::iequals_ascii(urn.substr(0, 4), "urn:"))
            return fail(0, "schema prefix " + in_quotes(urn) + " of attribute path " + in_quotes(text) +
                               " is not a URN");
        for (std::size_t i = 0; i < urn.size(); ++i) {
            const char c = urn[i];
            if (!is_alpha(c) && !is_digit(c) && c != ':' && c != '.' && c != '-' && c != '_')
                return fail(i, "invalid character in schema URN " + in_quotes(urn));
            if (c == ':' && i + 1 < urn.size() && urn[i + 1] == ':')
                return fail(i, "empty segment in schema URN " + in_quotes(urn));
        }
        out.schema_urn = std::string(urn);
        name_start = colon + 1;
        if (name_start == text.size()) return fail(name_start, "missing attribute name after schema URN");
    }
    const std::string_view rest = text.substr(name_start);
    const auto dot = rest.find('.');
    const std::string_view name = rest.substr(0, dot);
    if (!is_attribute_name(name)) return fail(name_start, "invalid attribute name " + in_quotes(name));
    out.attribute = std::string(name);
    if (dot != std::string_view::npos) {
        const std::size_t sub_start = name_start + dot + 1;
        const std::string_view sub = rest.substr(dot + 1);
        if (const auto second = sub.find('.'); second != std::string_view::npos)
            return fail(sub_start + second,
                        "attribute path " + in_quotes(text) + " has more than one sub-attribute level");
        if (!is_attribute_name(sub)) return fail(sub_start, "invalid sub-attribute name " + in_quotes(sub));
        out.sub_attribute = std::string(sub);
    }
    return out;
}

}  // namespace dirsync::scim
