#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "resource/schema.hpp"

namespace dirsync::fuzz {

/// A User as the service renders it: every core attribute kind (strings, booleans, dateTimes, complex and
/// multi-valued values with `primary`), the enterprise extension with a manager reference, an unknown
/// attribute and the acme extension (unknown to user_resource_schema(), declared by acme_user_schema()).
/// The fuzzers evaluate filters against it and patch it.
inline const nlohmann::json& sample_user() {
    static const nlohmann::json user = nlohmann::json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                  "urn:example:params:scim:schemas:extension:acme:1.0:User"],
      "id": "2819c223-7f76-453a-919d-413861904646",
      "externalId": "bjensen",
      "userName": "bjensen@example.com",
      "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "Jensen", "givenName": "Barbara",
               "middleName": "Jane", "honorificPrefix": "Ms.", "honorificSuffix": "III"},
      "displayName": "Babs Jensen",
      "nickName": "Babs",
      "profileUrl": "https://login.example.com/bjensen",
      "title": "Tour Guide",
      "userType": "Employee",
      "preferredLanguage": "en-US",
      "locale": "en-US",
      "timezone": "America/Los_Angeles",
      "active": true,
      "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                 {"value": "babs@jensen.org", "type": "home"}],
      "phoneNumbers": [{"value": "555-555-5555", "type": "work"},
                       {"value": "555-555-4444", "type": "mobile"}],
      "ims": [{"value": "someaimhandle", "type": "aim"}],
      "photos": [{"value": "https://photos.example.com/profilephoto/72930000000Ccne/F", "type": "photo"}],
      "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
                     "region": "CA", "postalCode": "91608", "country": "USA", "primary": true}],
      "groups": [{"value": "e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Tour Guides",
                  "$ref": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a"}],
      "entitlements": [{"value": "premium"}],
      "roles": [{"value": "guide", "primary": true}],
      "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"}],
      "favoriteColor": "green",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "employeeNumber": "701984", "costCenter": "4130", "organization": "Universal Studios",
        "division": "Theme Park", "department": "Tour Operations",
        "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d",
                    "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}},
      "urn:example:params:scim:schemas:extension:acme:1.0:User": {
        "badge": 42, "onSite": true, "score": 9.5, "hireDate": "2008-01-23T04:56:22.250-08:00",
        "photo": "aGVsbG8=", "homepage": "https://acme.example/bjensen", "tags": ["guide", "senior"],
        "sponsor": {"value": "26118915", "since": "2009-01-01T00:00:00Z", "display": "John Smith"}},
      "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z",
               "lastModified": "2011-05-13T04:42:34.125+02:00",
               "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
               "version": "W/\"3\""}
    })");
    return user;
}

/// URN of the extension that sample_user() carries and acme_user_schema() declares.
inline constexpr std::string_view acme_urn = "urn:example:params:scim:schemas:extension:acme:1.0:User";

/// Core User, Enterprise User and an admin-declared extension (acme_urn) holding one attribute of every type
/// the built-in schemas lack (integer, decimal, dateTime, binary, a multi-valued simple attribute, a complex
/// attribute with a readOnly sub-attribute), so the fuzzers reach every conversion and comparison.
inline const resource::resource_schema& acme_user_schema() {
    static const resource::resource_schema schema = [] {
        auto simple = [](std::string name, resource::attribute_type type) {
            resource::attribute a;
            a.name = std::move(name);
            a.type = type;
            return a;
        };
        resource::schema acme;
        acme.id = std::string(acme_urn);
        acme.name = "AcmeUser";
        acme.attributes.push_back(simple("badge", resource::attribute_type::integer));
        acme.attributes.push_back(simple("onSite", resource::attribute_type::boolean));
        acme.attributes.push_back(simple("score", resource::attribute_type::decimal));
        acme.attributes.push_back(simple("hireDate", resource::attribute_type::date_time));
        acme.attributes.push_back(simple("photo", resource::attribute_type::binary));
        acme.attributes.push_back(simple("homepage", resource::attribute_type::reference));
        resource::attribute tags = simple("tags", resource::attribute_type::string);
        tags.multi_valued = true;
        acme.attributes.push_back(std::move(tags));
        resource::attribute sponsor = simple("sponsor", resource::attribute_type::complex);
        sponsor.sub_attributes.push_back(simple("value", resource::attribute_type::string));
        sponsor.sub_attributes.push_back(simple("since", resource::attribute_type::date_time));
        resource::attribute display = simple("display", resource::attribute_type::string);
        display.mutability = resource::mutability::read_only;
        sponsor.sub_attributes.push_back(std::move(display));
        acme.attributes.push_back(std::move(sponsor));
        return resource::resource_schema{resource::core_user_schema(),
                                         {resource::enterprise_user_schema(), std::move(acme)}};
    }();
    return schema;
}

/// A Group with members of both kinds, as the PATCH fuzzer's second resource.
inline const nlohmann::json& sample_group() {
    static const nlohmann::json group = nlohmann::json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
      "externalId": "tour-guides",
      "displayName": "Tour Guides",
      "members": [{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen",
                   "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
                   "type": "User"},
                  {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge"},
                  {"value": "fc348aa8-3835-40eb-a20b-c726e15c55b5", "type": "Group"}],
      "meta": {"resourceType": "Group", "created": "2010-01-23T04:56:22Z",
               "lastModified": "2011-05-13T04:42:34Z", "version": "W/\"7\""}
    })");
    return group;
}

}  // namespace dirsync::fuzz
