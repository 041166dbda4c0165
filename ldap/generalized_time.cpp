#include "ldap/generalized_time.hpp"

#include <cstdint>
#include <cstdio>

namespace dirsync::ldap {
namespace {

/// `count` decimal digits at `text[pos]`, or nullopt.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<precise_directory_time> parse_generalized_time_ms(std::string_view text) {
    using namespace std::chrono;
    auto year = digits(text, 0, 4);
    auto month = digits(text, 4, 2);
    auto day = digits(text, 6, 2);
    auto hour = digits(text, 8, 2);
    if (!year || !month || !day || !hour) return std::nullopt;
    std::size_t pos = 10;
    int minute = 0;
    int second = 0;
    milliseconds last_unit = hours(1);  // what a fraction is a fraction of
    if (auto m = digits(text, pos, 2)) {
        minute = *m;
        pos += 2;
        last_unit = minutes(1);
        if (auto s = digits(text, pos, 2)) {
            second = *s;
            pos += 2;
            last_unit = seconds(1);
        }
    }
    milliseconds fraction{0};
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        const std::size_t start = pos;
        std::int64_t numerator = 0;
        std::int64_t denominator = 1;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
            if (pos - start < 9) {  // nine digits are finer than a millisecond of any unit
                numerator = numerator * 10 + (text[pos] - '0');
                denominator *= 10;
            }
        }
        if (pos == start) return std::nullopt;
        fraction = milliseconds(numerator * last_unit.count() / denominator);
    }
    int offset_minutes = 0;
    if (pos < text.size() && text[pos] == 'Z') {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '+' ? 1 : -1;
        auto oh = digits(text, pos + 1, 2);
        if (!oh || *oh > 23) return std::nullopt;
        pos += 3;
        int om = 0;
        if (auto m = digits(text, pos, 2)) {
            om = *m;
            pos += 2;
        }
        if (om > 59) return std::nullopt;
        offset_minutes = sign * (*oh * 60 + om);
    } else {
        return std::nullopt;  // local time without a zone: ambiguous, refused
    }
    if (pos != text.size()) return std::nullopt;
    if (*hour > 23 || minute > 59 || second > 60) return std::nullopt;
    const year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                              std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return std::nullopt;
    // A leap second counts as the last second of its minute.
    const auto t = sys_days(date) + hours(*hour) + minutes(minute) + seconds(second == 60 ? 59 : second);
    return precise_directory_time(t + fraction - minutes(offset_minutes));
}

std::optional<directory_time> parse_generalized_time(std::string_view text) {
    auto t = parse_generalized_time_ms(text);
    if (!t) return std::nullopt;
    return std::chrono::floor<std::chrono::seconds>(*t);
}

std::string format_generalized_time(directory_time t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day date(day);
    const hh_mm_ss time(t - day);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%02d%02d%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buffer;
}

}  // namespace dirsync::ldap
