#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "resource/resource_type.hpp"
#include "resource/schema.hpp"
#include "resource/service_schemas.hpp"
#include "scim/service.hpp"

namespace dirsync::scim {

/// Schema URN of the RFC 7643 §5 ServiceProviderConfig resource.
inline constexpr std::string_view service_provider_config_urn =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
/// Schema URN of an RFC 7643 §6 ResourceType resource.
inline constexpr std::string_view resource_type_urn = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/// Schema URN of an RFC 7643 §7 Schema resource.
inline constexpr std::string_view schema_definition_urn = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// The /ServiceProviderConfig resource (RFC 7643 §5), true to what the service does: patch, filter
/// (maxResults = settings.max_page_size), sort and etag supported; changePassword not; bulk supported when
/// settings.bulk.max_operations > 0, with its limits; one authentication scheme, oauthbearertoken; meta with
/// resourceType and location `<base_url>/ServiceProviderConfig`.
nlohmann::json service_provider_config_document(const service_settings& settings, std::string_view base_url);

/// The /ResourceTypes/{name} resource (RFC 7643 §6): id and name, endpoint, description, schema (the core
/// URN), schemaExtensions (every extension of the resource_schema, required false; absent when none), meta.
nlohmann::json resource_type_document(const resource::resource_type& type, std::string_view base_url);

/// The /Schemas/{id} resource (RFC 7643 §7): the schema's to_json() plus `schemas` and `meta`. The common
/// attributes (id, externalId, meta, schemas) are left out of a resource type's core schema (a core schema
/// of `served`), as RFC 7643 §7 asks. Every attribute and sub-attribute carries all characteristics:
/// caseExact and uniqueness, which to_json leaves out where they do not apply, are given their RFC 7643 §2.2
/// defaults (false, "none").
nlohmann::json schema_document(
    const resource::schema& s, std::string_view base_url,
    const resource::service_schemas& served = *resource::default_service_schemas());

/// The built-in schemas, each once (default_service_schemas()->served()).
std::vector<const resource::schema*> served_schemas();

/// The built-in schema whose id is `urn` (ASCII case-insensitive); nullptr when none.
const resource::schema* find_served_schema(std::string_view urn);

}  // namespace dirsync::scim
