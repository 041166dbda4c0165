#include "common/json_input.hpp"

#include <unordered_set>
#include <utility>
#include <vector>

#include "common/ascii.hpp"
#include "common/utf8.hpp"

namespace dirsync::common {

namespace {

using json = nlohmann::json;

/// Longest attribute name quoted back in a message.
constexpr std::size_t max_quoted_name_bytes = 128;

std::string quoted_name(std::string_view name) {
    auto cut = utf8_prefix(name, max_quoted_name_bytes);
    return std::string(cut) + (cut.size() < name.size() ? "..." : "");
}

/// A SAX consumer that builds the document like nlohmann's own DOM parser, and refuses it as soon as a limit
/// is broken. Containers are tracked on an explicit stack, so no call depth grows with the input.
class limited_builder {
  public:
    explicit limited_builder(const json_input_limits& limits) : limits_(limits) {}

    bool null() { return put(json(nullptr)); }
    bool boolean(bool v) { return put(json(v)); }
    bool number_integer(json::number_integer_t v) { return put(json(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return put(json(v)); }
    bool number_float(json::number_float_t v, const json::string_t&) { return put(json(v)); }
    bool string(json::string_t& v) { return put(json(std::move(v))); }
    bool binary(json::binary_t&) { return fail(json_input_problem::syntax, "binary values are not JSON"); }

    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(json::string_t& name) {
        auto& level = levels_.back();
        if (!level.seen.insert(to_lower_ascii(name)).second) {
            auto where = path_to(name);
            error_ = {
                json_input_problem::duplicate_key,
                "the attribute \"" + where + "\" appears twice in one object (names are case-insensitive)",
                where, 0};
            return false;
        }
        level.key = std::move(name);
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
        // nlohmann reports a number it cannot hold as a double (1e999) as out_of_range 406.
        if (dynamic_cast<const nlohmann::detail::out_of_range*>(&e) != nullptr && e.id == 406) {
            std::string where = current_path();
            error_ = {json_input_problem::number_out_of_range,
                      where.empty()
                          ? "a number is out of range (it does not fit a double)"
                          : "the number in \"" + where + "\" is out of range (it does not fit a double)",
                      where, position};
            return false;
        }
        error_ = {json_input_problem::syntax,
                  "not valid JSON (at byte " + std::to_string(position) + ")",
                  {},
                  position};
        return false;
    }

    json take_result() { return std::move(root_); }
    json_input_error take_error() { return std::move(error_); }

  private:
    struct level {
        json* container;
        std::string key;                       // the name whose value comes next (objects only)
        std::unordered_set<std::string> seen;  // names so far, ASCII-lower-cased (objects only)
    };

    /// Places `value` in the open container, or as the root; returns where it now lives.
    json* place(json&& value) {
        if (levels_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        auto& top = levels_.back();
        if (top.container->is_array()) {
            top.container->push_back(std::move(value));
            return &top.container->back();
        }
        return &((*top.container)[top.key] = std::move(value));
    }

    bool put(json&& value) {
        place(std::move(value));
        return true;
    }

    bool open(json&& empty) {
        if (levels_.size() >= limits_.max_depth)
            return fail(json_input_problem::too_deep, "the JSON document is nested deeper than " +
                                                          std::to_string(limits_.max_depth) + " levels");
        json* container = place(std::move(empty));
        levels_.push_back({container, {}, {}});
        return true;
    }

    bool close() {
        levels_.pop_back();
        return true;
    }

    /// The dotted path to a value named `name` in the innermost open container: the current names of the
    /// enclosing objects, then `name` (empty when the container is an array).
    std::string path_to(std::string_view name) const {
        std::string out;
        auto append = [&](std::string_view part) {
            if (part.empty()) return;
            if (!out.empty()) out += '.';
            out += part;
        };
        for (std::size_t i = 0; i + 1 < levels_.size(); ++i)
            if (levels_[i].container->is_object()) append(levels_[i].key);
        append(name);
        return quoted_name(out);
    }

    /// The path of the value being parsed now.
    std::string current_path() const {
        if (levels_.empty()) return {};
        const auto& top = levels_.back();
        return path_to(top.container->is_object() ? std::string_view(top.key) : std::string_view());
    }

    bool fail(json_input_problem problem, std::string message) {
        error_ = {problem, std::move(message), current_path(), 0};
        return false;
    }

    const json_input_limits& limits_;
    json root_;
    std::vector<level> levels_;
    json_input_error error_;
};

}  // namespace

boost::system::result<json, json_input_error> parse_json_input(std::string_view text,
                                                               const json_input_limits& limits) {
    limited_builder builder(limits);
    const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
    if (!ok) return {boost::system::in_place_error, builder.take_error()};
    return {boost::system::in_place_value, builder.take_result()};
}

}  // namespace dirsync::common
