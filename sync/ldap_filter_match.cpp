#include "sync/ldap_filter_match.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "ldap/attribute_description.hpp"
#include "ldap/distinguished_name.hpp"

namespace dirsync::sync {

namespace {

constexpr std::string_view bit_and_rule = "1.2.840.113556.1.4.803";
constexpr std::string_view bit_or_rule = "1.2.840.113556.1.4.804";

// How values of an attribute compare.
enum class syntax { text, dn, binary };

syntax syntax_of(std::string_view lowered) {
    static constexpr std::string_view dn_attributes[] = {
        "member",        "uniquemember",  "memberof",     "manager",           "owner",
        "seealso",       "secretary",     "roleoccupant", "distinguishedname", "creatorsname",
        "modifiersname", "directreports", "managedby",    "entrydn",           "ismemberof"};
    static constexpr std::string_view binary_attributes[] = {
        "objectguid",           "objectsid",       "jpegphoto",     "photo",
        "thumbnailphoto",       "usercertificate", "cacertificate", "msexchmailboxguid",
        "usersmimecertificate", "userpkcs12"};
    if (lowered.find(";binary") != std::string_view::npos) return syntax::binary;
    auto base = lowered.substr(0, lowered.find(';'));
    for (auto name : binary_attributes)
        if (base == name) return syntax::binary;
    for (auto name : dn_attributes)
        if (base == name) return syntax::dn;
    return syntax::text;
}

std::string normalized(syntax s, std::string_view value) {
    switch (s) {
        case syntax::binary:
            return std::string(value);
        case syntax::dn:
            return ldap::normalize_dn(value);
        case syntax::text:
            break;
    }
    return common::fold_case(value);
}

std::optional<std::int64_t> as_integer(std::string_view text) {
    std::int64_t value = 0;
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::string without_spaces(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    return text;
}

struct filter_node {
    enum class op {
        and_,
        or_,
        not_,
        equal,
        exact_equal,
        substring,
        greater_or_equal,
        less_or_equal,
        approx,
        present,
        always,
        bit_and,
        bit_or
    };
    op kind = op::always;
    std::string attribute;  // lowercased
    syntax values = syntax::text;
    std::string value;                   // normalized assertion (equal, approx, ordering)
    std::optional<std::int64_t> number;  // ordering and bit rules
    std::optional<std::string> initial;
    std::vector<std::string> any;
    std::optional<std::string> final_part;
    std::vector<filter_node> children;

    bool matches(const source_record& e) const {
        switch (kind) {
            case op::and_:
                return std::all_of(children.begin(), children.end(),
                                   [&](const filter_node& n) { return n.matches(e); });
            case op::or_:
                return std::any_of(children.begin(), children.end(),
                                   [&](const filter_node& n) { return n.matches(e); });
            case op::not_:
                return !children.front().matches(e);
            case op::always:
                return true;
            default:
                break;
        }
        const auto* found = e.find(attribute);
        if (found == nullptr || found->empty()) return false;
        if (kind == op::present) return true;
        return std::any_of(found->begin(), found->end(), [&](const std::string& v) { return test(v); });
    }

    bool test(std::string_view raw) const {
        switch (kind) {
            case op::equal:
                return normalized(values, raw) == value;
            case op::exact_equal:
                return raw == value;
            case op::approx:
                return without_spaces(normalized(values, raw)) == value;
            case op::substring:
                return substring_matches(normalized(values, raw));
            case op::greater_or_equal:
            case op::less_or_equal: {
                int order = 0;
                auto n = as_integer(raw);
                if (number && n) {
                    order = *n < *number ? -1 : *n > *number ? 1 : 0;
                } else {
                    auto folded = normalized(values, raw);
                    order = folded.compare(value);
                }
                return kind == op::greater_or_equal ? order >= 0 : order <= 0;
            }
            case op::bit_and:
            case op::bit_or: {
                auto n = as_integer(raw);
                if (!n || !number) return false;
                auto bits = static_cast<std::uint64_t>(*n) & static_cast<std::uint64_t>(*number);
                return kind == op::bit_and ? bits == static_cast<std::uint64_t>(*number) : bits != 0;
            }
            default:
                return false;
        }
    }

    bool substring_matches(std::string_view v) const {
        std::size_t at = 0;
        if (initial) {
            if (v.substr(0, initial->size()) != *initial) return false;
            at = initial->size();
        }
        for (const auto& part : any) {
            auto found = v.find(part, at);
            if (found == std::string_view::npos) return false;
            at = found + part.size();
        }
        if (final_part) {
            if (v.size() < at + final_part->size()) return false;
            return v.substr(v.size() - final_part->size()) == *final_part;
        }
        return true;
    }
};

using compile_result = boost::system::result<void, ldap::syntax_error>;

compile_result build(const ldap::filter& f, filter_node& out, std::vector<std::string>& attributes) {
    using kind = ldap::filter::kind;
    using op = filter_node::op;
    switch (f.type) {
        case kind::and_:
        case kind::or_:
        case kind::not_:
            out.kind = f.type == kind::and_ ? op::and_ : f.type == kind::or_ ? op::or_ : op::not_;
            for (const auto& child : f.children) {
                filter_node n;
                if (auto r = build(child, n, attributes); !r) return r;
                out.children.push_back(std::move(n));
            }
            return {};
        default:
            break;
    }
    out.attribute = ldap::lowercase_attribute(f.attribute);
    out.values = syntax_of(out.attribute);
    bool object_class_presence = f.type == kind::present && out.attribute == "objectclass";
    if (!object_class_presence && !out.attribute.empty()) attributes.push_back(out.attribute);
    switch (f.type) {
        case kind::present:
            out.kind = object_class_presence ? op::always : op::present;
            return {};
        case kind::equality:
            out.kind = op::equal;
            out.value = normalized(out.values, f.value);
            return {};
        case kind::approx:
            out.kind = op::approx;
            out.value = without_spaces(normalized(out.values, f.value));
            return {};
        case kind::greater_or_equal:
        case kind::less_or_equal:
            out.kind = f.type == kind::greater_or_equal ? op::greater_or_equal : op::less_or_equal;
            out.value = normalized(out.values, f.value);
            out.number = as_integer(f.value);
            return {};
        case kind::substring: {
            out.kind = op::substring;
            auto fold = [&](const std::string& s) {
                return out.values == syntax::binary ? s : common::fold_case(s);
            };
            if (f.initial) out.initial = fold(*f.initial);
            for (const auto& a : f.any) out.any.push_back(fold(a));
            if (f.final_part) out.final_part = fold(*f.final_part);
            return {};
        }
        case kind::extensible: {
            if (f.dn_attributes)
                return ldap::syntax_error(f.position,
                                          "':dn' matches DN components, which only the server "
                                          "can evaluate; it cannot be used here");
            if (f.attribute.empty())
                return ldap::syntax_error(f.position, "an extensible match needs an attribute here");
            const auto& rule = f.matching_rule;
            if (rule.empty() || common::iequals_ascii(rule, "caseIgnoreMatch") || rule == "2.5.13.2") {
                out.kind = op::equal;
                out.value = normalized(out.values, f.value);
                return {};
            }
            if (common::iequals_ascii(rule, "caseExactMatch") || rule == "2.5.13.5") {
                out.kind = op::exact_equal;
                out.value = f.value;
                return {};
            }
            if (rule == bit_and_rule || rule == bit_or_rule) {
                out.kind = rule == bit_and_rule ? op::bit_and : op::bit_or;
                out.number = as_integer(f.value);
                if (!out.number)
                    return ldap::syntax_error(
                        f.position, "the bit matching rule needs an integer, got '" + f.value + "'");
                return {};
            }
            return ldap::syntax_error(
                f.position,
                "the matching rule '" + rule +
                    "' can only be evaluated by the server, not here (supported: caseIgnoreMatch, "
                    "caseExactMatch, " +
                    std::string(bit_and_rule) + " and " + std::string(bit_or_rule) + ")");
        }
        default:
            break;
    }
    return {};
}

}  // namespace

namespace detail {
struct entry_filter_state {
    std::string text;
    filter_node root;
    std::vector<std::string> attributes;
};
}  // namespace detail

boost::system::result<entry_filter, ldap::syntax_error> entry_filter::compile(std::string_view text) {
    auto parsed = ldap::parse_filter(text);
    if (!parsed) return parsed.error();
    auto s = std::make_shared<detail::entry_filter_state>();
    s->text = std::string(text);
    if (auto built = build(*parsed, s->root, s->attributes); !built) return built.error();
    std::sort(s->attributes.begin(), s->attributes.end());
    s->attributes.erase(std::unique(s->attributes.begin(), s->attributes.end()), s->attributes.end());
    return entry_filter(std::move(s));
}

bool entry_filter::matches(const source_record& e) const { return state_->root.matches(e); }

const std::vector<std::string>& entry_filter::attributes() const noexcept { return state_->attributes; }

const std::string& entry_filter::text() const noexcept { return state_->text; }

}  // namespace dirsync::sync
