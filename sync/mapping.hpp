#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/source_settings.hpp"
#include "sync/source_record.hpp"

namespace dirsync::sync {

// The mapping language (docs/mapping.md): an expression is literal text with references in braces.
//
//     expression := ( literal | "{{" | "}}" | reference )*
//     reference  := "{" name [ "!" ] ( "|" filter )* "}"      spaces allowed inside the braces
//     name       := attribute description (mail, cn;lang-en, 2.5.4.3) | "dn" (the entry's DN)
//                   | SCIM attribute path, for SCIM sources (name.givenName, emails[type eq "work"].value)
//     filter     := word ( quoted-argument )*                 "..." with \" and \\ (other \x kept as is)
//
// A reference yields the attribute's values in the server's order; filters transform them in turn:
//
//   lower, upper, trim     each value (lower folds case like the directory does; upper maps ASCII and
//   Latin-1) first                  only the first value join "sep"             all values joined into one
//   default "expression"   when no value is left: the argument, itself an expression ("{uid}@example.com")
//   replace "re" "with"    std::regex ECMAScript on each value, every match; `with` uses $1, $&, $$
//   rdn                    a DN value's first RDN value: "cn=John Smith,ou=x" -> "John Smith"
//   guid                   a 16-byte objectGUID as its canonical text; other values are dropped
//   base64                 each value in base64 (binary attributes)
//
// Empty values are dropped after every step, so a missing attribute and an empty one look the same: a
// reference with no value is empty, never an error. `{uid!}` marks the reference required: when it ends up
// empty, the entry is skipped (with a reason), not mapped with a hole.
//
// Single-valued targets: each reference contributes its first value. Multi-valued targets (`emails.value`,
// multi-valued extension attributes): the first reference of the expression yields one result per value,
// the other references contribute their first value. An expression with references whose references are all
// empty is empty; otherwise its result is trimmed of surrounding spaces ("{givenName} {sn}" without sn gives
// "John"). An expression without references is a constant, kept as written.

/// Why an expression was rejected: the byte offset in the expression text and a sentence about it.
struct mapping_error {
    std::size_t position = 0;
    std::string message;

    mapping_error() = default;
    mapping_error(std::size_t pos, std::string msg) : position(pos), message(std::move(msg)) {}
};

/// Lets `boost::system::result<T, mapping_error>::value()` throw std::invalid_argument.
[[noreturn]] void throw_exception_from_error(const mapping_error& error,
                                             const boost::source_location& location);

/// How many values an evaluation may produce, after the target it feeds.
enum class cardinality { single, multiple };

/// What evaluating an expression against an entry gave.
struct evaluation {
    /// The non-empty results: at most one for cardinality::single, unique and in order for multiple.
    std::vector<std::string> values;
    /// The first required reference (`{uid!}`) that was empty, by its name as written; then `values` is
    /// empty and the entry is to be skipped.
    std::optional<std::string> missing_required;
};

namespace detail {
struct expression_body;
}

/// A compiled expression: parsed once, evaluated for every entry. Regular expressions are compiled at
/// compile time. Copies share the compiled form; immutable, so evaluation is thread-safe.
class expression {
  public:
    /// Parses `text`, its reference names in `language`: attribute descriptions (and `dn`) for LDAP records,
    /// SCIM attribute paths for SCIM ones (`{name.givenName}`, `{emails[type eq "work"].value}`,
    /// `{urn:...:enterprise:2.0:User:department}`, read by json_record). Errors (an unclosed brace, an
    /// unknown filter, a wrong argument count, an invalid regular expression, a bad attribute name, ...)
    /// carry the offset of the problem within `text`.
    static boost::system::result<expression, mapping_error> compile(
        std::string_view text, config::record_language language = config::record_language::ldap);

    /// Evaluates against `e` (`{dn}` is the record's name).
    evaluation evaluate(const source_record& e, cardinality c = cardinality::single) const;

    /// The attribute descriptions it references, lowercased, sorted, unique, without `dn`: the reader must
    /// request them (SCIM paths as written).
    const std::vector<std::string>& attributes() const noexcept;

    /// True when it has no reference (a constant).
    bool is_constant() const noexcept;

    /// The text it was compiled from.
    const std::string& text() const noexcept;

  private:
    explicit expression(std::shared_ptr<const detail::expression_body> body) : body_(std::move(body)) {}
    std::shared_ptr<const detail::expression_body> body_;
};

}  // namespace dirsync::sync
