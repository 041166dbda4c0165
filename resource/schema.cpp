#include "resource/schema.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "common/ascii.hpp"

namespace dirsync::resource {

std::string_view to_string(attribute_type t) noexcept {
    switch (t) {
        case attribute_type::string:
            return "string";
        case attribute_type::boolean:
            return "boolean";
        case attribute_type::decimal:
            return "decimal";
        case attribute_type::integer:
            return "integer";
        case attribute_type::date_time:
            return "dateTime";
        case attribute_type::binary:
            return "binary";
        case attribute_type::reference:
            return "reference";
        case attribute_type::complex:
            return "complex";
    }
    return "string";
}

std::string_view to_string(mutability m) noexcept {
    switch (m) {
        case mutability::read_only:
            return "readOnly";
        case mutability::read_write:
            return "readWrite";
        case mutability::immutable:
            return "immutable";
        case mutability::write_only:
            return "writeOnly";
    }
    return "readWrite";
}

std::string_view to_string(returned r) noexcept {
    switch (r) {
        case returned::always:
            return "always";
        case returned::never:
            return "never";
        case returned::default_:
            return "default";
        case returned::request:
            return "request";
    }
    return "default";
}

std::string_view to_string(uniqueness u) noexcept {
    switch (u) {
        case uniqueness::none:
            return "none";
        case uniqueness::server:
            return "server";
        case uniqueness::global:
            return "global";
    }
    return "none";
}

const attribute* attribute::find_sub_attribute(std::string_view sub_name) const noexcept {
    for (const auto& a : sub_attributes)
        if (common::iequals_ascii(a.name, sub_name)) return &a;
    return nullptr;
}

const attribute* schema::find_attribute(std::string_view attribute_name) const noexcept {
    for (const auto& a : attributes)
        if (common::iequals_ascii(a.name, attribute_name)) return &a;
    return nullptr;
}

resource_schema::resource_schema(schema core, std::vector<schema> extensions)
    : core_(std::move(core)), extensions_(std::move(extensions)) {}

const schema* resource_schema::find_schema(std::string_view urn) const noexcept {
    if (common::iequals_ascii(core_.id, urn)) return &core_;
    for (const auto& e : extensions_)
        if (common::iequals_ascii(e.id, urn)) return &e;
    return nullptr;
}

attribute_lookup resource_schema::find(std::string_view schema_urn, std::string_view attribute_name,
                                       std::string_view sub_attribute) const noexcept {
    attribute_lookup out;
    if (schema_urn.empty()) {
        if (const attribute* a = core_.find_attribute(attribute_name)) {
            out.owner = &core_;
            out.top = a;
        } else {
            for (const auto& e : extensions_) {
                if (const attribute* x = e.find_attribute(attribute_name)) {
                    out.owner = &e;
                    out.top = x;
                    break;
                }
            }
        }
    } else if (const schema* s = find_schema(schema_urn)) {
        if (const attribute* a = s->find_attribute(attribute_name)) {
            out.owner = s;
            out.top = a;
        }
    }
    if (out.top == nullptr) return out;
    out.leaf = sub_attribute.empty() ? out.top : out.top->find_sub_attribute(sub_attribute);
    return out;
}

bool is_common_attribute(std::string_view attribute_name) noexcept {
    return common::iequals_ascii(attribute_name, "id") ||
           common::iequals_ascii(attribute_name, "externalId") ||
           common::iequals_ascii(attribute_name, "meta") || common::iequals_ascii(attribute_name, "schemas");
}

namespace {

// Terse builders for the built-in definitions below. Defaults follow RFC 7643 §7: string, single-valued,
// optional, caseExact false, readWrite, returned default, uniqueness none.

attribute simple(std::string name, std::string description, attribute_type type = attribute_type::string) {
    attribute a;
    a.name = std::move(name);
    a.description = std::move(description);
    a.type = type;
    return a;
}

attribute with_mutability(attribute a, mutability m) {
    a.mutability = m;
    return a;
}

attribute reference(std::string name, std::string description, std::vector<std::string> reference_types) {
    attribute a = simple(std::move(name), std::move(description), attribute_type::reference);
    a.reference_types = std::move(reference_types);
    return a;
}

attribute complex(std::string name, std::string description, bool multi_valued, std::vector<attribute> subs) {
    attribute a = simple(std::move(name), std::move(description), attribute_type::complex);
    a.multi_valued = multi_valued;
    a.sub_attributes = std::move(subs);
    return a;
}

attribute type_attribute(std::string description, std::vector<std::string> canonical) {
    attribute a = simple("type", std::move(description));
    a.canonical_values = std::move(canonical);
    return a;
}

attribute primary_attribute(std::string description) {
    return simple("primary", std::move(description), attribute_type::boolean);
}

/// The RFC 7643 §2.4 sub-attributes value/display/type/primary of a multi-valued attribute.
attribute multi_valued(std::string name, std::string description, attribute value,
                       std::vector<std::string> canonical_types) {
    std::vector<attribute> subs;
    subs.push_back(std::move(value));
    subs.push_back(simple("display", "A human-readable name, primarily used for display purposes."));
    subs.push_back(
        type_attribute("A label indicating the attribute's function.", std::move(canonical_types)));
    subs.push_back(
        primary_attribute("A Boolean value indicating the 'primary' or preferred attribute value for "
                          "this attribute. The primary attribute value 'true' MUST appear no more "
                          "than once."));
    return complex(std::move(name), std::move(description), true, std::move(subs));
}

/// RFC 7643 §3.1 common attributes, included in each built-in core schema.
void add_common_attributes(std::vector<attribute>& attrs) {
    attribute schemas =
        simple("schemas", "The schema URIs the resource conforms to.", attribute_type::reference);
    schemas.multi_valued = true;
    schemas.required = true;
    schemas.reference_types = {"uri"};
    schemas.returned = returned::always;
    attrs.push_back(std::move(schemas));

    attribute id =
        simple("id", "A unique identifier for a SCIM resource as defined by the service provider.");
    id.case_exact = true;
    id.mutability = mutability::read_only;
    id.returned = returned::always;
    id.uniqueness = uniqueness::server;
    attrs.push_back(std::move(id));

    attribute external_id = simple("externalId",
                                   "A String that is an identifier for the resource as defined by "
                                   "the provisioning client.");
    external_id.case_exact = true;
    attrs.push_back(std::move(external_id));

    attribute resource_type = simple("resourceType", "The name of the resource type of the resource.");
    resource_type.case_exact = true;
    resource_type.mutability = mutability::read_only;
    attribute created = simple("created", "The DateTime that the resource was added to the service provider.",
                               attribute_type::date_time);
    created.mutability = mutability::read_only;
    attribute last_modified =
        simple("lastModified",
               "The most recent DateTime that the details of this resource were updated at the "
               "service provider.",
               attribute_type::date_time);
    last_modified.mutability = mutability::read_only;
    attribute location = reference("location", "The URI of the resource being returned.", {"uri"});
    location.case_exact = true;
    location.mutability = mutability::read_only;
    attribute version = simple("version", "The version of the resource being returned.");
    version.case_exact = true;
    version.mutability = mutability::read_only;
    attribute meta = complex("meta", "A complex attribute containing resource metadata.", false,
                             {std::move(resource_type), std::move(created), std::move(last_modified),
                              std::move(location), std::move(version)});
    meta.mutability = mutability::read_only;
    attrs.push_back(std::move(meta));
}

schema make_core_user() {
    schema s;
    s.id = std::string(core_user_urn);
    s.name = "User";
    s.description = "User Account";
    auto& a = s.attributes;
    add_common_attributes(a);

    attribute user_name = simple("userName",
                                 "Unique identifier for the User, typically used by the user to "
                                 "directly authenticate to the service provider.");
    user_name.required = true;
    user_name.uniqueness = uniqueness::server;
    a.push_back(std::move(user_name));

    a.push_back(
        complex("name", "The components of the user's real name.", false,
                {simple("formatted",
                        "The full name, including all middle names, titles, and suffixes as appropriate, "
                        "formatted for display."),
                 simple("familyName", "The family name of the User, or last name in most Western languages."),
                 simple("givenName", "The given name of the User, or first name in most Western languages."),
                 simple("middleName", "The middle name(s) of the User."),
                 simple("honorificPrefix",
                        "The honorific prefix(es) of the User, or title in most Western languages."),
                 simple("honorificSuffix",
                        "The honorific suffix(es) of the User, or suffix in most Western languages.")}));
    a.push_back(simple("displayName", "The name of the User, suitable for display to end-users."));
    a.push_back(simple("nickName", "The casual way to address the user in real life."));
    a.push_back(reference("profileUrl",
                          "A fully qualified URL pointing to a page representing the User's online "
                          "profile.",
                          {"external"}));
    a.push_back(simple("title", "The user's title, such as \"Vice President.\""));
    a.push_back(
        simple("userType", "Used to identify the relationship between the organization and the user."));
    a.push_back(simple("preferredLanguage", "Indicates the User's preferred written or spoken language."));
    a.push_back(simple("locale",
                       "Used to indicate the User's default location for purposes of localizing items "
                       "such as currency, date time format, or numerical representations."));
    a.push_back(simple("timezone",
                       "The User's time zone in the 'Olson' time zone database format, e.g., "
                       "'America/Los_Angeles'."));
    a.push_back(simple("active", "A Boolean value indicating the User's administrative status.",
                       attribute_type::boolean));

    attribute password = simple("password",
                                "The User's cleartext password, used to set or change it; never "
                                "returned.");
    password.mutability = mutability::write_only;
    password.returned = returned::never;
    a.push_back(std::move(password));

    a.push_back(multi_valued("emails", "Email addresses for the user.",
                             simple("value",
                                    "Email addresses for the user. The value SHOULD be canonicalized by "
                                    "the service provider, e.g., 'bjensen@example.com'."),
                             {"work", "home", "other"}));
    a.push_back(multi_valued("phoneNumbers", "Phone numbers for the User.",
                             simple("value", "Phone number of the User."),
                             {"work", "home", "mobile", "fax", "pager", "other"}));
    a.push_back(multi_valued("ims", "Instant messaging addresses for the User.",
                             simple("value", "Instant messaging address for the User."),
                             {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"}));
    a.push_back(multi_valued("photos", "URLs of photos of the User.",
                             reference("value", "URL of a photo of the User.", {"external"}),
                             {"photo", "thumbnail"}));

    attribute addresses = complex(
        "addresses", "A physical mailing address for this User.", true,
        {simple("formatted", "The full mailing address, formatted for display or use with a mailing label."),
         simple("streetAddress",
                "The full street address component, which may include house number, street "
                "name, P.O. box, and multi-line extended street address information."),
         simple("locality", "The city or locality component."),
         simple("region", "The state or region component."),
         simple("postalCode", "The zip code or postal code component."),
         simple("country", "The country name component."),
         type_attribute("A label indicating the attribute's function, e.g., 'work' or 'home'.",
                        {"work", "home", "other"}),
         primary_attribute("A Boolean value indicating the 'primary' or preferred address.")});
    a.push_back(std::move(addresses));

    attribute groups = complex(
        "groups",
        "A list of groups to which the user belongs, either through direct membership, through nested "
        "groups, or dynamically calculated.",
        true,
        {with_mutability(simple("value", "The identifier of the User's group."), mutability::read_only),
         with_mutability(reference("$ref",
                                   "The URI of the corresponding 'Group' resource to which the user "
                                   "belongs.",
                                   {"User", "Group"}),
                         mutability::read_only),
         with_mutability(simple("display", "A human-readable name, primarily used for display purposes."),
                         mutability::read_only),
         with_mutability(type_attribute("A label indicating the attribute's function, e.g., 'direct' or "
                                        "'indirect'.",
                                        {"direct", "indirect"}),
                         mutability::read_only)});
    groups.mutability = mutability::read_only;
    a.push_back(std::move(groups));

    a.push_back(multi_valued("entitlements",
                             "A list of entitlements for the User that represent a thing the User "
                             "has.",
                             simple("value", "The value of an entitlement."), {}));
    a.push_back(multi_valued("roles",
                             "A list of roles for the User that collectively represent who the User is, "
                             "e.g., 'Student', 'Faculty'.",
                             simple("value", "The value of a role."), {}));
    attribute certificate = simple("value", "The value of an X.509 certificate.", attribute_type::binary);
    certificate.case_exact = true;  // RFC 7643 §2.3.6, errata 6000
    a.push_back(multi_valued("x509Certificates", "A list of certificates issued to the User.",
                             std::move(certificate), {}));
    return s;
}

schema make_core_group() {
    schema s;
    s.id = std::string(core_group_urn);
    s.name = "Group";
    s.description = "Group";
    auto& a = s.attributes;
    add_common_attributes(a);
    attribute display_name = simple("displayName", "A human-readable name for the Group.");
    display_name.required = true;
    a.push_back(std::move(display_name));
    a.push_back(complex(
        "members", "A list of members of the Group.", true,
        {with_mutability(simple("value", "Identifier of the member of this Group."), mutability::immutable),
         with_mutability(reference("$ref",
                                   "The URI corresponding to a SCIM resource that is a member of this "
                                   "Group.",
                                   {"User", "Group"}),
                         mutability::immutable),
         with_mutability(simple("display", "A human-readable name, primarily used for display purposes."),
                         mutability::read_only),
         with_mutability(type_attribute("A label indicating the type of resource, e.g., 'User' or 'Group'.",
                                        {"User", "Group"}),
                         mutability::immutable)}));
    return s;
}

schema make_enterprise_user() {
    schema s;
    s.id = std::string(enterprise_user_urn);
    s.name = "EnterpriseUser";
    s.description = "Enterprise User";
    auto& a = s.attributes;
    a.push_back(simple("employeeNumber",
                       "Numeric or alphanumeric identifier assigned to a person, typically "
                       "based on order of hire or association with an organization."));
    a.push_back(simple("costCenter", "Identifies the name of a cost center."));
    a.push_back(simple("organization", "Identifies the name of an organization."));
    a.push_back(simple("division", "Identifies the name of a division."));
    a.push_back(simple("department", "Identifies the name of a department."));
    a.push_back(
        complex("manager", "The User's manager.", false,
                {simple("value", "The id of the SCIM resource representing the User's manager."),
                 reference("$ref", "The URI of the SCIM resource representing the User's manager.", {"User"}),
                 with_mutability(simple("displayName", "The displayName of the User's manager."),
                                 mutability::read_only)}));
    return s;
}

schema make_directory_user() {
    schema s;
    s.id = std::string(directory_user_urn);
    s.name = "DirectoryUser";
    s.description = "What dirsyncd's directory holds about the user beside its resource (read-only)";
    auto status =
        with_mutability(simple("status",
                               "The user's status in the tenant: active, disabled, provisioned, "
                               "pending_invite, orphan, requested (waiting for a seat) or disconnected."),
                        mutability::read_only);
    status.case_exact = true;
    s.attributes.push_back(std::move(status));
    auto roles = with_mutability(
        simple("roles",
               "The roles the tenant's directory assigns the user (admin, user, service_account, "
               "query_user, custom roles); apart from the core roles an identity provider sends."),
        mutability::read_only);
    roles.multi_valued = true;
    roles.case_exact = true;
    s.attributes.push_back(std::move(roles));
    return s;
}

}  // namespace

const schema& directory_user_schema() {
    static const schema s = make_directory_user();
    return s;
}

const schema& core_user_schema() {
    static const schema s = make_core_user();
    return s;
}

const schema& core_group_schema() {
    static const schema s = make_core_group();
    return s;
}

const schema& enterprise_user_schema() {
    static const schema s = make_enterprise_user();
    return s;
}

const resource_schema& user_resource_schema() {
    static const resource_schema r{core_user_schema(), {enterprise_user_schema(), directory_user_schema()}};
    return r;
}

const resource_schema& group_resource_schema() {
    static const resource_schema r{core_group_schema()};
    return r;
}

void to_json(nlohmann::json& out, const attribute& a) {
    out = nlohmann::json::object();
    out["name"] = a.name;
    out["type"] = std::string(to_string(a.type));
    out["multiValued"] = a.multi_valued;
    out["description"] = a.description;
    out["required"] = a.required;
    if (a.type != attribute_type::complex) out["caseExact"] = a.case_exact;
    if (!a.canonical_values.empty()) out["canonicalValues"] = a.canonical_values;
    out["mutability"] = std::string(to_string(a.mutability));
    out["returned"] = std::string(to_string(a.returned));
    if (a.type != attribute_type::complex && a.type != attribute_type::boolean &&
        a.type != attribute_type::binary)
        out["uniqueness"] = std::string(to_string(a.uniqueness));
    if (!a.reference_types.empty()) out["referenceTypes"] = a.reference_types;
    if (!a.sub_attributes.empty()) {
        nlohmann::json subs = nlohmann::json::array();
        for (const auto& sub : a.sub_attributes) subs.push_back(sub);
        out["subAttributes"] = std::move(subs);
    }
}

void to_json(nlohmann::json& out, const schema& s) {
    out = nlohmann::json::object();
    out["id"] = s.id;
    out["name"] = s.name;
    out["description"] = s.description;
    nlohmann::json attrs = nlohmann::json::array();
    for (const auto& a : s.attributes) attrs.push_back(a);
    out["attributes"] = std::move(attrs);
}

bool is_attribute_name(std::string_view name) noexcept {
    const auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (name.empty() || !alpha(name.front())) return false;
    for (char c : name)
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_') return false;
    return true;
}

}  // namespace dirsync::resource
