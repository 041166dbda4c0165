// Recursive-descent parser for RFC 7644 §3.4.2.2 filters.
//
//   filter      = or-expr
//   or-expr     = and-expr *("or" and-expr)
//   and-expr    = unary *("and" unary)
//   unary       = "not" "(" or-expr ")" / "(" or-expr ")" / attr-expr / value-path
//   attr-expr   = attrPath "pr" / attrPath compareOp compValue
//   value-path  = attrPath "[" or-expr "]" ["." subAttr ["pr" / compareOp compValue]]   ; no nesting
//
// Recursion only happens through "(", "not (" and "[", each of which counts against the depth limit.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

#include "common/ascii.hpp"
#include "common/clock.hpp"
#include "common/utf8.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

namespace {

constexpr std::size_t hard_max_depth = 256;

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_word_char(char c) noexcept {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '$';
}

/// 's' for messages: shortened, control characters and malformed UTF-8 as \xNN, so messages stay valid UTF-8.
std::string in_quotes(std::string_view s) {
    constexpr std::size_t max_shown = 40;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "'";
    std::size_t i = 0;
    while (i < s.size() && i < max_shown) {
        const auto u = static_cast<unsigned char>(s[i]);
        std::size_t len = 1;
        if (u >= 0x80) len = common::utf8_sequence_length(s, i);
        if (u < 0x20 || u == 0x7F || len == 0) {
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xF];
            ++i;
        } else {
            out.append(s.substr(i, len));
            i += len;
        }
    }
    if (i < s.size()) out += "...";
    out += "'";
    return out;
}

std::optional<compare_op> operator_from(std::string_view w) noexcept {
    static constexpr std::pair<std::string_view, compare_op> ops[] = {
        {"eq", compare_op::eq}, {"ne", compare_op::ne}, {"co", compare_op::co},
        {"sw", compare_op::sw}, {"ew", compare_op::ew}, {"gt", compare_op::gt},
        {"ge", compare_op::ge}, {"lt", compare_op::lt}, {"le", compare_op::le}};
    for (const auto& [name, op] : ops)
        if (common::iequals_ascii(w, name)) return op;
    return std::nullopt;
}

bool is_operator_word(std::string_view w) noexcept {
    return operator_from(w) || common::iequals_ascii(w, "pr");
}

bool is_literal_word(std::string_view w) noexcept {
    return common::iequals_ascii(w, "true") || common::iequals_ascii(w, "false") ||
           common::iequals_ascii(w, "null");
}

enum class scope { top, value_filter };

class parser {
  public:
    parser(std::string_view text, const filter_limits& limits)
        : text_(text),
          max_length_(limits.max_length),
          max_depth_(std::min(limits.max_depth, hard_max_depth)) {}

    boost::system::result<filter, filter_error> run() {
        if (text_.size() > max_length_)
            return filter_error{max_length_, "filter is longer than the limit of " +
                                                 std::to_string(max_length_) + " bytes at position " +
                                                 std::to_string(max_length_)};
        skip_ws();
        if (at_end()) return filter_error{pos_, "empty filter at position " + std::to_string(pos_)};
        const auto root = parse_or(scope::top);
        if (!root) return error_;
        skip_ws();
        if (!at_end()) {
            if (peek() == ')')
                return filter_error{pos_, "unbalanced ')' at position " + std::to_string(pos_)};
            if (peek() == ']')
                return filter_error{pos_, "unbalanced ']' at position " + std::to_string(pos_)};
            fail(pos_, "expected 'and', 'or' or the end of the filter", true);
            return error_;
        }
        out_.set_root(*root);
        return std::move(out_);
    }

  private:
    // ---- lexical helpers ----

    bool at_end() const noexcept { return pos_ >= text_.size(); }
    char peek() const noexcept { return text_[pos_]; }
    void skip_ws() noexcept {
        while (!at_end() && is_space(peek())) ++pos_;
    }
    std::string_view peek_word() const noexcept {
        std::size_t end = pos_;
        while (end < text_.size() && is_word_char(text_[end])) ++end;
        return text_.substr(pos_, end - pos_);
    }

    /// How the token at pos_ reads in a message.
    std::string describe_here() const {
        if (at_end()) return "the end of the filter";
        if (peek() == '"') return "a string";
        if (const auto w = peek_word(); !w.empty()) return in_quotes(w);
        const std::size_t len =
            static_cast<unsigned char>(peek()) >= 0x80 ? common::utf8_sequence_length(text_, pos_) : 1;
        return in_quotes(text_.substr(pos_, std::max<std::size_t>(len, 1)));
    }

    /// Records the first error; `found` appends what stands at pos_.
    std::nullopt_t fail(std::size_t at, std::string what, bool found = false) {
        if (!failed_) {
            failed_ = true;
            std::string msg = std::move(what) + " at position " + std::to_string(at);
            if (found) msg += ", found " + describe_here();
            error_ = filter_error{at, std::move(msg)};
        }
        return std::nullopt;
    }

    std::nullopt_t fail(filter_error e) {
        if (!failed_) {
            failed_ = true;
            error_ = std::move(e);
        }
        return std::nullopt;
    }

    bool enter_group(std::size_t at) {
        if (depth_ + 1 > max_depth_) {
            fail(at, "filter is nested deeper than the limit of " + std::to_string(max_depth_) + " levels");
            return false;
        }
        ++depth_;
        return true;
    }

    // ---- grammar ----

    std::optional<node_index> parse_or(scope sc) {
        auto lhs = parse_and(sc);
        while (lhs) {
            const std::size_t save = pos_;
            skip_ws();
            const std::size_t op_at = pos_;
            if (!common::iequals_ascii(peek_word(), "or")) {
                pos_ = save;
                break;
            }
            pos_ += 2;
            const auto rhs = parse_and(sc);
            if (!rhs) return std::nullopt;
            lhs = out_.add(logical_node{logical_op::or_, *lhs, *rhs}, op_at);
        }
        return lhs;
    }

    std::optional<node_index> parse_and(scope sc) {
        auto lhs = parse_unary(sc);
        while (lhs) {
            const std::size_t save = pos_;
            skip_ws();
            const std::size_t op_at = pos_;
            if (!common::iequals_ascii(peek_word(), "and")) {
                pos_ = save;
                break;
            }
            pos_ += 3;
            const auto rhs = parse_unary(sc);
            if (!rhs) return std::nullopt;
            lhs = out_.add(logical_node{logical_op::and_, *lhs, *rhs}, op_at);
        }
        return lhs;
    }

    std::optional<node_index> parse_unary(scope sc) {
        skip_ws();
        const std::size_t start = pos_;
        if (at_end()) return fail(pos_, "expected an attribute path, 'not' or '('", true);
        const char c = peek();
        if (c == '(') return parse_group(sc, start, false);
        if (is_word_char(c)) {
            const std::string_view word = peek_word();
            pos_ += word.size();
            if (common::iequals_ascii(word, "not")) {
                const std::size_t after = pos_;
                skip_ws();
                if (!at_end() && peek() == '(') return parse_group(sc, start, true);
                // "not" followed by an operator is an attribute that happens to be called "not".
                if (!is_operator_word(peek_word())) return fail(pos_, "expected '(' after 'not'", true);
                pos_ = after;
            }
            return parse_attribute_expression(sc, start, word);
        }
        if (c == '"') return fail(pos_, "expected an attribute path before the string value");
        return fail(pos_, "expected an attribute path, 'not' or '('", true);
    }

    /// At '(' (after "not" when `negate`): the parenthesised expression.
    std::optional<node_index> parse_group(scope sc, std::size_t start, bool negate) {
        const std::size_t open = pos_;
        if (!enter_group(open)) return std::nullopt;
        ++pos_;
        skip_ws();
        if (!at_end() && peek() == ')') return fail(pos_, "empty parentheses");
        const auto inner = parse_or(sc);
        if (!inner) return std::nullopt;
        skip_ws();
        if (at_end() || peek() != ')')
            return fail(
                pos_, "expected 'and', 'or' or ')' (closing the '(' at offset " + std::to_string(open) + ")",
                true);
        ++pos_;
        --depth_;
        if (negate) return out_.add(negation_node{*inner}, start);
        return inner;
    }

    std::optional<node_index> parse_attribute_expression(scope sc, std::size_t start, std::string_view word) {
        auto path = parse_attribute_path(word, start);
        if (!path) return fail(path.error());
        skip_ws();
        if (!at_end() && peek() == '[') return parse_value_path(sc, start, std::move(*path), word);
        return parse_operator_and_value(std::move(*path), start, word);
    }

    std::optional<node_index> parse_value_path(scope sc, std::size_t start, attribute_path path,
                                               std::string_view word) {
        const std::size_t open = pos_;
        if (sc == scope::value_filter)
            return fail(
                open, "value paths cannot be nested: " + in_quotes(word) + " is inside another value filter");
        if (!path.sub_attribute.empty())
            return fail(open,
                        "a value filter '[' must follow a multi-valued attribute, not the sub-attribute " +
                            in_quotes(word));
        if (!enter_group(open)) return std::nullopt;
        ++pos_;
        skip_ws();
        if (!at_end() && peek() == ']') return fail(pos_, "empty value filter");
        const auto inner = parse_or(scope::value_filter);
        if (!inner) return std::nullopt;
        skip_ws();
        if (at_end() || peek() != ']')
            return fail(
                pos_, "expected 'and', 'or' or ']' (closing the '[' at offset " + std::to_string(open) + ")",
                true);
        ++pos_;
        --depth_;
        value_path_node vp{std::move(path), *inner, {}, std::nullopt};
        if (!at_end() && peek() == '.') {
            ++pos_;
            const std::size_t sub_at = pos_;
            const std::string_view sub = peek_word();
            if (sub.empty()) return fail(sub_at, "expected a sub-attribute name after '].'", true);
            if (!is_attribute_name(sub)) return fail(sub_at, "invalid sub-attribute name " + in_quotes(sub));
            pos_ += sub.size();
            vp.sub_attribute = std::string(sub);
            const std::size_t save = pos_;
            skip_ws();
            if (is_operator_word(peek_word())) {
                const auto tail =
                    parse_operator_and_value(attribute_path{{}, std::string(sub), {}}, sub_at, sub);
                if (!tail) return std::nullopt;
                vp.tail = *tail;
            } else {
                pos_ = save;
            }
        }
        return out_.add(std::move(vp), start);
    }

    /// After an attribute path (whitespace skipped): "pr" or an operator and its value.
    std::optional<node_index> parse_operator_and_value(attribute_path path, std::size_t start,
                                                       std::string_view word) {
        const std::size_t op_at = pos_;
        const std::string_view op_word = peek_word();
        if (op_word.empty())
            return fail(op_at, "expected a comparison operator after " + in_quotes(word), true);
        const auto op = operator_from(op_word);
        if (!op && !common::iequals_ascii(op_word, "pr"))
            return fail(op_at, "unknown operator " + in_quotes(op_word) +
                                   " (expected eq, ne, co, sw, ew, gt, ge, lt, le or pr)");
        pos_ += op_word.size();
        if (!op) {
            const std::size_t save = pos_;
            skip_ws();
            if (!at_end() &&
                (peek() == '"' || peek() == '-' || is_digit(peek()) || is_literal_word(peek_word())))
                return fail(pos_, "'pr' takes no value", true);
            pos_ = save;
            return out_.add(presence_node{std::move(path)}, start);
        }
        skip_ws();
        auto value = parse_value(op_word);
        if (!value) return std::nullopt;
        return out_.add(comparison_node{std::move(path), *op, std::move(*value)}, start);
    }

    /// The unquoted token at pos_: everything up to white space, a parenthesis, a bracket, a quote or the
    /// end.
    std::string_view peek_bare() const noexcept {
        std::size_t end = pos_;
        while (end < text_.size() && !is_space(text_[end]) && text_[end] != '(' && text_[end] != ')' &&
               text_[end] != '[' && text_[end] != ']' && text_[end] != '"')
            ++end;
        return text_.substr(pos_, end - pos_);
    }

    /// A comparison value sent without quotes, as Microsoft's reference SCIM clients do (`userName sw O`,
    /// `meta.created gt 2015-10-10T14:38:21.8617979-07:00`), taken as the string it spells: a token of
    /// letters, digits and ._-@:+' that starts with a letter, or a date-time. Anything else unquoted stays
    /// an error.
    std::optional<nlohmann::json> take_bare_string(std::string_view token) {
        if (token.empty() || !common::is_valid_utf8(token)) return std::nullopt;
        if (!is_alpha(token.front()) && !common::parse_rfc3339(token)) return std::nullopt;
        // Letters, digits and what names, e-mail addresses and date-times hold; not a wildcard (`J*` meant a
        // pattern SCIM does not have) or any other punctuation.
        for (char c : token)
            if (static_cast<unsigned char>(c) < 0x80 && !is_alpha(c) && !is_digit(c) &&
                std::string_view("._-@:+'").find(c) == std::string_view::npos)
                return std::nullopt;
        pos_ += token.size();
        return nlohmann::json(std::string(token));
    }

    std::optional<nlohmann::json> parse_value(std::string_view op_word) {
        if (at_end()) return fail(pos_, "missing value after " + in_quotes(op_word));
        const char c = peek();
        if (c == '"') return parse_string();
        if (c == '-' || is_digit(c)) {
            if (is_digit(c))
                if (auto date_time = take_bare_string(peek_bare())) return date_time;
            return parse_number();
        }
        if (c == ')' || c == ']') return fail(pos_, "missing value after " + in_quotes(op_word), true);
        if (c == '\'') return fail(pos_, "string values must be in double quotes");
        const std::string_view w = peek_word();
        if (!w.empty()) {
            if (common::iequals_ascii(w, "true") || common::iequals_ascii(w, "false") ||
                common::iequals_ascii(w, "null")) {
                pos_ += w.size();
                if (common::iequals_ascii(w, "null")) return nlohmann::json(nullptr);
                return nlohmann::json(common::iequals_ascii(w, "true"));
            }
            if (auto bare = take_bare_string(peek_bare())) return bare;
            return fail(pos_, "string values must be quoted: found " + in_quotes(w));
        }
        return fail(
            pos_,
            "expected a value (a quoted string, a number, true, false or null) after " + in_quotes(op_word),
            true);
    }

    std::optional<nlohmann::json> parse_string() {
        const std::size_t open = pos_;
        ++pos_;
        std::string s;
        while (true) {
            if (at_end()) return fail(open, "unterminated string");
            const auto c = static_cast<unsigned char>(peek());
            if (c == '"') {
                ++pos_;
                return nlohmann::json(std::move(s));
            }
            if (c == '\\') {
                const std::size_t esc = pos_;
                ++pos_;
                if (at_end()) return fail(open, "unterminated string");
                const char e = peek();
                ++pos_;
                switch (e) {
                    case '"':
                        s += '"';
                        break;
                    case '\\':
                        s += '\\';
                        break;
                    case '/':
                        s += '/';
                        break;
                    case 'b':
                        s += '\b';
                        break;
                    case 'f':
                        s += '\f';
                        break;
                    case 'n':
                        s += '\n';
                        break;
                    case 'r':
                        s += '\r';
                        break;
                    case 't':
                        s += '\t';
                        break;
                    case 'u': {
                        auto cp = hex4();
                        if (!cp) return fail(esc, "invalid \\u escape in string");
                        if (*cp >= 0xDC00 && *cp <= 0xDFFF)
                            return fail(esc, "unpaired low surrogate in string");
                        if (*cp >= 0xD800 && *cp <= 0xDBFF) {
                            if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u')
                                return fail(esc, "unpaired high surrogate in string");
                            pos_ += 2;
                            const auto low = hex4();
                            if (!low || *low < 0xDC00 || *low > 0xDFFF)
                                return fail(esc, "unpaired high surrogate in string");
                            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
                        }
                        common::append_utf8(*cp, s);
                        break;
                    }
                    default:
                        return fail(esc, "invalid escape " + in_quotes(text_.substr(esc, 2)) + " in string");
                }
                continue;
            }
            if (c < 0x20) return fail(pos_, "unescaped control character in string");
            if (c < 0x80) {
                s += static_cast<char>(c);
                ++pos_;
                continue;
            }
            const std::size_t len = common::utf8_sequence_length(text_, pos_);
            if (len == 0) return fail(pos_, "invalid UTF-8 in string");
            s.append(text_.substr(pos_, len));
            pos_ += len;
        }
    }

    /// Four hex digits at pos_ (advancing past them).
    std::optional<std::uint32_t> hex4() noexcept {
        if (pos_ + 4 > text_.size()) return std::nullopt;
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const char h = text_[pos_ + i];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= static_cast<std::uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= static_cast<std::uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= static_cast<std::uint32_t>(h - 'A' + 10);
            else
                return std::nullopt;
        }
        pos_ += 4;
        return v;
    }

    /// JSON number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    std::optional<nlohmann::json> parse_number() {
        const std::size_t start = pos_;
        std::size_t i = pos_;
        const auto digit_at = [this](std::size_t k) { return k < text_.size() && is_digit(text_[k]); };
        const auto invalid = [&]() {
            std::size_t end = start;
            while (end < text_.size() && (is_word_char(text_[end]) || text_[end] == '+')) ++end;
            return fail(start, "invalid number " +
                                   in_quotes(text_.substr(start, std::max(end - start, std::size_t{1}))));
        };
        if (text_[i] == '-') ++i;
        if (!digit_at(i)) return invalid();
        if (text_[i] == '0') {
            ++i;
        } else {
            while (digit_at(i)) ++i;
        }
        bool integral = true;
        if (i < text_.size() && text_[i] == '.') {
            integral = false;
            ++i;
            if (!digit_at(i)) return invalid();
            while (digit_at(i)) ++i;
        }
        if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
            integral = false;
            ++i;
            if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) ++i;
            if (!digit_at(i)) return invalid();
            while (digit_at(i)) ++i;
        }
        if (i < text_.size() && is_word_char(text_[i])) return invalid();
        const char* first = text_.data() + start;
        const char* last = text_.data() + i;
        pos_ = i;
        if (integral) {
            std::int64_t v = 0;
            if (auto r = std::from_chars(first, last, v); r.ec == std::errc{} && r.ptr == last)
                return nlohmann::json(v);
            if (*first != '-') {
                std::uint64_t u = 0;
                if (auto r = std::from_chars(first, last, u); r.ec == std::errc{} && r.ptr == last)
                    return nlohmann::json(u);
            }
        }
        double d = 0;
        if (auto r = std::from_chars(first, last, d); r.ec == std::errc{} && r.ptr == last)
            return nlohmann::json(d);
        return fail(start, "number " + in_quotes(text_.substr(start, i - start)) + " is out of range");
    }

    std::string_view text_;
    std::size_t max_length_;
    std::size_t max_depth_;
    std::size_t pos_ = 0;
    std::size_t depth_ = 0;
    filter out_;
    filter_error error_;
    bool failed_ = false;
};

}  // namespace

boost::system::result<filter, filter_error> parse_filter(std::string_view text, const filter_limits& limits) {
    return parser{text, limits}.run();
}

}  // namespace dirsync::scim
