#include "ldap/range.hpp"

#include <charconv>
#include <vector>

#include "common/ascii.hpp"

namespace dirsync::ldap {
namespace {

constexpr std::string_view range_prefix = "range=";

std::optional<std::uint64_t> parse_number(std::string_view text) {
    std::uint64_t value = 0;
    if (text.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

/// The options of `description` after the attribute type, split at ';'.
std::vector<std::string_view> split_options(std::string_view description, std::string_view& type) {
    std::vector<std::string_view> options;
    auto semicolon = description.find(';');
    type = description.substr(0, semicolon);
    while (semicolon != std::string_view::npos) {
        description.remove_prefix(semicolon + 1);
        semicolon = description.find(';');
        options.push_back(description.substr(0, semicolon));
    }
    return options;
}

error protocol_error(std::string message) { return error(error_kind::protocol, 0, std::move(message)); }

}  // namespace

bool has_range_option(std::string_view description) {
    std::string_view type;
    for (auto option : split_options(description, type))
        if (common::istarts_with_ascii(option, range_prefix)) return true;
    return false;
}

std::optional<attribute_range> parse_range(std::string_view description) {
    std::string_view type;
    auto options = split_options(description, type);
    attribute_range range;
    range.attribute = lowercase_attribute(type);
    bool found = false;
    for (auto option : options) {
        if (!common::istarts_with_ascii(option, range_prefix)) {
            range.attribute += ';';
            range.attribute += lowercase_attribute(option);
            continue;
        }
        if (found) return std::nullopt;  // two range options
        found = true;
        option.remove_prefix(range_prefix.size());
        const auto dash = option.find('-');
        if (dash == std::string_view::npos) return std::nullopt;
        auto low = parse_number(option.substr(0, dash));
        if (!low) return std::nullopt;
        range.low = *low;
        const auto high_text = option.substr(dash + 1);
        if (high_text != "*") {
            auto high = parse_number(high_text);
            if (!high || *high < *low) return std::nullopt;
            range.high = *high;
        }
    }
    if (!found || type.empty()) return std::nullopt;
    return range;
}

bool needs_range_retrieval(const entry& e) {
    for (const auto& [description, values] : e.attributes) {
        if (!has_range_option(description)) continue;
        auto range = parse_range(description);
        if (!range || range->high) return true;  // malformed ones are reported by range_retrieval::start
    }
    return false;
}

boost::system::result<range_retrieval, error> range_retrieval::start(entry e) {
    range_retrieval r;
    r.entry_.dn = std::move(e.dn);
    std::vector<std::pair<attribute_range, std::vector<std::string>>> ranged;
    for (auto& [description, values] : e.attributes) {
        if (!has_range_option(description)) {
            // A plain description beside a ranged one of the same attribute (AD may send "member" empty) is
            // merged with it: plain values first, as the ranged ones are appended below.
            auto& target = r.entry_.attributes[description];
            target.insert(target.end(), std::make_move_iterator(values.begin()),
                          std::make_move_iterator(values.end()));
            continue;
        }
        auto range = parse_range(description);
        if (!range)
            return protocol_error("entry '" + r.entry_.dn + "': malformed range option in attribute '" +
                                  description + "'");
        if (range->low != 0)
            return protocol_error("entry '" + r.entry_.dn + "': ranged attribute '" + description +
                                  "' does not start at value 0");
        ranged.emplace_back(std::move(*range), std::move(values));
    }
    for (auto& [range, values] : ranged) {
        auto& target = r.entry_.attributes[range.attribute];
        target.insert(target.end(), std::make_move_iterator(values.begin()),
                      std::make_move_iterator(values.end()));
        if (range.high) r.pending_.push_back({range.attribute, *range.high + 1});
    }
    return r;
}

std::string range_retrieval::next_request() const {
    const auto& p = pending_.front();
    return p.attribute + ";range=" + std::to_string(p.next_low) + "-*";
}

boost::system::result<void, error> range_retrieval::add(const entry& response) {
    if (pending_.empty()) return protocol_error("range retrieval of '" + entry_.dn + "' is already complete");
    auto& p = pending_.front();
    const std::string requested = next_request();
    const std::vector<std::string>* values = nullptr;
    std::optional<attribute_range> range;
    for (const auto& [description, v] : response.attributes) {
        if (!has_range_option(description)) continue;
        auto parsed = parse_range(description);
        if (parsed && parsed->attribute == p.attribute) {
            range = std::move(parsed);
            values = &v;
            break;
        }
    }
    const std::string what = "range retrieval of '" + p.attribute + "' of '" + entry_.dn + "'";
    if (!range) {
        pending_.clear();
        return protocol_error(what + ": the server sent no ranged values for '" + requested + "'");
    }
    if (range->low != p.next_low) {
        const std::string message = what + ": asked for values from " + std::to_string(p.next_low) +
                                    " but got a range starting at " + std::to_string(range->low);
        pending_.clear();
        return protocol_error(message);
    }
    auto& target = entry_.attributes[p.attribute];
    target.insert(target.end(), values->begin(), values->end());
    if (range->high)
        p.next_low = *range->high + 1;
    else
        pending_.pop_front();
    return {};
}

}  // namespace dirsync::ldap
