#include <gtest/gtest.h>

#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "common/ascii.hpp"
#include "common/casefold.hpp"
#include "resource/json_lookup.hpp"
#include "resource/schema.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

/// RFC 7643 §8.3-style full user with the enterprise extension, plus attributes the schema does not know.
const json& sample_user() {
    static const json user = json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      "id": "2819c223-7f76-453a-919d-413861904646",
      "externalId": "bjensen-EXT",
      "userName": "BJensen@example.com",
      "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "O'Malley", "givenName": "Barbara",
               "middleName": "Jane", "honorificPrefix": "Ms.", "honorificSuffix": "III"},
      "displayName": "Babs Jensen",
      "nickName": "",
      "profileUrl": "https://login.example.com/bjensen",
      "title": "Tour Guide",
      "userType": "Employee",
      "preferredLanguage": "en-US",
      "locale": "en-US",
      "timezone": "America/Los_Angeles",
      "active": true,
      "password": "t1meMa$heen",
      "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                 {"value": "babs@jensen.org", "type": "home"}],
      "phoneNumbers": [{"value": "555-555-5555", "type": "work"},
                       {"value": "555-555-4444", "type": "mobile"}],
      "ims": [{"value": "someaimhandle", "type": "aim"}],
      "photos": [{"value": "https://photos.example.com/profilephoto/72930000000Ccne/F", "type": "photo"}],
      "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
                     "region": "CA", "postalCode": "91608", "country": "USA", "primary": true}],
      "groups": [{"value": "e9e30dba-f08f-4109-8486-d5c6a331660a",
                  "$ref": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a",
                  "display": "Tour Guides"}],
      "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJ"}],
      "roles": [],
      "entitlements": null,
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "employeeNumber": "701984", "costCenter": "4130", "organization": "Universal Studios",
        "division": "Theme Park", "department": "Tour Operations",
        "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d",
                    "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}},
      "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z",
               "lastModified": "2011-05-13T04:42:34Z",
               "version": "W/\"3694e05e9dff591\"",
               "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"},
      "customText": "Hello World",
      "customNumber": 42,
      "customRatio": 0.75,
      "customFlag": false,
      "customFlagText": "True",
      "customNull": null,
      "customTags": ["alpha", "Beta"],
      "customObject": {"k": "v"}
    })");
    return user;
}

/// A user as Entra sends it: "active" as a string, keys in odd case, no enterprise extension.
const json& entra_user() {
    static const json user = json::parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
      "id": "e1",
      "ExternalId": "0a21f0f2-8d2a-4f8e-bf98-7b2bfff39c31",
      "UserName": "test_user_dac9c9ce-9ae0-4b8d-8b4f-1b4d7b0c3a2e@contoso.com",
      "Active": "True",
      "Emails": [{"Primary": "true", "Type": "work", "Value": "Test.User@contoso.com"}],
      "Name": {"GivenName": "Test", "FamilyName": "User"},
      "meta": {"created": "2024-03-01T10:00:00+02:00", "lastModified": "2024-03-01T08:00:00.500Z"}
    })");
    return user;
}

// -----------------------------------------------------------------------------------------------------------
// Sample user, core + enterprise schema
// -----------------------------------------------------------------------------------------------------------

struct eval_case {
    std::string filter;
    bool expected;
};

std::ostream& operator<<(std::ostream& os, const eval_case& c) { return os << c.filter; }

bool evaluate(std::string_view text, const json& resource, const resource::resource_schema& schema) {
    const auto f = parse_filter(text);
    if (!f) {
        ADD_FAILURE() << text << ": " << f.error().message;
        return false;
    }
    return matches(*f, resource, schema);
}

const std::vector<eval_case> user_cases = {
    // RFC 7644 §3.4.2.2 examples.
    {R"(userName eq "bjensen@example.com")", true},
    {R"(name.familyName co "O'Malley")", true},
    {R"(userName sw "J")", false},
    {R"(userName sw "bj")", true},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "BJ")", true},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O'Malley")", true},
    {R"(title pr)", true},
    {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", false},
    {R"(meta.lastModified gt "2011-05-13T04:42:33Z")", true},
    {R"(meta.lastModified ge "2011-05-13T04:42:34Z")", true},
    {R"(meta.lastModified lt "2011-05-13T04:42:34Z")", false},
    {R"(meta.lastModified le "2011-05-13T04:42:34Z")", true},
    {R"(title pr and userType eq "Employee")", true},
    {R"(title pr or userType eq "Intern")", true},
    {R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")", true},
    {R"(schemas eq "urn:example:other")", false},
    {R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))", true},
    {R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))", false},
    {R"(userType eq "Employee" and (emails.type eq "work"))", true},
    {R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])", true},
    {R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
     true},
    {R"(emails[type eq "home" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
     false},
    // eq / ne on strings: case-insensitive unless caseExact.
    {R"(userName eq "BJENSEN@EXAMPLE.COM")", true},
    {R"(UserName eq "bjensen@example.com")", true},
    {R"(USERNAME EQ "bjensen@example.com")", true},
    {R"(userName eq "bjensen")", false},
    {R"(userName ne "bjensen")", true},
    {R"(userName ne "BJENSEN@example.com")", false},
    {R"(id eq "2819c223-7f76-453a-919d-413861904646")", true},
    {R"(id eq "2819C223-7F76-453A-919D-413861904646")", false},
    {R"(id ne "2819C223-7F76-453A-919D-413861904646")", true},
    {R"(externalId eq "bjensen-EXT")", true},
    {R"(externalId eq "bjensen-ext")", false},
    {R"(externalId co "EXT")", true},
    {R"(externalId co "ext")", false},
    {R"(externalId sw "bjensen")", true},
    {R"(displayName eq "babs jensen")", true},
    {R"(meta.resourceType eq "User")", true},
    {R"(meta.resourceType eq "user")", false},
    {R"(meta.version eq "W/\"3694e05e9dff591\"")", true},
    // co / sw / ew.
    {R"(displayName co "abs Jen")", true},
    {R"(displayName co "ABS JEN")", true},
    {R"(displayName co "xyz")", false},
    {R"(displayName co "")", true},
    {R"(displayName sw "babs")", true},
    {R"(displayName sw "Jensen")", false},
    {R"(displayName ew "JENSEN")", true},
    {R"(displayName ew "Babs")", false},
    {R"(name.givenName sw "bar")", true},
    {R"(name.formatted ew "iii")", true},
    // gt / ge / lt / le on strings: lexicographic, folded for caseExact false.
    {R"(title gt "Tour")", true},
    {R"(title gt "tour guide")", false},
    {R"(title ge "tour guide")", true},
    {R"(title lt "Zebra")", true},
    {R"(title lt "a")", false},
    {R"(title le "TOUR GUIDE")", true},
    {R"(title gt "tour guidf")", false},
    {R"(id gt "2")", true},
    {R"(id lt "3")", true},
    // Multi-valued: any value matches; complex values compare their "value".
    {R"(emails eq "babs@jensen.org")", true},
    {R"(emails eq "BABS@jensen.org")", true},
    {R"(emails co "jensen")", true},
    {R"(emails ew ".org")", true},
    {R"(emails sw "nobody")", false},
    {R"(emails.value eq "bjensen@example.com")", true},
    {R"(emails.type eq "work")", true},
    {R"(emails.type eq "Home")", true},
    {R"(emails.type eq "other")", false},
    {R"(emails.type ne "work")", false},
    {R"(emails.type ne "other")", true},
    {R"(emails.primary eq true)", true},
    {R"(emails.primary eq false)", false},
    {R"(phoneNumbers.value sw "555-555-44")", true},
    {R"(phoneNumbers[type eq "mobile" and value ew "4444"])", true},
    {R"(phoneNumbers[type eq "mobile" and value ew "5555"])", false},
    {R"(groups.display eq "tour guides")", true},
    {R"(groups eq "e9e30dba-f08f-4109-8486-d5c6a331660a")", true},
    {R"(groups.$ref co "/Groups/")", true},
    {R"(groups[$ref ew "d5c6a331660a"])", true},
    {R"(addresses.locality eq "hollywood")", true},
    {R"(addresses[type eq "work"].postalCode eq "91608")", true},
    {R"(addresses[type eq "home"].postalCode eq "91608")", false},
    {R"(x509Certificates.value eq "MIIDQzCCAqygAwIBAgICEAAwDQYJ")", true},
    {R"(x509Certificates.value eq "miidqzccaqygawibagiceaawdqyj")", false},
    {R"(x509Certificates.value sw "MIID")", true},
    {R"(x509Certificates.value gt "A")", false},
    {R"(photos.value co "profilephoto")", true},
    {R"(profileUrl co "LOGIN.example")", true},
    // Value paths.
    {R"(emails[type eq "work"])", true},
    {R"(emails[type eq "other"])", false},
    {R"(emails[type eq "work" and primary eq true])", true},
    {R"(emails[type eq "home" and primary eq true])", false},
    {R"(emails[type eq "home" or primary eq true])", true},
    {R"(emails[not (type eq "work")])", true},
    {R"(emails[not (type eq "work") and value co "example.com"])", false},
    {R"(emails[type eq "work" or (type eq "home" and value ew "@jensen.org")])", true},
    {R"(emails[(type eq "x" or type eq "home") and value ew "@jensen.org"])", true},
    {R"(emails[value pr])", true},
    {R"(emails[display pr])", false},
    {R"(emails[primary pr])", true},
    {R"(emails[Type EQ "WORK"])", true},
    {R"(emails[type eq "work"].value eq "bjensen@example.com")", true},
    {R"(emails[type eq "work"].value eq "babs@jensen.org")", false},
    {R"(emails[type eq "home"].value co "jensen.org")", true},
    {R"(emails[type eq "work"].value pr)", true},
    {R"(emails[type eq "work"].display pr)", false},
    {R"(emails[type eq "work"].value)", true},
    {R"(emails[type eq "work"].display)", false},
    {R"(emails[type eq "work"].value ne "x")", true},
    {R"(ims[type eq "aim"])", true},
    {R"(roles[value pr])", false},
    {R"(entitlements[value pr])", false},
    {R"(members[value pr])", false},
    {R"(name[givenName eq "Barbara"])", true},
    {R"(not (emails[type eq "other"]))", true},
    // pr.
    {R"(userName pr)", true},
    {R"(nickName pr)", false},
    {R"(name pr)", true},
    {R"(name.middleName pr)", true},
    {R"(name.nonexistent pr)", false},
    {R"(emails pr)", true},
    {R"(emails.display pr)", false},
    {R"(roles pr)", false},
    {R"(entitlements pr)", false},
    {R"(active pr)", true},
    {R"(meta.created pr)", true},
    {R"(meta pr)", true},
    {R"(nonexistent pr)", false},
    {R"(customNull pr)", false},
    {R"(customFlag pr)", true},
    {R"(customObject pr)", true},
    {R"(customTags pr)", true},
    {R"(not (nickName pr))", true},
    // eq null / ne null.
    {R"(nickName eq null)", true},
    {R"(nonexistent eq null)", true},
    {R"(title eq null)", false},
    {R"(title ne null)", true},
    {R"(nonexistent ne null)", false},
    {R"(customNull eq null)", true},
    {R"(roles eq null)", true},
    {R"(emails eq null)", false},
    {R"(title gt null)", false},
    {R"(title co null)", false},
    // Absent attributes: nothing matches except ne / not / eq null.
    {R"(nonexistent eq "x")", false},
    {R"(nonexistent ne "x")", true},
    {R"(nonexistent co "x")", false},
    {R"(nonexistent gt "x")", false},
    {R"(not (nonexistent eq "x"))", true},
    {R"(name.nonexistent ne "x")", true},
    {R"(urn:example:unknown:2.0:User:attr ne "x")", true},
    {R"(urn:example:unknown:2.0:User:attr eq "x")", false},
    // Booleans.
    {R"(active eq true)", true},
    {R"(active eq false)", false},
    {R"(active ne false)", true},
    {R"(active ne true)", false},
    {R"(active eq "true")", true},
    {R"(active eq "TRUE")", true},
    {R"(active eq "False")", false},
    {R"(active eq "yes")", false},
    {R"(active ne "yes")", false},
    {R"(active eq 1)", false},
    {R"(active gt false)", false},
    {R"(active co "t")", false},
    {R"(active sw "tr")", false},
    {R"(emails[primary eq "True"])", true},
    // Type mismatches never match (and never throw).
    {R"(userName eq 5)", false},
    {R"(userName ne 5)", false},
    {R"(userName gt 5)", false},
    {R"(userName eq true)", false},
    {R"(name eq "Barbara")", false},
    {R"(name co "Barbara")", false},
    {R"(meta.created eq 5)", false},
    {R"(meta.created eq true)", false},
    // dateTime: instants, offsets honoured.
    {R"(meta.created eq "2010-01-23T04:56:22Z")", true},
    {R"(meta.created eq "2010-01-23T04:56:22.000Z")", true},
    {R"(meta.created eq "2010-01-23T05:56:22+01:00")", true},
    {R"(meta.created eq "2010-01-22T23:56:22-05:00")", true},
    {R"(meta.created eq "2010-01-23T04:56:22+01:00")", false},
    {R"(meta.created ne "2010-01-23T05:56:22+01:00")", false},
    {R"(meta.created ne "2012-01-01T00:00:00Z")", true},
    {R"(meta.created lt "2010-01-23T04:56:22.001Z")", true},
    {R"(meta.created gt "2010-01-23T04:56:21.999Z")", true},
    {R"(meta.created gt "2010-01-23T06:00:00+02:00")", true},
    {R"(meta.created ge "2010-01-23T04:56:22Z" and meta.created le "2010-01-23T04:56:22Z")", true},
    {R"(meta.created gt "2010-01-24")", false},
    {R"(meta.created lt "not a date")", false},
    {R"(meta.created sw "2010-01")", true},
    {R"(meta.created co "T04:56")", true},
    {R"(meta.created ew "z")", true},
    {R"(meta.lastModified gt "2011-05-13T04:42:34Z" or meta.created lt "2011-01-01T00:00:00Z")", true},
    // Enterprise extension, qualified and not.
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")", true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701985")", false},
    {R"(URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:EMPLOYEENUMBER eq "701984")", true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department co "tour")", true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value )"
     R"(eq "26118915-6090-4610-87e4-49d8ca9f808d")",
     true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName eq "john smith")",
     true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager )"
     R"(eq "26118915-6090-4610-87e4-49d8ca9f808d")",
     true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr)", true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager[displayName sw "John"])", true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.$ref ew "49d8ca9f808d")", true},
    {R"(employeeNumber eq "701984")", true},
    {R"(manager.displayName eq "John Smith")", true},
    {R"(costCenter gt "4000")", true},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User:employeeNumber eq "701984")", false},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "bjensen@example.com")",
     false},
    // Attributes the schema does not know: compared by JSON type, strings case-insensitively.
    {R"(customText eq "hello world")", true},
    {R"(customText co "LO WO")", true},
    {R"(customText gt "hello")", true},
    {R"(customText eq 5)", false},
    {R"(customNumber eq 42)", true},
    {R"(customNumber eq 42.0)", true},
    {R"(customNumber gt 41.5)", true},
    {R"(customNumber lt 42)", false},
    {R"(customNumber le 42)", true},
    {R"(customNumber ne 43)", true},
    {R"(customNumber eq "42")", false},
    {R"(customNumber co "4")", false},
    {R"(customRatio lt 1)", true},
    {R"(customRatio eq 0.75)", true},
    {R"(customRatio ge 0.76)", false},
    {R"(customFlag eq false)", true},
    {R"(customFlag eq "false")", true},
    {R"(customFlag eq "yes")", false},
    {R"(customFlagText eq true)", true},
    {R"(customFlagText eq "true")", true},
    {R"(customTags eq "beta")", true},
    {R"(customTags eq "gamma")", false},
    {R"(customTags[value eq "ALPHA"])", true},
    {R"(customTags[value sw "g"])", false},
    {R"(customObject eq "v")", false},
    {R"(customObject.k eq "V")", true},
    // password is returned "never": filters cannot see it.
    {R"(password pr)", false},
    {R"(password eq "t1meMa$heen")", false},
    {R"(password sw "t")", false},
    {R"(password eq null)", true},
    // Logic.
    {R"(userName pr and title pr and active eq true)", true},
    {R"(userName pr and title pr and active eq false)", false},
    {R"(nickName pr or title pr)", true},
    {R"(nickName pr or nonexistent pr)", false},
    {R"(not (userName pr))", false},
    {R"(not (not (userName pr)))", true},
    {R"(nickName pr or title pr and active eq false)", false},
    {R"((nickName pr or title pr) and active eq true)", true},
    {R"(nickName pr and title pr or active eq true)", true},
    {R"(not (nickName pr) and not (nonexistent pr))", true},
    {R"(userName eq "x" or userName eq "y" or userName eq "bjensen@example.com")", true},
    {R"(userName eq "x" or userName eq "y" or userName eq "z")", false},
    {R"(title pr and (userType eq "Intern" or (userType eq "Employee" and active eq true)))", true},
};

class FilterEvalUser : public ::testing::TestWithParam<eval_case> {};

TEST_P(FilterEvalUser, Matches) {
    const auto& c = GetParam();
    EXPECT_EQ(evaluate(c.filter, sample_user(), resource::user_resource_schema()), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, FilterEvalUser, ::testing::ValuesIn(user_cases));

// -----------------------------------------------------------------------------------------------------------
// Entra-shaped user: string booleans, odd key case, offsets in dateTimes
// -----------------------------------------------------------------------------------------------------------

const std::vector<eval_case> entra_cases = {
    {R"(userName eq "test_user_dac9c9ce-9ae0-4b8d-8b4f-1b4d7b0c3a2e@contoso.com")", true},
    {R"(externalId eq "0a21f0f2-8d2a-4f8e-bf98-7b2bfff39c31")", true},
    {R"(externalId eq "0A21F0F2-8D2A-4F8E-BF98-7B2BFFF39C31")", false},
    {R"(active eq true)", true},
    {R"(active eq false)", false},
    {R"(active ne true)", false},
    {R"(active eq "True")", true},
    {R"(emails[type eq "work"].value eq "test.user@contoso.com")", true},
    {R"(emails[primary eq true])", true},
    {R"(emails.primary eq true)", true},
    {R"(name.givenName eq "test")", true},
    {R"(name.familyName sw "us")", true},
    {R"(meta.created eq "2024-03-01T08:00:00Z")", true},
    {R"(meta.created lt "2024-03-01T08:00:00.500Z")", true},
    {R"(meta.lastModified gt "2024-03-01T10:00:00+02:00")", true},
    {R"(meta.lastModified eq "2024-03-01T08:00:00.5Z")", true},
    {R"(displayName pr)", false},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr)", false},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber ne "1")", true},
};

class FilterEvalEntra : public ::testing::TestWithParam<eval_case> {};

TEST_P(FilterEvalEntra, Matches) {
    const auto& c = GetParam();
    EXPECT_EQ(evaluate(c.filter, entra_user(), resource::user_resource_schema()), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, FilterEvalEntra, ::testing::ValuesIn(entra_cases));

// -----------------------------------------------------------------------------------------------------------
// Typed attributes from an admin-declared extension (integer, decimal, binary, dateTime, caseExact strings)
// -----------------------------------------------------------------------------------------------------------

constexpr std::string_view custom_urn = "urn:example:params:scim:schemas:extension:custom:2.0:User";

const resource::resource_schema& custom_schema() {
    static const resource::resource_schema rs = [] {
        resource::schema ext;
        ext.id = std::string(custom_urn);
        ext.name = "CustomUser";
        const auto make = [](std::string name, resource::attribute_type type, bool multi = false,
                             bool exact = false) {
            resource::attribute a;
            a.name = std::move(name);
            a.type = type;
            a.multi_valued = multi;
            a.case_exact = exact;
            return a;
        };
        ext.attributes = {make("loginCount", resource::attribute_type::integer),
                          make("score", resource::attribute_type::decimal),
                          make("badge", resource::attribute_type::binary),
                          make("hiredAt", resource::attribute_type::date_time),
                          make("isContractor", resource::attribute_type::boolean),
                          make("tags", resource::attribute_type::string, true),
                          make("code", resource::attribute_type::string, false, true),
                          make("levels", resource::attribute_type::integer, true)};
        return resource::resource_schema{resource::core_user_schema(),
                                         {resource::enterprise_user_schema(), std::move(ext)}};
    }();
    return rs;
}

const json& custom_user() {
    static const json user = [] {
        json u = json::parse(R"({"userName": "carol", "active": false})");
        u[std::string(custom_urn)] = json::parse(R"({
          "loginCount": 17, "score": 4.5, "badge": "QUJD", "hiredAt": "2020-02-29T12:00:00+05:30",
          "isContractor": "FALSE", "tags": ["Red", "green"], "code": "AbC", "levels": [1, 5, 9],
          "big": 18446744073709551615})");
        return u;
    }();
    return user;
}

const std::vector<eval_case> custom_cases = {
    {R"(loginCount eq 17)", true},
    {R"(loginCount eq 17.0)", true},
    {R"(loginCount ne 17)", false},
    {R"(loginCount gt 16)", true},
    {R"(loginCount gt 17)", false},
    {R"(loginCount ge 17)", true},
    {R"(loginCount lt 17.5)", true},
    {R"(loginCount le 16.99)", false},
    {R"(loginCount gt -1)", true},
    {R"(loginCount eq "17")", false},
    {R"(loginCount co "1")", false},
    {R"(loginCount sw "1")", false},
    {R"(score eq 4.5)", true},
    {R"(score gt 4)", true},
    {R"(score lt 4.5)", false},
    {R"(score le 4.5)", true},
    {R"(score ge 4.51)", false},
    {R"(score ne 4)", true},
    {R"(badge eq "QUJD")", true},
    {R"(badge eq "qujd")", false},
    {R"(badge gt "A")", false},
    {R"(badge sw "QU")", true},
    {R"(hiredAt eq "2020-02-29T06:30:00Z")", true},
    {R"(hiredAt gt "2020-02-29T06:29:59Z")", true},
    {R"(hiredAt lt "2020-02-29T06:30:00Z")", false},
    {R"(hiredAt le "2020-02-29T12:00:00+05:30")", true},
    {R"(hiredAt ge "2020-03-01T00:00:00Z")", false},
    {R"(hiredAt sw "2020-02-29T12")", true},
    {R"(isContractor eq false)", true},
    {R"(isContractor eq true)", false},
    {R"(isContractor ne true)", true},
    {R"(isContractor eq "false")", true},
    {R"(tags eq "red")", true},
    {R"(tags eq "blue")", false},
    {R"(tags ne "blue")", true},
    {R"(tags ne "GREEN")", false},
    {R"(tags[value eq "green"])", true},
    {R"(code eq "AbC")", true},
    {R"(code eq "abc")", false},
    {R"(code ne "abc")", true},
    {R"(code co "bC")", true},
    {R"(code co "bc")", false},
    {R"(code gt "AbB")", true},
    {R"(levels eq 5)", true},
    {R"(levels gt 8)", true},
    {R"(levels gt 9)", false},
    {R"(levels lt 1)", false},
    {R"(levels ne 5)", false},
    {R"(levels ne 6)", true},
    {R"(urn:example:params:scim:schemas:extension:custom:2.0:User:loginCount eq 17)", true},
    {R"(urn:example:params:scim:schemas:extension:custom:2.0:User:big gt 9223372036854775807)", true},
    {R"(urn:example:params:scim:schemas:extension:custom:2.0:User:big eq 18446744073709551615)", true},
    {R"(urn:example:params:scim:schemas:extension:custom:2.0:User:big gt -5)", true},
    {R"(urn:example:params:scim:schemas:extension:custom:2.0:User:big lt 1.0e20)", true},
    {R"(active eq false)", true},
    {R"(userName eq "CAROL")", true},
};

class FilterEvalCustomSchema : public ::testing::TestWithParam<eval_case> {};

TEST_P(FilterEvalCustomSchema, Matches) {
    const auto& c = GetParam();
    EXPECT_EQ(evaluate(c.filter, custom_user(), custom_schema()), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, FilterEvalCustomSchema, ::testing::ValuesIn(custom_cases));

// -----------------------------------------------------------------------------------------------------------
// Groups and odd resources
// -----------------------------------------------------------------------------------------------------------

TEST(FilterEval, GroupMembers) {
    const json group = json::parse(R"({
      "id": "g1", "displayName": "Tour Guides",
      "members": [{"value": "u1", "$ref": "https://example.com/v2/Users/u1", "type": "User",
                   "display": "Babs"},
                  {"value": "u2", "type": "User"}]})");
    const auto& gs = resource::group_resource_schema();
    EXPECT_TRUE(evaluate(R"(displayName eq "tour guides")", group, gs));
    EXPECT_TRUE(evaluate(R"(members[value eq "u2"])", group, gs));
    EXPECT_TRUE(evaluate(R"(members eq "u1")", group, gs));
    EXPECT_TRUE(evaluate(R"(id eq "g1" and members[value eq "u1"])", group, gs));
    EXPECT_FALSE(evaluate(R"(members[value eq "u3"])", group, gs));
    EXPECT_TRUE(evaluate(R"(members[value eq "u1"].display eq "babs")", group, gs));
    EXPECT_FALSE(evaluate(R"(members[value eq "u2"].display pr)", group, gs));
    EXPECT_TRUE(evaluate(R"(members.$ref pr)", group, gs));
    EXPECT_FALSE(evaluate(R"(userName pr)", group, gs));
    EXPECT_TRUE(evaluate(R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName sw "tour")", group, gs));
}

TEST(FilterEval, EmptyFilterMatchesEverything) {
    EXPECT_TRUE(matches(filter{}, sample_user(), resource::user_resource_schema()));
    EXPECT_TRUE(matches(filter{}, json(42), resource::user_resource_schema()));
}

TEST(FilterEval, NonObjectResourcesNeverMatch) {
    const auto f = parse_filter("userName ne \"x\"");
    ASSERT_TRUE(f);
    for (const json& r : {json(nullptr), json(1), json("x"), json::array(), json::array({sample_user()})})
        EXPECT_FALSE(matches(*f, r, resource::user_resource_schema())) << r.dump();
    EXPECT_TRUE(matches(*f, json::object(), resource::user_resource_schema()));
}

TEST(FilterEval, MalformedResourceShapesDoNotThrow) {
    const json weird = json::parse(R"({
      "userName": ["a", "b"], "name": "not an object", "emails": {"value": "single@example.com"},
      "meta": [1, 2], "active": [true], "phoneNumbers": [[{"value": "x"}], null, 5, "loose"],
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "oops"})");
    const std::vector<std::string> filters = {
        R"(userName eq "b")",
        R"(name.givenName eq "x")",
        R"(emails eq "single@example.com")",
        R"(emails[value co "single"])",
        R"(meta.created gt "2020-01-01T00:00:00Z")",
        R"(active eq true)",
        R"(phoneNumbers.value eq "x")",
        R"(phoneNumbers eq "loose")",
        R"(phoneNumbers[value pr])",
        R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr)",
        R"(name pr)",
        R"(phoneNumbers pr)",
        R"(not (userName gt 3))"};
    for (const auto& text : filters) {
        const auto f = parse_filter(text);
        ASSERT_TRUE(f) << text;
        EXPECT_NO_THROW((void)matches(*f, weird, resource::user_resource_schema())) << text;
    }
    EXPECT_TRUE(evaluate(R"(userName eq "b")", weird, resource::user_resource_schema()));
    EXPECT_TRUE(evaluate(R"(emails[value co "single"])", weird, resource::user_resource_schema()));
    EXPECT_TRUE(evaluate(R"(emails eq "single@example.com")", weird, resource::user_resource_schema()));
    EXPECT_TRUE(evaluate(R"(phoneNumbers[value eq "loose"])", weird, resource::user_resource_schema()));
    EXPECT_FALSE(evaluate(R"(name.givenName eq "x")", weird, resource::user_resource_schema()));
    EXPECT_TRUE(evaluate(R"(active eq true)", weird, resource::user_resource_schema()));
}

TEST(FilterEval, LongOrChainEvaluatesIteratively) {
    std::string chain = R"(id eq "0")";
    for (int i = 1; i < 50000; ++i) chain += R"( or id eq ")" + std::to_string(i) + "\"";
    const auto f = parse_filter(chain, filter_limits{chain.size(), 32});
    ASSERT_TRUE(f);
    EXPECT_TRUE(matches(*f, json{{"id", "49999"}}, resource::user_resource_schema()));
    EXPECT_FALSE(matches(*f, json{{"id", "50000"}}, resource::user_resource_schema()));
}

TEST(FilterEval, MatchesValueForPatchPaths) {
    const auto f = parse_filter(R"(emails[type eq "work"].value)");
    ASSERT_TRUE(f);
    const auto& vp = std::get<value_path_node>(f->node(f->root()));
    const filter inner = f->subtree(vp.inner);
    const resource::attribute* emails = resource::core_user_schema().find_attribute("emails");
    ASSERT_NE(emails, nullptr);
    const auto& values = sample_user()["emails"];
    EXPECT_TRUE(matches_value(inner, values[0], emails));
    EXPECT_FALSE(matches_value(inner, values[1], emails));
    EXPECT_TRUE(matches_value(filter{}, values[1], emails));

    const auto members = parse_filter(R"(value eq "2819c223-7f76-453a-919d-413861904646")");
    ASSERT_TRUE(members);
    EXPECT_TRUE(matches_value(*members, json{{"value", "2819c223-7f76-453a-919d-413861904646"}},
                              resource::core_group_schema().find_attribute("members")));
    EXPECT_TRUE(matches_value(*members, json("2819c223-7f76-453a-919d-413861904646"), nullptr));
    EXPECT_FALSE(matches_value(*members, json{{"value", "2819c223-0000-453a-919d-413861904646"}},
                               resource::core_group_schema().find_attribute("members")));
    EXPECT_FALSE(matches_value(*members, json{{"display", "2819c223-7f76-453a-919d-413861904646"}},
                               resource::core_group_schema().find_attribute("members")));
}

// -----------------------------------------------------------------------------------------------------------
// validate_filter
// -----------------------------------------------------------------------------------------------------------

struct validate_case {
    std::string filter;
    bool strict;
    bool ok;
    std::size_t position = 0;
    std::string message_part = {};
};

std::ostream& operator<<(std::ostream& os, const validate_case& c) {
    return os << c.filter << (c.strict ? " (strict)" : "");
}

const std::vector<validate_case> validate_cases = {
    {R"(userName eq "bjensen")", true, true},
    {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", true, true},
    {R"(emails[type eq "work" and value co "@example.com"])", true, true},
    {R"(emails[type eq "work"].value eq "x")", true, true},
    {R"(emails[type eq "work"].value)", true, true},
    {R"(emails co "example.com")", true, true},
    {R"(active eq true)", true, true},
    {R"(active eq "True")", true, true},
    {R"(active ne false)", true, true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x")", true, true},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "x")", true, true},
    {R"(members[value eq "x"])", false, true},
    {R"(title eq null)", true, true},
    {R"(name eq null)", true, true},
    {R"(name pr)", true, true},
    {R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")", true, true},
    {R"(groups.$ref pr)", true, true},
    {R"(x509Certificates.value eq "MII")", true, true},
    {R"(meta.created sw "2010")", true, true},
    {R"(customAttr eq 5)", false, true},
    {R"(urn:example:unknown:1.0:User:x eq "y")", false, true},
    {R"(active gt true)", false, false, 0, "operator 'gt' is not defined for boolean attribute 'active'"},
    {R"(active co "t")", false, false, 0, "operator 'co' is not defined for boolean attribute"},
    {R"(userName pr and active le false)", false, false, 16, "at position 16"},
    {R"(emails[primary lt true])", false, false, 7, "boolean attribute 'primary'"},
    {R"(active eq 1)", false, false, 0, "is a boolean"},
    {R"(active eq "yes")", false, false, 0, "is a boolean"},
    {R"(userName eq 5)", false, false, 0,
     "attribute 'userName' is a string; compare it with a quoted string"},
    {R"(userName eq true)", false, false, 0, "is a string"},
    {R"(userName gt null)", false, false, 0, "cannot compare with null"},
    {R"(name eq "Barbara")", false, false, 0, "complex attribute 'name' cannot be compared"},
    {R"(name gt "B")", false, false, 0, "complex attribute 'name'"},
    {R"(meta lt "x")", false, false, 0, "complex attribute 'meta'"},
    {R"(x509Certificates.value gt "A")", false, false, 0, "not defined for binary attribute"},
    {R"(x509Certificates.value eq 1)", false, false, 0, "is binary"},
    {R"(meta.created gt "yesterday")", false, false, 0, "not an RFC 3339 date-time"},
    {R"(meta.created eq 1)", false, false, 0, "is a dateTime"},
    {R"(password eq "x")", false, false, 0, "attribute 'password' cannot be used in a filter"},
    {R"(password pr)", false, false, 0, "cannot be used in a filter"},
    {R"(userName.first eq "x")", false, false, 0, "attribute 'userName' has no sub-attributes"},
    {R"(userName[value eq "x"])", false, false, 0,
     "a value filter needs a multi-valued or complex attribute"},
    {R"(title pr and emails[type eq 5])", false, false, 20, "is a string"},
    {R"(emails[type eq "work"].value eq 5)", false, false, 23, "is a string"},
    {R"(customAttr eq 5)", true, false, 0, "unknown attribute 'customAttr'"},
    {R"(name.nickname eq "x")", true, false, 0, "unknown sub-attribute 'name.nickname'"},
    {R"(name.nickname eq "x")", false, true},
    {R"(emails[kind eq "work"])", true, false, 7, "unknown sub-attribute 'kind' of 'emails'"},
    {R"(emails[kind eq "work"])", false, true},
    {R"(emails[type eq "work"].label)", true, false, 0, "unknown sub-attribute 'label'"},
    {R"(urn:example:unknown:1.0:User:x eq "y")", true, false, 0,
     "unknown schema 'urn:example:unknown:1.0:User'"},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "x")", true, false, 0,
     "unknown attribute"},
    {R"(not (userName pr) or active ge true)", false, false, 21, "boolean attribute 'active'"},
};

class FilterValidate : public ::testing::TestWithParam<validate_case> {};

TEST_P(FilterValidate, Checks) {
    const auto& c = GetParam();
    const auto f = parse_filter(c.filter);
    ASSERT_TRUE(f) << f.error().message;
    const auto r = validate_filter(*f, resource::user_resource_schema(), c.strict);
    if (c.ok) {
        EXPECT_TRUE(r) << r.error().message;
        return;
    }
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().position, c.position) << r.error().message;
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(Cases, FilterValidate, ::testing::ValuesIn(validate_cases));

TEST(FilterValidate, CustomTypes) {
    const auto check = [](std::string_view text) {
        const auto f = parse_filter(text);
        EXPECT_TRUE(f) << text;
        return validate_filter(*f, custom_schema(), true);
    };
    EXPECT_TRUE(check("loginCount gt 5"));
    EXPECT_TRUE(check("score le 2.5"));
    EXPECT_FALSE(check("loginCount co 5"));
    EXPECT_FALSE(check(R"(loginCount eq "5")"));
    EXPECT_TRUE(check(R"(tags[value eq "red"])"));
    EXPECT_TRUE(check(R"(levels[value gt 3])"));
    EXPECT_FALSE(check(R"(levels[value eq "x"])"));
    EXPECT_TRUE(validate_filter(filter{}, custom_schema(), true));
}

// -----------------------------------------------------------------------------------------------------------
// Index support
// -----------------------------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 5> indexed = {"id", "userName", "externalId", "emails.value",
                                                     "displayName"};

struct index_case {
    std::string filter;
    std::optional<index_equality> equality;
};

std::ostream& operator<<(std::ostream& os, const index_case& c) { return os << c.filter; }

const std::vector<index_case> index_cases = {
    {R"(userName eq "test_user_dac9c9ce-9ae0-4b8d-8b4f-1b4d7b0c3a2e")",
     index_equality{"userName", "test_user_dac9c9ce-9ae0-4b8d-8b4f-1b4d7b0c3a2e"}},
    {R"(USERNAME EQ "Bob")", index_equality{"userName", "Bob"}},
    {R"(externalId eq "0a21f0f2")", index_equality{"externalId", "0a21f0f2"}},
    {R"(id eq "2819c223")", index_equality{"id", "2819c223"}},
    {R"(displayName eq "Group Name")", index_equality{"displayName", "Group Name"}},
    {R"(emails.value eq "a@example.com")", index_equality{"emails.value", "a@example.com"}},
    {R"(emails[value eq "a@example.com"])", index_equality{"emails.value", "a@example.com"}},
    {R"(emails[type eq "work" and value eq "a@example.com"])",
     index_equality{"emails.value", "a@example.com"}},
    {R"(emails[type eq "work"].value eq "a@example.com")", index_equality{"emails.value", "a@example.com"}},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob")", index_equality{"userName", "bob"}},
    {R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "G")", index_equality{"displayName", "G"}},
    {R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[value eq "a"])",
     index_equality{"emails.value", "a"}},
    {R"(userName eq "bob" and active eq true)", index_equality{"userName", "bob"}},
    {R"(active eq true and userName eq "bob")", index_equality{"userName", "bob"}},
    {R"(title pr and (userName eq "bob" and active eq true))", index_equality{"userName", "bob"}},
    {R"(userName eq "bob" and id eq "1")", index_equality{"id", "1"}},
    {R"(userName eq "bob" and externalId eq "e")", index_equality{"userName", "bob"}},
    {R"(userName eq "bob" and (title pr or nickName pr))", index_equality{"userName", "bob"}},
    {R"(not (title pr) and userName eq "bob")", index_equality{"userName", "bob"}},
    {R"((userName eq "bob"))", index_equality{"userName", "bob"}},
    // Not necessary, or not an indexable equality.
    {R"(userName eq "bob" or userName eq "alice")", std::nullopt},
    {R"(userName eq "bob" or active eq true)", std::nullopt},
    {R"(not (userName eq "bob"))", std::nullopt},
    {R"(not (userName ne "bob"))", std::nullopt},
    {R"(userName ne "bob")", std::nullopt},
    {R"(userName co "bob")", std::nullopt},
    {R"(userName sw "bob")", std::nullopt},
    {R"(userName pr)", std::nullopt},
    {R"(userName eq null)", std::nullopt},
    {R"(userName eq 5)", std::nullopt},
    {R"(title eq "x")", std::nullopt},
    {R"(name.givenName eq "x")", std::nullopt},
    {R"(emails eq "a@example.com")", std::nullopt},
    {R"(emails.type eq "work")", std::nullopt},
    {R"(emails[type eq "work"])", std::nullopt},
    {R"(emails[value eq "a" or value eq "b"])", std::nullopt},
    {R"(emails[not (value eq "a")])", std::nullopt},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "x")", std::nullopt},
    {R"(urn:example:other:2.0:User:id eq "x")", std::nullopt},
    {R"(title pr or (userName eq "bob" and active eq true))", std::nullopt},
};

class FilterIndex : public ::testing::TestWithParam<index_case> {};

TEST_P(FilterIndex, FindsNecessaryEquality) {
    const auto& c = GetParam();
    const auto f = parse_filter(c.filter);
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(find_index_equality(*f, indexed), c.equality);
}

INSTANTIATE_TEST_SUITE_P(Cases, FilterIndex, ::testing::ValuesIn(index_cases));

TEST(FilterIndex, Alternatives) {
    const auto alt = [](std::string_view text) {
        const auto f = parse_filter(text);
        EXPECT_TRUE(f) << text;
        return find_index_alternatives(*f, indexed);
    };
    EXPECT_EQ(alt(R"(id eq "a" or id eq "b" or id eq "c")"), (index_alternatives{"id", {"a", "b", "c"}}));
    EXPECT_EQ(alt(R"(id eq "a" or id eq "b" or id eq "a")"), (index_alternatives{"id", {"a", "b"}}));
    EXPECT_EQ(alt(R"(userName eq "a")"), (index_alternatives{"userName", {"a"}}));
    EXPECT_EQ(alt(R"(id eq "a" or userName eq "b")"), std::nullopt);
    EXPECT_EQ(alt(R"(id eq "a" or title pr)"), std::nullopt);
    EXPECT_EQ(alt(R"((id eq "a" or id eq "b") and userName eq "c")"),
              (index_alternatives{"userName", {"c"}}));
    EXPECT_EQ(alt(R"((id eq "a" or id eq "b") and title pr)"), (index_alternatives{"id", {"a", "b"}}));
    EXPECT_EQ(alt(R"((id eq "a" and title pr) or id eq "b")"), (index_alternatives{"id", {"a", "b"}}));
    EXPECT_EQ(alt(R"(emails[value eq "a" or value eq "b"])"),
              (index_alternatives{"emails.value", {"a", "b"}}));
    EXPECT_EQ(alt(R"(emails.value eq "a" or emails[value eq "b"])"),
              (index_alternatives{"emails.value", {"a", "b"}}));
    EXPECT_EQ(alt(R"(not (id eq "a" or id eq "b"))"), std::nullopt);
    EXPECT_EQ(alt(R"(id eq "a" or (id eq "b" or id eq "c"))"), (index_alternatives{"id", {"a", "b", "c"}}));
}

TEST(FilterIndex, UnqualifiedIndexNamesAndEmptyLists) {
    const auto f = parse_filter(R"(userName eq "bob")");
    ASSERT_TRUE(f);
    EXPECT_EQ(find_index_equality(*f, {}), std::nullopt);
    const std::array<std::string_view, 2> qualified = {"not a path!",
                                                       "urn:ietf:params:scim:schemas:core:2.0:User:userName"};
    EXPECT_EQ(find_index_equality(*f, qualified),
              (index_equality{"urn:ietf:params:scim:schemas:core:2.0:User:userName", "bob"}));
    const std::array<std::string_view, 1> ext = {
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"};
    const auto e =
        parse_filter(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7")");
    ASSERT_TRUE(e);
    EXPECT_EQ(find_index_equality(*e, ext), (index_equality{std::string(ext[0]), "7"}));
    EXPECT_EQ(find_index_equality(filter{}, indexed), std::nullopt);
}

/// The contract callers rely on: when an equality is returned, every resource that matches the filter has
/// that value (folded for caseExact false attributes).
TEST(FilterIndex, ReturnedEqualityIsNecessary) {
    const std::vector<json> resources = {sample_user(), entra_user(), custom_user(),
                                         json{{"userName", "bob"}, {"id", "1"}},
                                         json{{"userName", "BOB"}, {"id", "2"}, {"active", true}}};
    for (const auto& c : index_cases) {
        if (!c.equality) continue;
        const auto f = parse_filter(c.filter);
        ASSERT_TRUE(f);
        const auto eq = find_index_equality(*f, indexed);
        ASSERT_TRUE(eq);
        const auto single = parse_filter(eq->attribute + " eq " + json(eq->value).dump());
        ASSERT_TRUE(single);
        for (const auto& r : resources) {
            if (matches(*f, r, resource::user_resource_schema())) {
                EXPECT_TRUE(matches(*single, r, resource::user_resource_schema()))
                    << c.filter << " on " << r.dump();
            }
        }
    }
}

// -----------------------------------------------------------------------------------------------------------
// Case folding and JSON helpers
// -----------------------------------------------------------------------------------------------------------

TEST(CaseFold, NamesCompareAsciiCaseInsensitively) {
    EXPECT_TRUE(common::iequals_ascii("userName", "USERNAME"));
    EXPECT_TRUE(common::iequals_ascii("", ""));
    EXPECT_FALSE(common::iequals_ascii("userName", "userNam"));
    EXPECT_FALSE(common::iequals_ascii("\xC3\x89", "\xC3\xA9"));
    EXPECT_FALSE(common::iequals_ascii("a[", "A{"));
}

/// Values fold with common::fold_case, the function the directory's stored keys use, so index look-ups and
/// evaluation agree.
TEST(CaseFold, ValuesFoldLikeTheDirectoryIndex) {
    const json user = {{"displayName", "J\xC3\xB6rg M\xC3\xBCller"},
                       {"nickName", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"},
                       {"title", "\xCE\xA3\xCE\xBF\xCF\x86\xCE\xAF\xCE\xB1"}};
    EXPECT_TRUE(evaluate("nickName eq \"\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90\"", user,
                         resource::user_resource_schema()));
    EXPECT_TRUE(evaluate("title sw \"\xCF\x83\"", user, resource::user_resource_schema()));
    EXPECT_TRUE(
        evaluate("displayName eq \"J\xC3\x96RG M\xC3\x9CLLER\"", user, resource::user_resource_schema()));
    EXPECT_TRUE(evaluate("displayName co \"\xC3\x96RG\"", user, resource::user_resource_schema()));
}

TEST(JsonLookup, MembersAndBooleans) {
    const json obj = {{"userName", 1}, {"UserName", 2}, {"Other", 3}};
    EXPECT_EQ(*resource::json_member(obj, "userName"), 1);
    EXPECT_EQ(*resource::json_member(obj, "UserName"), 2);
    EXPECT_EQ(*resource::json_member(obj, "other"), 3);
    EXPECT_EQ(resource::json_member(obj, "missing"), nullptr);
    EXPECT_EQ(resource::json_member(json::array(), "x"), nullptr);
    EXPECT_EQ(resource::json_boolean(json(true)), true);
    EXPECT_EQ(resource::json_boolean(json("False")), false);
    EXPECT_EQ(resource::json_boolean(json("TRUE")), true);
    EXPECT_EQ(resource::json_boolean(json("yes")), std::nullopt);
    EXPECT_EQ(resource::json_boolean(json(1)), std::nullopt);
}

}  // namespace
}  // namespace dirsync::scim
