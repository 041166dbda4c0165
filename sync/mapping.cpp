#include "sync/mapping.hpp"

#include <algorithm>
#include <boost/throw_exception.hpp>
#include <regex>
#include <stdexcept>

#include "common/ascii.hpp"
#include "common/base64.hpp"
#include "common/casefold.hpp"
#include "ldap/attribute_description.hpp"
#include "ldap/distinguished_name.hpp"
#include "ldap/guid.hpp"
#include "scim/patch_path.hpp"

namespace dirsync::sync {

namespace {

/// Longest value `replace` runs its regular expression on; longer values pass unchanged (libstdc++'s regex
/// recurses per character).
constexpr std::size_t max_replace_input = 4096;
/// Deepest nesting of `default` arguments.
constexpr std::size_t max_nesting = 8;

enum class step_kind { lower, upper, trim, first, join, fallback, replace, rdn, guid, base64 };

struct filter_spec {
    std::string_view name;
    step_kind kind;
    std::size_t arguments;
    std::string_view usage;
};

constexpr filter_spec filter_specs[] = {
    {"lower", step_kind::lower, 0, "lower"},
    {"upper", step_kind::upper, 0, "upper"},
    {"trim", step_kind::trim, 0, "trim"},
    {"first", step_kind::first, 0, "first"},
    {"join", step_kind::join, 1, "join \"separator\""},
    {"default", step_kind::fallback, 1, "default \"expression\""},
    {"replace", step_kind::replace, 2, "replace \"regex\" \"replacement\""},
    {"rdn", step_kind::rdn, 0, "rdn"},
    {"guid", step_kind::guid, 0, "guid"},
    {"base64", step_kind::base64, 0, "base64"},
};

std::string filter_names() {
    std::string out;
    for (const auto& f : filter_specs) out += (out.empty() ? "" : ", ") + std::string(f.name);
    return out;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string ascii_trim(std::string_view s) { return std::string(common::trim_ascii(s)); }

void drop_empty(std::vector<std::string>& values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](const std::string& v) { return v.empty(); }),
                 values.end());
}

}  // namespace

namespace detail {

struct filter_step {
    step_kind kind = step_kind::lower;
    std::string argument;                             // join separator, replace replacement
    std::regex pattern;                               // replace
    std::shared_ptr<const expression_body> fallback;  // default
};

struct reference {
    std::string name;  // as written
    std::string key;   // lowercased
    bool is_dn = false;
    bool required = false;
    std::vector<filter_step> steps;
};

struct part {
    bool is_reference = false;
    std::string literal;
    reference ref;
};

struct expression_body {
    std::string text;
    std::vector<part> parts;
    std::vector<std::string> attributes;
    bool constant = true;

    // The values of one reference after its filters; sets `missing` when it is required and empty.
    std::vector<std::string> resolve(const reference& r, const source_record& e,
                                     std::optional<std::string>& missing) const {
        std::vector<std::string> values;
        if (r.is_dn) {
            values.push_back(e.name());
        } else if (const auto* found = e.find(r.key)) {
            values = *found;
        }
        drop_empty(values);
        for (const auto& step : r.steps) {
            switch (step.kind) {
                case step_kind::lower:
                    for (auto& v : values) v = common::to_lower(v);
                    break;
                case step_kind::upper:
                    for (auto& v : values) v = common::to_upper(v);
                    break;
                case step_kind::trim:
                    for (auto& v : values) v = ascii_trim(v);
                    break;
                case step_kind::first:
                    if (values.size() > 1) values.resize(1);
                    break;
                case step_kind::join: {
                    if (values.size() <= 1) break;
                    std::string joined;
                    for (std::size_t i = 0; i < values.size(); ++i) {
                        if (i > 0) joined += step.argument;
                        joined += values[i];
                    }
                    values.assign(1, std::move(joined));
                    break;
                }
                case step_kind::fallback:
                    if (values.empty()) {
                        auto alternative = step.fallback->evaluate(e, cardinality::single);
                        if (alternative.missing_required && !missing) missing = alternative.missing_required;
                        values = std::move(alternative.values);
                    }
                    break;
                case step_kind::replace:
                    for (auto& v : values)
                        if (v.size() <= max_replace_input)
                            v = std::regex_replace(v, step.pattern, step.argument);
                    break;
                case step_kind::rdn:
                    for (auto& v : values) v = ldap::first_rdn_value(v).value_or(std::string());
                    break;
                case step_kind::guid:
                    for (auto& v : values) v = ldap::format_guid(v).value_or(std::string());
                    break;
                case step_kind::base64:
                    for (auto& v : values) v = common::encode_base64(v);
                    break;
            }
            drop_empty(values);
        }
        if (values.empty() && r.required && !missing) missing = r.name;
        return values;
    }

    evaluation evaluate(const source_record& e, cardinality c) const {
        evaluation out;
        if (constant) {
            std::string value;
            for (const auto& p : parts) value += p.literal;
            if (!value.empty()) out.values.push_back(std::move(value));
            return out;
        }
        std::vector<std::vector<std::string>> resolved(parts.size());
        bool any = false;
        const std::vector<std::string>* driver = nullptr;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (!parts[i].is_reference) continue;
            resolved[i] = resolve(parts[i].ref, e, out.missing_required);
            any = any || !resolved[i].empty();
            if (driver == nullptr) driver = &resolved[i];
        }
        if (out.missing_required || !any) return out;
        auto compose = [&](const std::string* driving_value) {
            std::string value;
            bool driving_done = false;
            for (std::size_t i = 0; i < parts.size(); ++i) {
                if (!parts[i].is_reference) {
                    value += parts[i].literal;
                } else if (!driving_done && driving_value != nullptr) {
                    value += *driving_value;
                    driving_done = true;
                } else if (!resolved[i].empty()) {
                    value += resolved[i].front();
                    driving_done = true;
                } else {
                    driving_done = true;
                }
            }
            return ascii_trim(value);
        };
        if (c == cardinality::single || driver->empty()) {
            if (c == cardinality::multiple) return out;  // the driving reference has no value
            auto value = compose(nullptr);
            if (!value.empty()) out.values.push_back(std::move(value));
            return out;
        }
        for (const auto& v : *driver) {
            auto value = compose(&v);
            if (!value.empty() && std::find(out.values.begin(), out.values.end(), value) == out.values.end())
                out.values.push_back(std::move(value));
        }
        return out;
    }
};

}  // namespace detail

namespace {

/// A quoted argument decoded, with the offset in the expression of each decoded character.
struct argument {
    std::string text;
    std::vector<std::size_t> offsets;  // offsets[i]: where text[i] was; offsets[size]: the closing quote
    std::size_t position = 0;          // the opening quote
};

class parser {
  public:
    parser(std::string_view text, std::size_t base, std::size_t depth, config::record_language language)
        : text_(text), base_(base), depth_(depth), language_(language) {}

    boost::system::result<std::shared_ptr<detail::expression_body>, mapping_error> parse() {
        auto body = std::make_shared<detail::expression_body>();
        body->text = std::string(text_);
        std::string literal;
        auto flush = [&] {
            if (literal.empty()) return;
            detail::part p;
            p.literal = std::move(literal);
            body->parts.push_back(std::move(p));
            literal.clear();
        };
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == '{' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
                literal += '{';
                pos_ += 2;
            } else if (c == '}' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '}') {
                literal += '}';
                pos_ += 2;
            } else if (c == '}') {
                return fail(pos_, "a '}' outside a reference must be doubled: write }} for a literal '}'");
            } else if (c == '{') {
                flush();
                auto ref = parse_reference();
                if (!ref) return ref.error();
                if (!ref->is_dn) body->attributes.push_back(ref->key);
                for (const auto& step : ref->steps)
                    if (step.fallback)
                        body->attributes.insert(body->attributes.end(), step.fallback->attributes.begin(),
                                                step.fallback->attributes.end());
                detail::part p;
                p.is_reference = true;
                p.ref = std::move(*ref);
                body->parts.push_back(std::move(p));
                body->constant = false;
            } else {
                literal += c;
                ++pos_;
            }
        }
        flush();
        std::sort(body->attributes.begin(), body->attributes.end());
        body->attributes.erase(std::unique(body->attributes.begin(), body->attributes.end()),
                               body->attributes.end());
        return body;
    }

  private:
    mapping_error fail(std::size_t at, std::string message) const {
        return mapping_error(base_ + at, std::move(message));
    }

    void skip_spaces() {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }

    std::string_view word(bool attribute_chars) {
        std::size_t start = pos_;
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            bool ok = is_alpha(c) || is_digit(c) || c == '_' ||
                      (attribute_chars && (c == '-' || c == ';' || c == '.'));
            if (!ok) break;
            ++pos_;
        }
        return text_.substr(start, pos_ - start);
    }

    boost::system::result<argument, mapping_error> parse_argument() {
        argument out;
        out.position = pos_;
        ++pos_;  // '"'
        while (pos_ < text_.size() && text_[pos_] != '"') {
            char c = text_[pos_];
            if (c == '\\' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '\\')) {
                out.offsets.push_back(pos_ + 1);
                out.text += text_[pos_ + 1];
                pos_ += 2;
                continue;
            }
            out.offsets.push_back(pos_);
            out.text += c;
            ++pos_;
        }
        if (pos_ >= text_.size()) return fail(out.position, "unterminated string: a '\"' is missing");
        out.offsets.push_back(pos_);
        ++pos_;  // '"'
        return out;
    }

    boost::system::result<detail::reference, mapping_error> parse_reference() {
        std::size_t open = pos_;
        ++pos_;  // '{'
        skip_spaces();
        detail::reference ref;
        std::size_t name_at = pos_;
        const bool scim = language_ == config::record_language::scim;
        auto name = scim ? scim_path() : word(true);
        if (name.empty()) {
            if (pos_ >= text_.size()) return fail(open, "unclosed '{': write {{ for a literal '{'");
            if (text_[pos_] == '}') return fail(open, "empty reference '{}': write {{}} for literal braces");
            return fail(pos_,
                        std::string("expected an attribute name after '{' but found '") + text_[pos_] + "'");
        }
        if (scim) {
            if (auto path = scim::parse_path_syntax(name); !path)
                return fail(name_at,
                            "'" + std::string(name) + "' is not a SCIM attribute path: " + path.error());
            ref.name = std::string(name);
            ref.key = ref.name;  // json_record matches names case-insensitively, filter values as written
        } else {
            if (!ldap::is_attribute_description(name))
                return fail(name_at,
                            "'" + std::string(name) +
                                "' is not an attribute name (letters, digits and '-', starting with a "
                                "letter, or a numeric OID)");
            ref.name = std::string(name);
            ref.key = ldap::lowercase_attribute(name);
            ref.is_dn = ref.key == "dn";
        }
        skip_spaces();
        if (pos_ < text_.size() && text_[pos_] == '!') {
            ref.required = true;
            ++pos_;
            skip_spaces();
        }
        while (pos_ < text_.size() && text_[pos_] == '|') {
            ++pos_;
            skip_spaces();
            std::size_t filter_at = pos_;
            auto filter_name = word(false);
            if (filter_name.empty())
                return fail(pos_, "expected a filter name after '|' (" + filter_names() + ")");
            const filter_spec* spec = nullptr;
            for (const auto& f : filter_specs)
                if (f.name == filter_name) spec = &f;
            if (spec == nullptr)
                return fail(filter_at, "unknown filter '" + std::string(filter_name) +
                                           "' (filters: " + filter_names() + ")");
            std::vector<argument> arguments;
            for (;;) {
                skip_spaces();
                if (pos_ >= text_.size() || text_[pos_] != '"') break;
                auto a = parse_argument();
                if (!a) return a.error();
                arguments.push_back(std::move(*a));
            }
            if (arguments.size() != spec->arguments) {
                std::string wanted = spec->arguments == 0   ? "no argument"
                                     : spec->arguments == 1 ? "1 argument"
                                                            : std::to_string(spec->arguments) + " arguments";
                return fail(filter_at, "filter '" + std::string(spec->name) + "' takes " + wanted + " (" +
                                           std::string(spec->usage) + "), got " +
                                           std::to_string(arguments.size()));
            }
            detail::filter_step step;
            step.kind = spec->kind;
            if (spec->kind == step_kind::join) step.argument = arguments[0].text;
            if (spec->kind == step_kind::replace) {
                try {
                    step.pattern = std::regex(arguments[0].text, std::regex::ECMAScript);
                } catch (const std::regex_error& e) {
                    return fail(arguments[0].position,
                                std::string("invalid regular expression: ") + e.what());
                }
                step.argument = arguments[1].text;
            }
            if (spec->kind == step_kind::fallback) {
                if (depth_ + 1 >= max_nesting)
                    return fail(arguments[0].position, "default arguments nest too deeply");
                const auto& a = arguments[0];
                parser inner(a.text, 0, depth_ + 1, language_);
                auto body = inner.parse();
                if (!body) {
                    // Map the position inside the decoded argument back to the expression.
                    auto at = std::min(body.error().position, a.offsets.size() - 1);
                    return mapping_error(base_ + a.offsets[at], body.error().message);
                }
                step.fallback = std::move(*body);
            }
            ref.steps.push_back(std::move(step));
            skip_spaces();
        }
        if (pos_ >= text_.size())
            return fail(open, "unclosed '{': a '}' is missing (write {{ for a literal '{')");
        if (text_[pos_] != '}')
            return fail(pos_,
                        std::string("expected '|' or '}' in the reference but found '") + text_[pos_] + "'");
        ++pos_;
        return ref;
    }

    /// A SCIM attribute path up to the first blank, '!', '|' or '}' outside brackets and quoted strings.
    std::string_view scim_path() {
        const std::size_t start = pos_;
        pos_ += scim::path_end(text_.substr(pos_), " \t\r\n!|}");
        return text_.substr(start, pos_ - start);
    }

    std::string_view text_;
    std::size_t base_;
    std::size_t depth_;
    config::record_language language_;
    std::size_t pos_ = 0;
};

}  // namespace

void throw_exception_from_error(const mapping_error& error, const boost::source_location& location) {
    boost::throw_with_location(std::invalid_argument(error.message), location);
}

boost::system::result<expression, mapping_error> expression::compile(std::string_view text,
                                                                     config::record_language language) {
    auto body = parser(text, 0, 0, language).parse();
    if (!body) return body.error();
    return expression(std::move(*body));
}

evaluation expression::evaluate(const source_record& e, cardinality c) const { return body_->evaluate(e, c); }

const std::vector<std::string>& expression::attributes() const noexcept { return body_->attributes; }

bool expression::is_constant() const noexcept { return body_->constant; }

const std::string& expression::text() const noexcept { return body_->text; }

}  // namespace dirsync::sync
