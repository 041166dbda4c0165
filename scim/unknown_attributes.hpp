#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "resource/schema.hpp"
#include "scim/error.hpp"

namespace dirsync::scim {

// The strict_schema rule, in one place. A lenient tenant (the default) keeps whatever a client sends that
// the schemas do not declare, so nothing an IdP sends is lost; a strict tenant refuses it. Records written
// while a tenant was lenient stay writable when it turns strict: only what a write adds is refused.

/// Something a resource holds that its resource type's schemas do not declare.
struct unknown_attribute {
    std::string path;  ///< as a client writes it: "nickName", "name.suffix", "urn:...:User:badge", a URN
    bool schema =
        false;  ///< true when `path` is a resource::schema URN (listed in `schemas`, or a key with a URN)
};

/// What `resource` holds that `schemas` does not declare, in key order: URNs listed in `schemas` that
/// name no schema of the resource type; top-level keys that are neither a core attribute nor a known
/// extension's URN (an unknown URN key is reported as a schema); attributes of a known extension's object
/// that the extension lacks; sub-attributes of a known complex attribute (each value of a multi-valued one)
/// that it lacks. `resource` is canonical (canonicalize_resource's result: the schema's spelling). Entra's
/// data-less group marker "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group" in
/// `schemas` is not reported: Entra lists it on every group and nothing can declare it.
std::vector<unknown_attribute> unknown_attributes(const nlohmann::json& resource,
                                                  const resource::resource_schema& schemas);

/// For a strict tenant's POST/PUT/PATCH: 400 invalidValue naming the first of unknown_attributes(`resource`)
/// that `stored` (the resource as stored before this write; nullptr on create) does not hold already
/// (compared ASCII case-insensitively); nullopt when there is none.
std::optional<error> refuse_unknown_attributes(const nlohmann::json& resource, const nlohmann::json* stored,
                                               const resource::resource_schema& schemas);

/// For a strict tenant's PATCH: 400 invalidValue when an operation's `path` names a schema URN, attribute or
/// sub-attribute that `schemas` does not declare (`remove` included; a value filter's own attribute names
/// are not checked). Operations or paths that do not parse are left to the PATCH engine, which explains
/// them; so is a request that is not a PatchOp. Path-less values are checked on the result, with
/// refuse_unknown_attributes.
std::optional<error> refuse_unknown_paths(const nlohmann::json& patch_request,
                                          const resource::resource_schema& schemas);

}  // namespace dirsync::scim
