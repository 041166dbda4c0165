#include "config/value_readers.hpp"

#include <vector>

#include "config/duration.hpp"
#include "config/local_file.hpp"

namespace dirsync::config {

std::optional<std::size_t> read_choice_index(diagnostics_sink& sink, const yaml_field& field,
                                             std::span<const std::string_view> words) {
    auto text = read_string(sink, field);
    if (!text) return std::nullopt;
    for (std::size_t i = 0; i < words.size(); ++i)
        if (*text == words[i]) return i;
    std::string allowed;
    for (auto word : words) allowed += (allowed.empty() ? "" : ", ") + std::string(word);
    sink.error(field.mark,
               "invalid " + field.name + " " + describe(field.value) + " (allowed: " + allowed + ")");
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> read_duration(diagnostics_sink& sink, const yaml_field& field) {
    return read_parsed(sink, field, "duration", parse_duration);
}

std::optional<std::optional<std::chrono::milliseconds>> read_duration_or_never(diagnostics_sink& sink,
                                                                               const yaml_field& field) {
    if (field.value.IsScalar() && field.value.Scalar() == "never")
        return std::optional<std::chrono::milliseconds>();
    auto d = read_parsed(sink, field, "duration (or never)", parse_duration);
    if (!d) return std::nullopt;
    return std::optional<std::chrono::milliseconds>(*d);
}

std::optional<std::string> read_readable_path(diagnostics_sink& sink, const yaml_field& field) {
    auto path = read_non_empty_string(sink, field);
    if (!path) return std::nullopt;
    if (auto readable = check_readable_file(*path); !readable) {
        sink.error(field.mark, field.name + ": " + readable.error().message);
        return std::nullopt;
    }
    return path;
}

std::optional<secret_reference> read_secret_reference(diagnostics_sink& sink, const yaml_field& field) {
    constexpr std::string_view one_of = "one of file, env or credential";
    if (!field.value.IsMap()) {
        std::string got = field.value.IsScalar()
                              ? "a plain value (a password never goes in the configuration; point to it "
                                "with { file: PATH }, { env: VARIABLE } or { credential: NAME })"
                              : describe(field.value);
        sink.error(field.mark,
                   "expected a mapping with " + std::string(one_of) + " for " + field.name + ", got " + got);
        return std::nullopt;
    }
    map_reader map(sink, field, key_echo::hide);
    std::vector<std::pair<secret_source_kind, yaml_field>> given;
    for (auto kind : {secret_source_kind::file, secret_source_kind::env, secret_source_kind::credential})
        if (auto f = map.optional(to_string(kind))) given.emplace_back(kind, std::move(*f));
    map.finish();
    if (given.empty()) {
        if (map.size() == 0) sink.error(field.mark, "expected " + std::string(one_of) + " in " + field.name);
        return std::nullopt;
    }
    if (given.size() > 1) {
        sink.error(field.mark, "expected exactly " + std::string(one_of) + " in " + field.name);
        return std::nullopt;
    }
    auto& [kind, value_field] = given.front();
    auto value = read_non_empty_string(sink, value_field);
    if (!value) return std::nullopt;
    secret_reference reference{kind, std::move(*value)};
    // Readable now; read again at each use so that a rotated secret is used without a reload.
    if (auto ok = check_secret(reference); !ok) {
        sink.error(value_field.mark, field.name + ": " + ok.error().message);
        return std::nullopt;
    }
    return reference;
}

text_location locate_scalar(std::string_view yaml_text, const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    if (m.is_null() || m.line < 0 || m.column < 0) return {};
    text_location at{m.line + 1, m.column + 1, false};
    if (!node.IsScalar() || m.pos < 0 || static_cast<std::size_t>(m.pos) >= yaml_text.size()) return at;
    const std::string& value = node.Scalar();
    auto start = static_cast<std::size_t>(m.pos);
    char quote = yaml_text[start];
    if (quote == '"' || quote == '\'') {
        ++start;
        ++at.column;
    } else {
        quote = 0;
    }
    if (value.find('\n') != std::string::npos || yaml_text.substr(start, value.size()) != value) return at;
    std::size_t end = start + value.size();
    if (quote == 0 || (end < yaml_text.size() && yaml_text[end] == quote)) at.columns_exact = true;
    return at;
}

YAML::Mark mark_of(const text_location& at) {
    YAML::Mark m;
    m.line = at.line - 1;
    m.column = at.column - 1;
    return m;
}

}  // namespace dirsync::config
