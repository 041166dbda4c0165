#include "config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace dirsync::config {

namespace {

constexpr std::size_t max_echo = 60;

bool has_position(const YAML::Mark& m) { return !m.is_null() && m.line >= 0 && m.column >= 0; }

std::string quote(std::string_view text) {
    if (text.size() > max_echo) return "'" + std::string(text.substr(0, max_echo)) + "...'";
    return "'" + std::string(text) + "'";
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += ", ";
        out += w;
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The value's own mark, except for empty values, whose mark yaml-cpp puts at the next token.
YAML::Mark value_mark(const YAML::Node& key, const YAML::Node& value) {
    return value.IsNull() || !has_position(value.Mark()) ? key.Mark() : value.Mark();
}

std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

bool expect_scalar(diagnostics_sink& sink, const yaml_field& field, std::string_view what) {
    if (field.value.IsScalar()) return true;
    sink.error(field.mark,
               "expected " + std::string(what) + " for " + field.name + ", got " + describe(field.value));
    return false;
}

}  // namespace

diagnostics_sink::diagnostics_sink(std::string file) : file_(std::move(file)) {}

void diagnostics_sink::error(const YAML::Mark& at, std::string message) {
    if (!has_position(at)) return error(std::move(message));
    diagnostics_.push_back(diagnostic{file_, at.line + 1, at.column + 1, std::move(message)});
}

void diagnostics_sink::error(std::string message) {
    diagnostics_.push_back(diagnostic{file_, 0, 0, std::move(message)});
}

void diagnostics_sink::add(diagnostic found) {
    found.file = file_;
    diagnostics_.push_back(std::move(found));
}

std::vector<diagnostic> diagnostics_sink::take() {
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const diagnostic& a, const diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return std::exchange(diagnostics_, {});
}

yaml_field root_field(const YAML::Node& document) {
    return yaml_field{"the configuration", "", document, document.Mark()};
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Scalar:
            return quote(node.Scalar());
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
    }
    return "an empty value";
}

map_reader::map_reader(diagnostics_sink& sink, const yaml_field& field, key_echo echo)
    : sink_(sink), path_(field.path), mark_(field.mark), echo_(echo), is_map_(field.value.IsMap()) {
    if (!is_map_) {
        sink_.error(field.mark, "expected a mapping for " + field.name + ", got " + describe(field.value));
        return;
    }
    for (const auto& pair : field.value) {
        const YAML::Node key = pair.first;
        if (!key.IsScalar()) {
            sink_.error(key.Mark(), "expected a plain key " + where() + ", got " + describe(key));
            continue;
        }
        auto first = std::find_if(entries_.begin(), entries_.end(),
                                  [&](const entry& e) { return e.key == key.Scalar(); });
        if (first != entries_.end()) {
            auto name = echo_ == key_echo::show ? " " + quote(key.Scalar()) : std::string();
            sink_.error(key.Mark(), "duplicate key" + name + " " + where() + " (first at line " +
                                        std::to_string(first->key_node.Mark().line + 1) + ")");
            continue;
        }
        entries_.push_back(entry{key.Scalar(), key, pair.second});
    }
}

map_reader::~map_reader() { finish(); }

std::optional<yaml_field> map_reader::optional(std::string_view key) {
    if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end()) allowed_.emplace_back(key);
    if (!is_map_) return std::nullopt;
    for (auto& e : entries_) {
        if (e.key != key) continue;
        e.asked = true;
        return yaml_field{std::string(key), child_path(path_, key), e.value, value_mark(e.key_node, e.value)};
    }
    return std::nullopt;
}

std::optional<yaml_field> map_reader::required(std::string_view key) {
    auto found = optional(key);
    if (!found && is_map_) sink_.error(mark_, "missing required key '" + std::string(key) + "' " + where());
    return found;
}

void map_reader::finish() {
    if (finished_) return;
    finished_ = true;
    if (!is_map_) return;
    for (const auto& e : entries_) {
        if (e.asked) continue;
        std::string message = "unknown key";
        if (echo_ == key_echo::show) message += " " + quote(e.key);
        message += " " + where() + " (allowed: " + join(allowed_) + ")";
        if (echo_ == key_echo::show) {
            for (const auto& a : allowed_) {
                if (edit_distance(e.key, a) <= std::max<std::size_t>(1, a.size() / 4)) {
                    message += "; did you mean '" + a + "'?";
                    break;
                }
            }
        }
        sink_.error(e.key_node.Mark(), std::move(message));
    }
}

std::string map_reader::where() const { return path_.empty() ? "at the top level" : "in " + path_; }

std::optional<std::vector<yaml_field>> read_list(diagnostics_sink& sink, const yaml_field& field) {
    if (!field.value.IsSequence()) {
        sink.error(field.mark, "expected a list for " + field.name + ", got " + describe(field.value));
        return std::nullopt;
    }
    std::vector<yaml_field> items;
    std::size_t index = 0;
    for (const auto& item : field.value) {
        auto suffix = "[" + std::to_string(index++) + "]";
        auto mark = has_position(item.Mark()) && !item.IsNull() ? item.Mark() : field.mark;
        items.push_back(yaml_field{field.name + suffix, field.path + suffix, item, mark});
    }
    return items;
}

std::optional<std::string> read_string(diagnostics_sink& sink, const yaml_field& field) {
    if (!expect_scalar(sink, field, "a string")) return std::nullopt;
    return field.value.Scalar();
}

std::optional<std::string> read_non_empty_string(diagnostics_sink& sink, const yaml_field& field) {
    auto text = read_string(sink, field);
    if (text && text->empty()) {
        sink.error(field.mark, field.name + " must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<std::int64_t> read_integer(diagnostics_sink& sink, const yaml_field& field, std::int64_t min,
                                         std::int64_t max) {
    if (!expect_scalar(sink, field, "an integer")) return std::nullopt;
    const std::string& text = field.value.Scalar();
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    bool well_formed = !digits.empty() && (digits.front() != '-' || digits.size() > 1) &&
                       std::all_of(digits.begin() + (digits.front() == '-' ? 1 : 0), digits.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
    if (!well_formed) {
        sink.error(field.mark, "expected an integer for " + field.name + ", got " + quote(text));
        return std::nullopt;
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size() || value < min || value > max) {
        sink.error(field.mark, field.name + " must be between " + std::to_string(min) + " and " +
                                   std::to_string(max) + ", got " + quote(text));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> read_bool(diagnostics_sink& sink, const yaml_field& field) {
    if (!expect_scalar(sink, field, "true or false")) return std::nullopt;
    const std::string& text = field.value.Scalar();
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    sink.error(field.mark, "expected true or false for " + field.name + ", got " + quote(text));
    return std::nullopt;
}

}  // namespace dirsync::config
