#include "config/byte_size.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <string>

namespace dirsync::config {

namespace {

constexpr std::string_view accepted_forms =
    "a size is a positive whole number of bytes, optionally followed by KiB, MiB or GiB with no space "
    "(e.g. 1048576, 16KiB, 1MiB)";

struct unit {
    std::string_view suffix;
    std::size_t bytes;
};

constexpr std::array<unit, 4> units{{
    {"", 1},
    {"KiB", std::size_t{1} << 10},
    {"MiB", std::size_t{1} << 20},
    {"GiB", std::size_t{1} << 30},
}};

value_error fail(std::string_view text, std::string_view problem) {
    return value_error("'" + std::string(text) + "' " + std::string(problem) + "; " +
                       std::string(accepted_forms));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

boost::system::result<std::size_t, value_error> parse_byte_size(std::string_view text) {
    if (text.empty()) return fail(text, "is empty");
    if (text.front() == '-') return fail(text, "is negative");
    if (!is_digit(text.front())) return fail(text, "does not start with a number");

    std::size_t digits = 0;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    auto number = text.substr(0, digits);
    auto suffix = text.substr(digits);
    if (!suffix.empty() && (suffix.front() == ' ' || suffix.front() == '\t'))
        return fail(text, "has a space before the unit");
    if (!suffix.empty() && (suffix.front() == '.' || suffix.front() == ','))
        return fail(text, "is not a whole number");

    const unit* found = nullptr;
    for (const auto& u : units)
        if (u.suffix == suffix) found = &u;
    if (found == nullptr) return fail(text, "has an unknown unit '" + std::string(suffix) + "'");

    std::size_t value = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc{} || end != number.data() + number.size() ||
        value > std::numeric_limits<std::size_t>::max() / found->bytes)
        return fail(text, "is too large");
    if (value == 0) return fail(text, "is zero");
    return value * found->bytes;
}

}  // namespace dirsync::config
