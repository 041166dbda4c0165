#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "resource/schema.hpp"
#include "scim/attribute_path.hpp"
#include "scim/filter_error.hpp"

namespace dirsync::scim {

// -----------------------------------------------------------------------------------------------------------
// AST
// -----------------------------------------------------------------------------------------------------------

/// Index of a node inside its filter. Children always have smaller indices than their parent.
using node_index = std::uint32_t;

/// RFC 7644 §3.4.2.2 comparison operators (`pr` is a presence_node, not an operator here).
enum class compare_op { eq, ne, co, sw, ew, gt, ge, lt, le };

/// The lower-case RFC spelling: "eq", "ne", ...
std::string_view to_string(compare_op op) noexcept;

/// `and` binds tighter than `or`.
enum class logical_op { and_, or_ };

/// "and" / "or".
std::string_view to_string(logical_op op) noexcept;

/// `path op value`; value is a JSON string, number (integer or floating), boolean or null.
struct comparison_node {
    attribute_path path;
    compare_op op = compare_op::eq;
    nlohmann::json value;

    friend bool operator==(const comparison_node&, const comparison_node&) = default;
};

/// `path pr`.
struct presence_node {
    attribute_path path;

    friend bool operator==(const presence_node&, const presence_node&) = default;
};

/// `lhs and rhs` / `lhs or rhs`.
struct logical_node {
    logical_op op = logical_op::and_;
    node_index lhs = 0;
    node_index rhs = 0;

    friend bool operator==(const logical_node&, const logical_node&) = default;
};

/// `not (child)`.
struct negation_node {
    node_index child = 0;

    friend bool operator==(const negation_node&, const negation_node&) = default;
};

/// `path[inner]`, optionally followed by `.sub_attribute` and optionally then by a test of that
/// sub-attribute: `emails[type eq "work"]`, `emails[type eq "work"].value` (the PATCH path form, errata
/// 7122), `emails[type eq "work"].value co "@example.com"` (sent by Microsoft's SCIM validator). The inner
/// filter's attribute paths name sub-attributes of `path` (no value path may nest inside).
struct value_path_node {
    attribute_path path;             ///< the multi-valued (complex) attribute; never has a sub-attribute
    node_index inner = 0;            ///< filter over one value of the attribute
    std::string sub_attribute;       ///< text after "]."; empty when none
    std::optional<node_index> tail;  ///< comparison_node or presence_node on `sub_attribute`, if given

    friend bool operator==(const value_path_node&, const value_path_node&) = default;
};

/// One node of a filter's syntax tree.
using filter_node =
    std::variant<comparison_node, presence_node, logical_node, negation_node, value_path_node>;

/// A parsed SCIM filter: nodes in a flat vector (children before parents) and the root's index. Cheap to
/// move, copyable, no recursion on destruction. A default-constructed filter is empty and matches everything.
class filter {
  public:
    filter() = default;

    /// True when the filter has no nodes.
    bool empty() const noexcept { return nodes_.empty(); }
    /// Number of nodes.
    std::size_t size() const noexcept { return nodes_.size(); }
    /// Index of the root node. Precondition: !empty().
    node_index root() const noexcept { return root_; }
    /// The node at `i`. Precondition: i < size().
    const filter_node& node(node_index i) const noexcept { return nodes_[i]; }
    /// Byte offset in the parsed text where the node began (the attribute path, '(' or "not"); 0 for nodes
    /// added by hand.
    std::size_t position(node_index i) const noexcept { return positions_[i]; }

    /// Appends a node whose children (if any) are already in the filter and returns its index; the newest
    /// node becomes the root. Throws std::invalid_argument for a child index that does not precede it (a
    /// bug).
    node_index add(filter_node n, std::size_t text_position = 0);
    /// Makes `i` the root. Throws std::out_of_range when there is no such node (a bug).
    void set_root(node_index i);

    /// A standalone copy of the subtree rooted at `i` (e.g. a value path's inner filter).
    filter subtree(node_index i) const;

    /// Structural equality of the trees reachable from the roots; positions are ignored.
    friend bool operator==(const filter& a, const filter& b);

  private:
    std::vector<filter_node> nodes_;
    std::vector<std::size_t> positions_;
    node_index root_ = 0;
};

// -----------------------------------------------------------------------------------------------------------
// Parsing and rendering
// -----------------------------------------------------------------------------------------------------------

/// Named limits for parse_filter.
struct filter_limits {
    /// Longest accepted filter text, in bytes.
    std::size_t max_length = 4096;
    /// Most groups that may enclose one another: each "(", "not (" and value path "[" opens one. Values above
    /// 256 are treated as 256 (it also bounds the parser's recursion).
    std::size_t max_depth = 32;
};

/// Parses an RFC 7644 §3.4.2.2 filter (figure 1 ABNF with errata 4690/7322: nested value paths are rejected
/// but value filters may use and/or/not/parentheses; 7319: "not" may be followed by spaces; 7122: a value
/// path may be followed by ".subAttr"). Attribute names, operators and keywords are case-insensitive; any
/// amount of whitespace may separate tokens. Values are JSON strings (all escapes), numbers, true, false or
/// null; bare words are rejected. Never throws for any input (std::bad_alloc aside), never recurses deeper
/// than the depth limit. Errors carry the byte offset of the problem.
boost::system::result<filter, filter_error> parse_filter(std::string_view text,
                                                         const filter_limits& limits = {});

/// Canonical rendering: lower-case operators and keywords, values as compact JSON, single spaces, parentheses
/// only where the tree needs them. parse_filter(to_string(f)) yields a filter equal to f.
std::string to_string(const filter& f);

// -----------------------------------------------------------------------------------------------------------
// Evaluation
// -----------------------------------------------------------------------------------------------------------

/// True when `resource` (a SCIM resource JSON object: core attributes at the top level, extension attributes
/// under their schema URN) satisfies the filter. RFC 7644 semantics, with these decisions:
///  - JSON keys and attribute names match ASCII case-insensitively; an unqualified name not in the core
///    schema falls back to the extensions; names the schema does not know are still looked up in the JSON.
///  - Strings compare case-insensitively (common::fold_case, the directory's key folding) unless the
///    attribute is caseExact (id, externalId, meta.version, x509Certificates.value, ...); attributes the
///    schema does not know compare by their JSON type, strings case-insensitively.
///  - A multi-valued attribute matches when any of its values does; a complex value named without a
///    sub-attribute compares its "value" (`emails co "x"` is `emails.value co "x"`, `manager eq "x"` is
///    `manager.value eq "x"`).
///  - `pr`: present and not null, "", [] or {}. `eq null` means "not present", `ne null` "present".
///  - `ne` is "no value equals": true for an absent attribute, false when any value equals, and false when no
///    value could be compared at all (wrong type). No other operator ever matches an absent attribute.
///  - booleans compare with booleans and with the strings "true"/"false" in any case (Entra sends "True"),
///    by eq/ne only; numbers numerically (integers and decimals mix); dateTime attributes as instants
///    (RFC 3339, offsets honoured) for eq/ne/gt/ge/lt/le and as text for co/sw/ew.
///  - A value of the wrong type (`userName eq 5`), gt/ge/lt/le on boolean, binary or complex values and
///    co/sw/ew on booleans or numbers never match, for ne too (validate_filter reports all of them).
///  - Attributes returned "never" (password) look absent, so filters cannot probe them.
///  - A value path matches when one value satisfies the inner filter and the tail test; a bare trailing
///    ".sub" requires that sub-attribute to be present. A value that is not an object answers to "value".
/// An empty filter matches everything; a non-object resource matches nothing else. Never throws.
bool matches(const filter& f, const nlohmann::json& resource, const resource::resource_schema& schema);

/// Evaluates a value filter (what stands between "[" and "]") against one value of a multi-valued attribute,
/// e.g. for PATCH paths: attribute paths name sub-attributes of `multi_valued_attribute` (nullptr: unknown,
/// compared by JSON type). Same semantics as matches().
bool matches_value(const filter& value_filter, const nlohmann::json& value,
                   const resource::attribute* multi_valued_attribute);

/// Checks a parsed filter against the schema: ordering operators on boolean/binary/complex attributes,
/// co/sw/ew on boolean/number attributes, values of the wrong type (a number for a string attribute, a
/// malformed dateTime), value paths on attributes that are not complex, sub-attributes of simple attributes,
/// and attributes with returned "never". In strict mode unknown schema URNs, attributes and sub-attributes
/// are errors too. The error points at the offending node's position.
boost::system::result<void, filter_error> validate_filter(const filter& f,
                                                          const resource::resource_schema& schema,
                                                          bool strict);

// -----------------------------------------------------------------------------------------------------------
// Index support
// -----------------------------------------------------------------------------------------------------------

/// An equality every matching resource must satisfy: `attribute` is the caller's spelling from the list of
/// indexed attributes (e.g. "userName", "emails.value"), `value` the string compared against.
struct index_equality {
    std::string attribute;
    std::string value;

    friend bool operator==(const index_equality&, const index_equality&) = default;
};

/// Like index_equality, but a match must have one of several values (an OR of equalities).
struct index_alternatives {
    std::string attribute;
    std::vector<std::string> values;

    friend bool operator==(const index_alternatives&, const index_alternatives&) = default;
};

/// Finds an `eq` string comparison that is NECESSARY for a match: the whole filter, or a conjunct of its
/// top-level `and` chain (also inside parentheses and value paths: `emails[value eq "x"]` and
/// `emails[type eq "work"].value eq "x"` give "emails.value"), never anything under `or` or `not`.
/// `indexed_attributes` are paths like "userName", "id", "emails.value" or URN-qualified names; a filter path
/// matches one when names agree case-insensitively and the URNs agree (an unqualified name matches the core
/// User or Group URN and vice versa). When several conjuncts qualify, the attribute listed first wins.
/// `emails eq "x"` does not count (without a schema the finder cannot know that emails is complex).
/// Callers look candidates up by (attribute, value) and must still run matches() on each: the index must key
/// on common::fold_case for attributes that are not caseExact (userName, emails.value, displayName) and on
/// the exact value for caseExact ones (id, externalId); only string attributes may be indexed.
std::optional<index_equality> find_index_equality(const filter& f,
                                                  std::span<const std::string_view> indexed_attributes);

/// Like find_index_equality, but also accepts an `or` of eq comparisons on the same indexed attribute
/// (`id eq "a" or id eq "b"`), returning every value (duplicates removed, filter order kept). A single
/// equality yields one value; among conjuncts the one with the fewest values wins, then the attribute listed
/// first.
std::optional<index_alternatives> find_index_alternatives(
    const filter& f, std::span<const std::string_view> indexed_attributes);

}  // namespace dirsync::scim
