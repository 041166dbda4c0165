#pragma once

// Internal to config/: readers of the value types several sections share (durations, file paths, secrets,
// one word out of a list, text whose position inside the file later checks point into). Each reports a
// problem to the sink at the value and returns nullopt; none echoes a secret.

#include <chrono>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/secret_reference.hpp"
#include "config/source_settings.hpp"
#include "config/yaml_reader.hpp"

namespace dirsync::config {

/// One of `words` (exact spelling): the index of the match; otherwise reports
/// "invalid <name> '<value>' (allowed: a, b, c)".
std::optional<std::size_t> read_choice_index(diagnostics_sink& sink, const yaml_field& field,
                                             std::span<const std::string_view> words);

/// One of the words of `choices`: the value paired with it (as read_choice_index).
template <class E>
std::optional<E> read_choice(diagnostics_sink& sink, const yaml_field& field,
                             std::initializer_list<std::pair<std::string_view, E>> choices) {
    std::vector<std::string_view> words;
    words.reserve(choices.size());
    for (const auto& choice : choices) words.push_back(choice.first);
    auto i = read_choice_index(sink, field, words);
    if (!i) return std::nullopt;
    return (choices.begin() + *i)->second;
}

/// A duration: "90s", "15m", "1h30m" (config/duration.hpp).
std::optional<std::chrono::milliseconds> read_duration(diagnostics_sink& sink, const yaml_field& field);

/// A duration or `never` (nullopt inside the optional).
std::optional<std::optional<std::chrono::milliseconds>> read_duration_or_never(diagnostics_sink& sink,
                                                                               const yaml_field& field);

/// A path that names a readable regular file now; kept as written (relative to the working directory).
std::optional<std::string> read_readable_path(diagnostics_sink& sink, const yaml_field& field);

/// `{ file: P }` | `{ env: V }` | `{ credential: N }`, checked readable now (and read again at each use).
/// A plain scalar is refused without being echoed: a secret never goes in the configuration.
std::optional<secret_reference> read_secret_reference(diagnostics_sink& sink, const yaml_field& field);

/// Where `node` (a scalar) starts in the file `yaml_text`; exact columns when it is a one-line scalar
/// without escapes.
text_location locate_scalar(std::string_view yaml_text, const YAML::Node& node);

/// The mark of a text_location, to report a problem found inside a located text.
YAML::Mark mark_of(const text_location& at);

}  // namespace dirsync::config
