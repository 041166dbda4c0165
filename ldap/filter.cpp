#include "ldap/filter.hpp"

#include "common/ascii.hpp"
#include "ldap/attribute_description.hpp"

namespace dirsync::ldap {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string shown(char c) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
    return std::string("'") + c + "'";
}

class parser {
  public:
    explicit parser(std::string_view text) : text_(text) {}

    boost::system::result<filter, syntax_error> parse_all() {
        skip_spaces();
        if (at_end()) return fail(pos_, "the filter is empty");
        if (peek() != '(') return fail(pos_, "a filter must be in parentheses, e.g. (objectClass=person)");
        auto filter = parse_filter(0);
        if (!filter) return filter;
        skip_spaces();
        if (!at_end()) return fail(pos_, "unexpected " + shown(peek()) + " after the end of the filter");
        return filter;
    }

  private:
    using result = boost::system::result<filter, syntax_error>;

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    void skip_spaces() {
        while (!at_end() && is_space(peek())) ++pos_;
    }
    static syntax_error fail(std::size_t at, std::string message) {
        return syntax_error(at, std::move(message));
    }

    // filter = "(" filtercomp ")"; the caller saw the "(".
    result parse_filter(std::size_t depth) {
        std::size_t open = pos_;
        if (depth >= max_filter_depth)
            return fail(open, "the filter nests deeper than " + std::to_string(max_filter_depth) + " levels");
        ++pos_;  // "("
        if (at_end()) return fail(pos_, "the filter ends after '('");
        filter out;
        out.position = open;
        char c = peek();
        if (c == '&' || c == '|') {
            out.type = c == '&' ? filter::kind::and_ : filter::kind::or_;
            ++pos_;
            skip_spaces();
            while (!at_end() && peek() == '(') {
                auto child = parse_filter(depth + 1);
                if (!child) return child;
                out.children.push_back(std::move(*child));
                skip_spaces();
            }
            if (out.children.empty())
                return fail(pos_, std::string("expected at least one (filter) after '") + c + "'");
        } else if (c == '!') {
            out.type = filter::kind::not_;
            ++pos_;
            skip_spaces();
            if (at_end() || peek() != '(') return fail(pos_, "expected one (filter) after '!'");
            auto child = parse_filter(depth + 1);
            if (!child) return child;
            out.children.push_back(std::move(*child));
            skip_spaces();
        } else {
            if (auto item = parse_item(out); !item) return item.error();
        }
        if (at_end()) return fail(pos_, "missing ')' to close the '(' at position " + std::to_string(open));
        if (peek() != ')') return fail(pos_, "expected ')' but found " + shown(peek()));
        ++pos_;
        return out;
    }

    // descr / numericoid, then options when `options` is set (ldap::scan_attribute_description). Returns the
    // text, or empty when there is none at the current position.
    boost::system::result<std::string, syntax_error> parse_description(bool options, std::string_view what) {
        const std::size_t start = pos_;
        auto length = ldap::scan_attribute_description(text_.substr(start), options, what);
        if (!length) return fail(start + length.error().position, length.error().message);
        pos_ += *length;
        return std::string(text_.substr(start, *length));
    }

    // item = simple / present / substring / extensible; fills `out` except the position.
    boost::system::result<void, syntax_error> parse_item(filter& out) {
        std::size_t start = pos_;
        auto attribute = parse_description(true, "attribute description");
        if (!attribute) return attribute.error();
        out.attribute = std::move(*attribute);
        if (at_end()) return fail(pos_, "the filter ends inside a comparison");
        if (peek() == ':') return parse_extensible(out);
        if (out.attribute.empty()) {
            if (peek() == ')' || peek() == '=')
                return fail(start, "expected an attribute name before the comparison");
            return fail(start, "expected an attribute name, '&', '|' or '!' but found " + shown(peek()));
        }
        char c = peek();
        if (c == '=') {
            ++pos_;
            return parse_equality_or_substring(out);
        }
        if ((c == '>' || c == '<' || c == '~') && pos_ + 1 < text_.size() && text_[pos_ + 1] == '=') {
            out.type = c == '>'   ? filter::kind::greater_or_equal
                       : c == '<' ? filter::kind::less_or_equal
                                  : filter::kind::approx;
            pos_ += 2;
            auto value = parse_value(false);
            if (!value) return value.error();
            out.value = std::move(*value);
            return {};
        }
        return fail(pos_, "expected '=', '>=', '<=', '~=' or ':=' after the attribute '" + out.attribute +
                              "' but found " + shown(c));
    }

    boost::system::result<void, syntax_error> parse_extensible(filter& out) {
        out.type = filter::kind::extensible;
        // [":dn"] [":" rule] ":="
        if (text_.substr(pos_, 3) == ":dn" || text_.substr(pos_, 3) == ":DN") {
            if (pos_ + 3 < text_.size() && (text_[pos_ + 3] == ':')) {
                out.dn_attributes = true;
                pos_ += 3;
            }
        }
        if (text_.substr(pos_, 2) != ":=") {
            ++pos_;  // ":"
            std::size_t rule_at = pos_;
            auto rule = parse_description(false, "matching rule");
            if (!rule) return rule.error();
            if (rule->empty()) return fail(rule_at, "expected a matching rule name or OID after ':'");
            out.matching_rule = std::move(*rule);
            if (text_.substr(pos_, 2) != ":=")
                return fail(pos_, "expected ':=' after the matching rule '" + out.matching_rule + "'");
        }
        if (out.attribute.empty() && out.matching_rule.empty())
            return fail(pos_, "an extensible match without an attribute needs a matching rule");
        pos_ += 2;
        auto value = parse_value(false);
        if (!value) return value.error();
        out.value = std::move(*value);
        return {};
    }

    boost::system::result<void, syntax_error> parse_equality_or_substring(filter& out) {
        // Split at unescaped '*': one part = equality, "*" alone = presence, more = substring.
        std::vector<std::string> parts;
        for (;;) {
            auto part = parse_value(true);
            if (!part) return part.error();
            parts.push_back(std::move(*part));
            if (at_end() || peek() != '*') break;
            ++pos_;
        }
        if (parts.size() == 1) {
            out.type = filter::kind::equality;
            out.value = std::move(parts.front());
            return {};
        }
        if (parts.size() == 2 && parts[0].empty() && parts[1].empty()) {
            out.type = filter::kind::present;
            return {};
        }
        out.type = filter::kind::substring;
        if (!parts.front().empty()) out.initial = std::move(parts.front());
        if (!parts.back().empty()) out.final_part = std::move(parts.back());
        for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
            if (parts[i].empty()) return fail(pos_, "a substring filter cannot hold '**'");
            out.any.push_back(std::move(parts[i]));
        }
        return {};
    }

    // A run of value characters up to ')' (or '*' when `stop_at_star`), with \XX decoded.
    boost::system::result<std::string, syntax_error> parse_value(bool stop_at_star) {
        std::string out;
        while (!at_end()) {
            char c = peek();
            if (c == ')') break;
            if (c == '*') {
                if (stop_at_star) break;
                return fail(pos_, "'*' must be written \\2a in this value");
            }
            if (c == '(') return fail(pos_, "'(' must be written \\28 in a value");
            if (c == '\0') return fail(pos_, "a NUL byte must be written \\00 in a value");
            if (c == '\\') {
                int high = pos_ + 1 < text_.size() ? common::hex_digit_value(text_[pos_ + 1]) : -1;
                int low = pos_ + 2 < text_.size() ? common::hex_digit_value(text_[pos_ + 2]) : -1;
                if (high < 0 || low < 0)
                    return fail(pos_,
                                "'\\' must be followed by two hex digits (write '*' as \\2a, '(' as "
                                "\\28, ')' as \\29, '\\' as \\5c)");
                out += static_cast<char>(high * 16 + low);
                pos_ += 3;
                continue;
            }
            out += c;
            ++pos_;
        }
        if (at_end()) return fail(pos_, "the filter ends inside a value: missing ')'");
        return out;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

boost::system::result<filter, syntax_error> parse_filter(std::string_view text) {
    return parser(text).parse_all();
}

}  // namespace dirsync::ldap
