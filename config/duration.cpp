#include "config/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

namespace dirsync::config {

namespace {

constexpr std::string_view accepted_forms =
    "a duration is a positive whole number followed by a unit, ms, s, m, h or d, with no space "
    "(e.g. 500ms, 10s, 15m, 1h, 7d)";

struct unit {
    std::string_view suffix;
    std::int64_t milliseconds;
};

constexpr std::array<unit, 5> units{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
    {"d", 24 * 60 * 60 * 1000},
}};

value_error fail(std::string_view text, std::string_view problem) {
    return value_error("'" + std::string(text) + "' " + std::string(problem) + "; " +
                       std::string(accepted_forms));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

boost::system::result<std::chrono::milliseconds, value_error> parse_duration(std::string_view text) {
    if (text.empty()) return fail(text, "is empty");
    if (text.front() == '-') return fail(text, "is negative");
    if (!is_digit(text.front())) return fail(text, "does not start with a number");

    std::size_t digits = 0;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    auto number = text.substr(0, digits);
    auto suffix = text.substr(digits);
    if (suffix.empty()) return fail(text, "has no unit");
    if (suffix.front() == ' ' || suffix.front() == '\t') return fail(text, "has a space before the unit");
    if (suffix.front() == '.' || suffix.front() == ',') return fail(text, "is not a whole number");

    const unit* found = nullptr;
    for (const auto& u : units)
        if (u.suffix == suffix) found = &u;
    if (found == nullptr) return fail(text, "has an unknown unit '" + std::string(suffix) + "'");

    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc{} || end != number.data() + number.size() ||
        value > std::numeric_limits<std::int64_t>::max() / found->milliseconds)
        return fail(text, "is too large");
    if (value == 0) return fail(text, "is zero");
    return std::chrono::milliseconds(value * found->milliseconds);
}

}  // namespace dirsync::config
