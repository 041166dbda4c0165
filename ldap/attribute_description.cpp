#include "ldap/attribute_description.hpp"

#include "common/ascii.hpp"

namespace dirsync::ldap {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_keychar(char c) { return is_alpha(c) || is_digit(c) || c == '-'; }

syntax_error fail(std::size_t at, std::string message) { return {at, std::move(message)}; }

}  // namespace

boost::system::result<std::size_t, syntax_error> scan_attribute_description(std::string_view text,
                                                                            bool with_options,
                                                                            std::string_view what) {
    std::size_t pos = 0;
    auto at_end = [&] { return pos >= text.size(); };
    if (!at_end() && is_alpha(text[pos])) {
        while (!at_end() && is_keychar(text[pos])) ++pos;
    } else if (!at_end() && is_digit(text[pos])) {
        // numericoid = number 1*("." number); number = DIGIT / LDIGIT 1*DIGIT
        bool dotted = false;
        for (;;) {
            const std::size_t number = pos;
            while (!at_end() && is_digit(text[pos])) ++pos;
            if (pos == number) return fail(pos, "expected a digit in the numeric OID");
            if (pos - number > 1 && text[number] == '0')
                return fail(number, "a number in a numeric OID has no leading zero");
            if (at_end() || text[pos] != '.') break;
            ++pos;
            dotted = true;
        }
        if (!dotted) return fail(0, "a numeric OID needs at least two numbers separated by '.'");
    } else {
        return {boost::system::in_place_value, std::size_t{0}};
    }
    if (with_options) {
        while (!at_end() && text[pos] == ';') {
            const std::size_t option = ++pos;
            while (!at_end() && is_keychar(text[pos])) ++pos;
            if (pos == option) return fail(pos, "expected an option after ';' in the " + std::string(what));
        }
    }
    return {boost::system::in_place_value, pos};
}

bool is_attribute_description(std::string_view text) {
    auto n = scan_attribute_description(text, true, "attribute description");
    return n && *n != 0 && *n == text.size();
}

bool is_attribute_type(std::string_view text) {
    auto n = scan_attribute_description(text, false, "attribute type");
    return n && *n != 0 && *n == text.size();
}

std::string lowercase_attribute(std::string_view name) { return common::to_lower_ascii(name); }

}  // namespace dirsync::ldap
