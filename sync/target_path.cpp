#include "sync/target_path.hpp"

#include <algorithm>

#include "common/ascii.hpp"

namespace dirsync::sync {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_char(char c) {
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '$';
}

// Optimal string alignment distance, ASCII case-insensitive: a swap of two neighbours ("titel") costs 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    using common::ascii_lower;
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
                ascii_lower(a[i - 2]) == ascii_lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

// "; did you mean 'x'?" for the closest name within a small distance, or "".
std::string suggestion(std::string_view wrong, const std::vector<std::string_view>& names) {
    std::string_view best;
    std::size_t best_distance = std::max<std::size_t>(1, wrong.size() / 4) + 1;
    for (auto name : names) {
        auto d = edit_distance(wrong, name);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best.empty() ? std::string() : "; did you mean '" + std::string(best) + "'?";
}

// Where an attribute was looked for: the schema the path named, or the core schema and its extensions.
std::string schema_label(const resource::resource_schema& schema, const resource::schema* s) {
    if (s == nullptr)
        return "the core " + schema.core().name + " schema" +
               (schema.extensions().empty() ? "" : " or its extensions");
    return schema.is_core(s) ? "the core " + s->name + " schema" : "the schema " + s->id;
}

class target_parser {
  public:
    target_parser(std::string_view text, const resource::resource_schema& schema, target_kind kind)
        : text_(text), schema_(schema), kind_(kind) {}

    boost::system::result<target_path, mapping_error> parse() {
        if (text_.empty()) return mapping_error(0, "the target path is empty");
        // The part before any selector holds the URN: everything before its last ':'.
        auto bracket = text_.find('[');
        auto head = text_.substr(0, bracket);
        std::size_t attribute_at = 0;
        const resource::schema* named_schema = nullptr;
        std::string urn;
        if (head.size() > 4 && common::iequals_ascii(head.substr(0, 4), "urn:")) {
            auto colon = head.rfind(':');
            urn = std::string(head.substr(0, colon));
            named_schema = schema_.find_schema(urn);
            if (named_schema == nullptr) {
                std::string known;
                for (const auto* s : all_schemas()) known += (known.empty() ? "" : ", ") + s->id;
                return mapping_error(0, "unknown schema '" + urn + "' (known: " + known + ")");
            }
            attribute_at = colon + 1;
        }
        // attribute [ "." sub ] up to the selector or the end.
        pos_ = attribute_at;
        auto attribute = name();
        if (attribute.empty()) return mapping_error(pos_, expected_name("an attribute name"));
        std::string_view sub;
        std::size_t sub_at = 0;
        std::string selector_attribute;
        std::string selector_value;
        std::size_t selector_at = 0;
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            sub_at = pos_;
            sub = name();
            if (sub.empty()) return mapping_error(pos_, expected_name("a sub-attribute name after '.'"));
        } else if (pos_ < text_.size() && text_[pos_] == '[') {
            selector_at = pos_;
            ++pos_;
            skip_spaces();
            std::size_t selector_name_at = pos_;
            selector_attribute = std::string(name());
            if (selector_attribute.empty())
                return mapping_error(pos_, expected_name("a sub-attribute name after '['"));
            if (!skip_spaces())
                return mapping_error(pos_, "expected ' eq ' after '" + selector_attribute + "'");
            std::size_t op_at = pos_;
            auto op = name();
            if (!common::iequals_ascii(op, "eq"))
                return mapping_error(op_at,
                                     "a target selects an element with 'eq' only, e.g. emails[type eq "
                                     "\"work\"].value");
            skip_spaces();
            auto value = quoted();
            if (!value) return value.error();
            selector_value = std::move(*value);
            skip_spaces();
            if (pos_ >= text_.size() || text_[pos_] != ']')
                return mapping_error(pos_, "expected ']' after the selector value");
            ++pos_;
            if (pos_ >= text_.size() || text_[pos_] != '.')
                return mapping_error(pos_,
                                     "expected '.' and a sub-attribute after ']', e.g. emails[type eq "
                                     "\"work\"].value");
            ++pos_;
            sub_at = pos_;
            sub = name();
            if (sub.empty()) return mapping_error(pos_, expected_name("a sub-attribute name after '.'"));
            // The selector names a sub-attribute of the same attribute.
            auto selector = schema_.find(urn, attribute, selector_attribute);
            if (selector.top != nullptr && !selector) {
                return mapping_error(selector_name_at, "'" + selector.top->name + "' has no sub-attribute '" +
                                                           selector_attribute + "'" +
                                                           sub_suggestion(*selector.top, selector_attribute));
            }
            if (selector) selector_attribute = selector.leaf->name;
        }
        if (pos_ < text_.size())
            return mapping_error(pos_, std::string("unexpected '") + text_[pos_] + "' in the target path");

        // Resolve against the schema.
        auto top = schema_.find(urn, attribute);
        if (!top) {
            return mapping_error(attribute_at, "unknown attribute '" + std::string(attribute) + "' in " +
                                                   schema_label(schema_, named_schema) +
                                                   attribute_suggestion(named_schema, attribute));
        }
        const resource::attribute& a = *top.top;
        if (auto refused = refusal(a)) return mapping_error(attribute_at, *refused);
        target_path out;
        out.schema_urn = schema_.is_core(top.owner) ? std::string() : top.owner->id;
        out.attribute = a.name;
        const resource::attribute* leaf = &a;
        if (!sub.empty()) {
            if (a.type != resource::attribute_type::complex)
                return mapping_error(
                    sub_at - 1,
                    "'" + a.name + "' is not complex: it has no sub-attribute '" + std::string(sub) + "'");
            leaf = a.find_sub_attribute(sub);
            if (leaf == nullptr)
                return mapping_error(sub_at, "'" + a.name + "' has no sub-attribute '" + std::string(sub) +
                                                 "'" + sub_suggestion(a, sub));
            if (leaf->mutability == resource::mutability::read_only)
                return mapping_error(sub_at, "'" + a.name + "." + leaf->name + "' is read-only");
            out.sub_attribute = leaf->name;
        } else if (a.type == resource::attribute_type::complex) {
            std::string example = a.sub_attributes.empty() ? "value" : a.sub_attributes.front().name;
            return mapping_error(
                attribute_at,
                "'" + a.name + "' is complex: map one of its sub-attributes, e.g. " + a.name + "." + example);
        }
        if (!selector_attribute.empty()) {
            if (!a.multi_valued)
                return mapping_error(
                    selector_at,
                    "'" + a.name + "' is single-valued: it has no elements to select with [...]");
            if (common::iequals_ascii(selector_attribute, out.sub_attribute))
                return mapping_error(sub_at, "the selected sub-attribute '" + out.sub_attribute +
                                                 "' cannot also be the one mapped");
            out.selector_attribute = std::move(selector_attribute);
            out.selector_value = std::move(selector_value);
        }
        out.multiple = a.multi_valued && out.selector_attribute.empty();
        out.type = leaf->type;
        return out;
    }

  private:
    std::string_view name() {
        std::size_t start = pos_;
        while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    bool skip_spaces() {
        std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
        return pos_ > start;
    }

    std::string expected_name(std::string_view what) const {
        if (pos_ >= text_.size()) return "expected " + std::string(what) + " at the end of the target path";
        return "expected " + std::string(what) + " but found '" + text_[pos_] + "'";
    }

    boost::system::result<std::string, mapping_error> quoted() {
        if (pos_ >= text_.size() || text_[pos_] != '"')
            return mapping_error(pos_, "expected a quoted value after 'eq', e.g. \"work\"");
        std::size_t open = pos_++;
        std::string out;
        while (pos_ < text_.size() && text_[pos_] != '"') {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
            out += text_[pos_++];
        }
        if (pos_ >= text_.size()) return mapping_error(open, "unterminated string: a '\"' is missing");
        ++pos_;
        return out;
    }

    std::vector<const resource::schema*> all_schemas() const {
        std::vector<const resource::schema*> out{&schema_.core()};
        for (const auto& e : schema_.extensions()) out.push_back(&e);
        return out;
    }

    std::string attribute_suggestion(const resource::schema* in, std::string_view wrong) const {
        std::vector<std::string_view> names;
        for (const auto* s : all_schemas()) {
            if (in != nullptr && s != in) continue;
            for (const auto& a : s->attributes) names.push_back(a.name);
        }
        return suggestion(wrong, names);
    }

    static std::string sub_suggestion(const resource::attribute& a, std::string_view wrong) {
        std::vector<std::string_view> names;
        for (const auto& s : a.sub_attributes) names.push_back(s.name);
        return suggestion(wrong, names);
    }

    std::optional<std::string> refusal(const resource::attribute& a) const {
        if (kind_ == target_kind::user && common::iequals_ascii(a.name, "active"))
            return "'active' is not mapped: users.disabled_when decides whether a user is active";
        if (kind_ == target_kind::group && common::iequals_ascii(a.name, "members"))
            return "'members' is not mapped: group members come from groups.member_attribute";
        if (common::iequals_ascii(a.name, "password"))
            return "'password' is never mapped: dirsyncd does not take passwords from a source";
        if (common::iequals_ascii(a.name, "schemas")) return "'schemas' is not mapped: dirsyncd fills it in";
        if (a.mutability == resource::mutability::read_only) return "'" + a.name + "' is read-only";
        return std::nullopt;
    }

    std::string_view text_;
    const resource::resource_schema& schema_;
    target_kind kind_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string target_path::to_string() const {
    std::string out = schema_urn.empty() ? std::string() : schema_urn + ":";
    out += attribute;
    if (!selector_attribute.empty()) {
        out += "[" + selector_attribute + " eq \"";
        for (char c : selector_value) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += "\"]";
    }
    if (!sub_attribute.empty()) out += "." + sub_attribute;
    return out;
}

boost::system::result<target_path, mapping_error> parse_target(std::string_view text,
                                                               const resource::resource_schema& schema,
                                                               target_kind kind) {
    return target_parser(text, schema, kind).parse();
}

}  // namespace dirsync::sync
