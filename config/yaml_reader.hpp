#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/value_error.hpp"

namespace dirsync::config {

/// Collects the diagnostics of one configuration file so that every problem is reported in one pass.
class diagnostics_sink {
  public:
    /// `file` is the name printed in front of every diagnostic.
    explicit diagnostics_sink(std::string file);

    /// Records an error at a yaml-cpp mark (0-based; stored 1-based). A null mark records no position.
    void error(const YAML::Mark& at, std::string message);

    /// Records an error that has no position in the file.
    void error(std::string message);

    /// Records a diagnostic made elsewhere (a later check); its `file` is replaced by this sink's.
    void add(diagnostic found);

    const std::string& file() const noexcept { return file_; }
    bool empty() const noexcept { return diagnostics_.empty(); }
    std::size_t size() const noexcept { return diagnostics_.size(); }

    /// The diagnostics in file order (those without a position first); leaves the sink empty.
    std::vector<diagnostic> take();

  private:
    std::string file_;
    std::vector<diagnostic> diagnostics_;
};

/// A value found in the document together with how to name it in messages.
struct yaml_field {
    std::string name;  ///< the key ("seats") or a list item ("scim_tokens[0]"); messages say "for <name>"
    std::string path;  ///< full path from the root ("tenants[1].seats"); empty for the root
    YAML::Node value;
    /// The value's position, or the key's when the value is empty (yaml-cpp has no better one for it).
    YAML::Mark mark;
};

/// Wraps the document root as a field.
yaml_field root_field(const YAML::Node& document);

/// Describes what a node is, for the "got ..." part of a message: the quoted scalar (shortened), "a mapping",
/// "a list" or "an empty value".
std::string describe(const YAML::Node& node);

/// Whether unknown keys of a mapping may be quoted in messages (not where a key could be a pasted secret).
enum class key_echo { show, hide };

/// Walks one YAML mapping. Each `optional()`/`required()` call declares a key as allowed; `finish()` (or the
/// destructor) reports every key that was never asked for, listing the allowed ones. Duplicate keys are
/// reported when the reader is constructed; lookups see the first occurrence. If the field is not a mapping
/// that is reported once and every lookup returns nullopt.
class map_reader {
  public:
    map_reader(diagnostics_sink& sink, const yaml_field& field, key_echo echo = key_echo::show);
    ~map_reader();
    map_reader(const map_reader&) = delete;
    map_reader& operator=(const map_reader&) = delete;

    /// Whether the field is a mapping.
    bool is_map() const noexcept { return is_map_; }

    /// How many distinct keys the mapping has (0 if it is not a mapping).
    std::size_t size() const noexcept { return entries_.size(); }

    /// The value of `key`, or nullopt when absent.
    std::optional<yaml_field> optional(std::string_view key);

    /// The value of `key`; when absent reports "missing required key" at the mapping's position.
    std::optional<yaml_field> required(std::string_view key);

    /// Reports unknown keys. Call after the last lookup; later calls do nothing.
    void finish();

    /// Where the mapping is, for errors about the mapping as a whole.
    const YAML::Mark& mark() const noexcept { return mark_; }

    /// "in server.limits", or "at the top level" for the root; for messages about the mapping.
    std::string where() const;

  private:
    struct entry {
        std::string key;
        YAML::Node key_node;
        YAML::Node value;
        bool asked = false;
    };

    diagnostics_sink& sink_;
    std::string path_;
    YAML::Mark mark_;
    key_echo echo_;
    bool is_map_ = false;
    bool finished_ = false;
    std::vector<std::string> allowed_;
    std::vector<entry> entries_;  // first occurrence of each key, in document order
};

/// The items of a list, named "<name>[i]"; reports and returns nullopt if the field is not a list.
std::optional<std::vector<yaml_field>> read_list(diagnostics_sink& sink, const yaml_field& field);

/// Any scalar as text (YAML quoting does not matter); reports a mapping, list or empty value.
std::optional<std::string> read_string(diagnostics_sink& sink, const yaml_field& field);

/// A scalar that is not the empty string.
std::optional<std::string> read_non_empty_string(diagnostics_sink& sink, const yaml_field& field);

/// A decimal integer (optional sign) within [min, max]; reports other text and out-of-range values.
std::optional<std::int64_t> read_integer(diagnostics_sink& sink, const yaml_field& field, std::int64_t min,
                                         std::int64_t max);

/// read_integer converted to T; `min` and `max` must be representable in both T and std::int64_t.
template <class T>
std::optional<T> read_integer_as(diagnostics_sink& sink, const yaml_field& field, T min, T max) {
    auto v = read_integer(sink, field, static_cast<std::int64_t>(min), static_cast<std::int64_t>(max));
    if (!v) return std::nullopt;
    return static_cast<T>(*v);
}

/// `true` or `false` (also `True`/`TRUE`/`False`/`FALSE`, the YAML 1.2 core schema); nothing else.
std::optional<bool> read_bool(diagnostics_sink& sink, const yaml_field& field);

/// A scalar passed through `parse` (returning boost::system::result<T, value_error>); a parse error is
/// reported as "invalid <what> for <name>: <message>".
template <class Parse>
auto read_parsed(diagnostics_sink& sink, const yaml_field& field, std::string_view what, Parse&& parse)
    -> std::optional<typename decltype(parse(std::string_view{}))::value_type> {
    auto text = read_string(sink, field);
    if (!text) return std::nullopt;
    auto parsed = parse(std::string_view(*text));
    if (!parsed) {
        sink.error(field.mark,
                   "invalid " + std::string(what) + " for " + field.name + ": " + parsed.error().message);
        return std::nullopt;
    }
    return std::move(*parsed);
}

/// Assigns the value, if any, to `out`.
template <class T, class U>
void assign(T& out, std::optional<U>&& value) {
    if (value) out = static_cast<T>(std::move(*value));
}

}  // namespace dirsync::config
