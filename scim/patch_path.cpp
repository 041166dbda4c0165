#include "scim/patch_path.hpp"

#include <utility>
#include <variant>

#include "common/utf8.hpp"

namespace dirsync::scim {

namespace {

constexpr std::size_t max_quoted_length = 80;
constexpr std::size_t max_reason_length = 200;

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/// `text` cut (on a UTF-8 boundary) after `limit` bytes, "..." marking the cut.
std::string shortened(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    return std::string(common::utf8_prefix(text, limit)) + "...";
}

error invalid_path(std::string_view text, std::string_view why) {
    return error(
        400, "invalidPath",
        "invalid path '" + shortened(text, max_quoted_length) + "': " + shortened(why, max_reason_length));
}

}  // namespace

std::string patch_path::to_string() const {
    if (!value_filter) return attribute.to_string();
    std::string out;
    if (!attribute.schema_urn.empty()) {
        out += attribute.schema_urn;
        out += ':';
    }
    out += attribute.attribute;
    out += '[';
    out += scim::to_string(*value_filter);
    out += ']';
    if (!attribute.sub_attribute.empty()) {
        out += '.';
        out += attribute.sub_attribute;
    }
    return out;
}

std::size_t path_end(std::string_view text, std::string_view stops) noexcept {
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == '[') {
            ++depth;
        } else if (c == ']') {
            if (depth > 0) --depth;
        } else if (depth == 0 && stops.find(c) != std::string_view::npos) {
            return i;
        }
    }
    return text.size();
}

boost::system::result<patch_path, std::string> parse_path_syntax(std::string_view text,
                                                                 const filter_limits& limits) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    if (text.empty()) return std::string("the path is empty");

    if (text.find('[') == std::string_view::npos) {
        auto parsed = parse_attribute_path(text);
        if (!parsed) return parsed.error().message;
        return patch_path{std::move(*parsed), std::nullopt};
    }

    // A value path is a filter of its own (RFC 7644 figure 1 "valuePath", errata 7122 for ".subAttr"), so the
    // filter parser reads it; anything but one bare value path is rejected.
    if (!is_alpha(text.front())) return std::string("expected an attribute name at position 0");
    auto parsed = parse_filter(text, limits);
    if (!parsed) return parsed.error().message;
    const filter& f = *parsed;
    const auto* vp = std::get_if<value_path_node>(&f.node(f.root()));
    if (vp == nullptr || f.position(f.root()) != 0)
        return std::string("a path is an attribute or one value filter, not a filter expression");
    if (vp->tail)
        return "a path cannot compare '" + vp->sub_attribute +
               "' with a value; put the comparison inside the brackets";
    patch_path out;
    out.attribute = vp->path;
    out.attribute.sub_attribute = vp->sub_attribute;
    out.value_filter = f.subtree(vp->inner);
    return out;
}

boost::system::result<patch_path, error> parse_patch_path(std::string_view text,
                                                          const filter_limits& limits) {
    auto parsed = parse_path_syntax(text, limits);
    if (parsed) return std::move(*parsed);
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    if (text.empty()) return error(400, "invalidPath", parsed.error());
    return invalid_path(text, parsed.error());
}

}  // namespace dirsync::scim
