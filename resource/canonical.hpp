#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "resource/schema.hpp"

namespace dirsync::resource {

/// Why a resource is not acceptable: not a JSON object at all (`syntax`), or a value the schema refuses
/// (`value`). The message names the attribute path ("name.givenName must be a string, not an integer").
struct invalid_resource {
    enum class kind { syntax, value };
    kind what = kind::value;
    std::string message;

    invalid_resource() = default;
    invalid_resource(kind k, std::string m) : what(k), message(std::move(m)) {}
};

/// Called by boost::system::result<T, invalid_resource>::value() on an error: throws std::invalid_argument.
[[noreturn]] inline void throw_exception_from_error(const invalid_resource& e,
                                                    const boost::source_location&) {
    throw std::invalid_argument(e.message);
}

/// How canonicalize treats what only some writers produce.
struct canonical_options {
    /// Accept and convert what SCIM clients send for a type (booleans as strings such as "True", numbers
    /// for string attributes, 12.0 for an integer, a single value for a multi-valued attribute). False: these
    /// are refused as wrong types, for writers that must already produce the canonical types (the directory
    /// holds every write to it).
    bool convert_types = true;
    /// Drop the elements of a multi-valued complex attribute that has a `value` sub-attribute when they carry
    /// no `value`. Sync mappings fill `emails[type eq "work"].value` and `emails[type eq "work"].primary`
    /// separately, and an element whose value mapped to nothing must not be stored; a SCIM client's elements
    /// are kept as sent.
    bool drop_elements_without_value = false;
};

/// The one canonicaliser of users and groups: turns a resource as a writer produced it (a SCIM client's
/// POST/PUT body or a resource after PATCH, a sync mapping's output) into the canonical form the directory
/// stores, so that no writer's spelling leaks into the records:
/// - attribute and sub-attribute names get the schema's spelling (`UserName` -> `userName`, `Primary` ->
///   `primary`); extension objects are keyed by the schema's URN; a fully qualified attribute name used as a
///   key (`urn:...:enterprise:2.0:User:employeeNumber`) moves into its extension object;
/// - `null` and empty values are removed (RFC 7643 §2.5: unassigned); readOnly attributes (id, meta, groups)
///   are ignored as RFC 7644 §3.3 asks;
/// - booleans sent as strings ("True", "false") become booleans; numbers sent for string attributes become
///   strings; a single value sent for a multi-valued attribute becomes a one-element array (unless
///   `convert_types` is off);
/// - types are checked (a wrong type is `value`, naming the attribute), dateTime values must parse, at most
///   one `primary: true` per multi-valued attribute;
/// - writeOnly or never-returned attributes (`password`) are refused: they never go into a stored resource
///   (the SCIM Users endpoint takes the password out first and keeps only a hash);
/// - an extension listed in `schemas` or present must have its required attributes (and a present complex
///   value its required sub-attributes);
/// - attributes and extension schemas it does not know are kept as sent (nothing a writer sent is lost; a
///   strict tenant refuses them afterwards, scim/unknown_attributes.hpp).
/// `schemas` must list `schema.core().id`; the result lists the core URN, the extension URNs present, and any
/// other URNs the input listed. Canonical input comes back unchanged.
boost::system::result<nlohmann::json, invalid_resource> canonicalize(const nlohmann::json& input,
                                                                     const resource_schema& schema,
                                                                     const canonical_options& options = {});

/// canonicalize, consuming `input`: its values move into the result instead of being copied (what the
/// writers that own the resource use). `input` is left valid but unspecified, on success and on error.
boost::system::result<nlohmann::json, invalid_resource> canonicalize(nlohmann::json&& input,
                                                                     const resource_schema& schema,
                                                                     const canonical_options& options = {});

}  // namespace dirsync::resource
