#include "scim/user_resource.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

// In the tables below "$C" stands for the core User URN, "$E" for the enterprise extension URN and "$T" for
// the test extension declared by test_schema().
constexpr std::string_view test_urn = "urn:example:params:scim:schemas:extension:test:1.0:User";

std::string expand(std::string text) {
    const auto replace_all = [&text](std::string_view from, std::string_view to) {
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    };
    replace_all("$E", resource::enterprise_user_urn);
    replace_all("$C", resource::core_user_urn);
    replace_all("$T", test_urn);
    return text;
}

json parse(const std::string& text) { return json::parse(expand(text)); }

/// Core User, Enterprise User and an admin-declared extension with the attribute types the built-in User
/// schema lacks (the only dateTime attributes there are meta's, which are readOnly).
const resource::resource_schema& test_schema() {
    static const resource::resource_schema declared = [] {
        auto simple = [](std::string name, resource::attribute_type type) {
            resource::attribute a;
            a.name = std::move(name);
            a.type = type;
            return a;
        };
        resource::schema ext;
        ext.id = std::string(test_urn);
        ext.name = "TestUser";
        ext.attributes.push_back(simple("hireDate", resource::attribute_type::date_time));
        ext.attributes.push_back(simple("badge", resource::attribute_type::integer));
        ext.attributes.push_back(simple("score", resource::attribute_type::decimal));
        resource::attribute tags = simple("tags", resource::attribute_type::string);
        tags.multi_valued = true;
        ext.attributes.push_back(std::move(tags));
        resource::attribute sponsor = simple("sponsor", resource::attribute_type::complex);
        sponsor.sub_attributes.push_back(simple("value", resource::attribute_type::string));
        sponsor.sub_attributes.push_back(simple("since", resource::attribute_type::date_time));
        ext.attributes.push_back(std::move(sponsor));
        return resource::resource_schema{resource::core_user_schema(),
                                         {resource::enterprise_user_schema(), std::move(ext)}};
    }();
    return declared;
}

enum class schemas { builtin, test };

const resource::resource_schema& schema_of(schemas s) {
    return s == schemas::test ? test_schema() : resource::user_resource_schema();
}

// -----------------------------------------------------------------------------------------------------------
// Accepted input: the canonical form is exactly `expected`
// -----------------------------------------------------------------------------------------------------------

struct canonical_case {
    std::string name;
    std::string input;
    std::string expected;
    schemas schema = schemas::builtin;
};

std::ostream& operator<<(std::ostream& os, const canonical_case& c) { return os << c.name; }

const std::vector<canonical_case> canonical_cases = {
    // --- names get the schema's spelling -------------------------------------------------------------------
    {"attribute_names", R"({"schemas":["$C"],"UserName":"bj","DISPLAYNAME":"Babs","nickname":"B"})",
     R"({"schemas":["$C"],"userName":"bj","displayName":"Babs","nickName":"B"})"},
    {"sub_attribute_names", R"({"schemas":["$C"],"userName":"bj","NAME":{"givenname":"B","FamilyName":"J"}})",
     R"({"schemas":["$C"],"userName":"bj","name":{"givenName":"B","familyName":"J"}})"},
    {"multi_valued_sub_attribute_names",
     R"({"schemas":["$C"],"userName":"bj","Emails":[{"Value":"a@x","Primary":true,"TYPE":"work"}]})",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x","primary":true,"type":"work"}]})"},

    // --- booleans sent as strings
    // ---------------------------------------------------------------------------
    {"boolean_True", R"({"schemas":["$C"],"userName":"bj","active":"True"})",
     R"({"schemas":["$C"],"userName":"bj","active":true})"},
    {"boolean_FALSE", R"({"schemas":["$C"],"userName":"bj","active":"FALSE"})",
     R"({"schemas":["$C"],"userName":"bj","active":false})"},
    {"boolean_kept", R"({"schemas":["$C"],"userName":"bj","active":false})",
     R"({"schemas":["$C"],"userName":"bj","active":false})"},
    {"primary_as_string", R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x","primary":"true"}]})",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x","primary":true}]})"},

    // --- numbers sent for strings
    // ---------------------------------------------------------------------------
    {"integer_for_string", R"({"schemas":["$C"],"userName":"bj","externalId":12345})",
     R"({"schemas":["$C"],"userName":"bj","externalId":"12345"})"},
    {"decimal_for_string", R"({"schemas":["$C"],"userName":"bj","title":1.5})",
     R"({"schemas":["$C"],"userName":"bj","title":"1.5"})"},
    {"number_for_user_name", R"({"schemas":["$C"],"userName":42})", R"({"schemas":["$C"],"userName":"42"})"},
    {"number_for_extension_string",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"employeeNumber":701984}})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"employeeNumber":"701984"}})"},
    {"number_for_sub_attribute", R"({"schemas":["$C"],"userName":"bj","phoneNumbers":[{"value":5551234}]})",
     R"({"schemas":["$C"],"userName":"bj","phoneNumbers":[{"value":"5551234"}]})"},

    // --- a single value for a multi-valued attribute
    // --------------------------------------------------------
    {"single_email_wrapped", R"({"schemas":["$C"],"userName":"bj","emails":{"value":"a@x","type":"work"}})",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x","type":"work"}]})"},
    {"single_role_wrapped", R"({"schemas":["$C"],"userName":"bj","roles":{"value":"admin"}})",
     R"({"schemas":["$C"],"userName":"bj","roles":[{"value":"admin"}]})"},
    {"single_simple_value_wrapped", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"tags":"a"}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"tags":["a"]}})", schemas::test},

    // --- null and empty values are unassigned
    // ---------------------------------------------------------------
    {"null_removed", R"({"schemas":["$C"],"userName":"bj","nickName":null})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"empty_string_removed", R"({"schemas":["$C"],"userName":"bj","title":""})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"empty_complex_removed", R"({"schemas":["$C"],"userName":"bj","name":{}})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"complex_of_empties_removed",
     R"({"schemas":["$C"],"userName":"bj","name":{"givenName":"","familyName":null}})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"empty_array_removed", R"({"schemas":["$C"],"userName":"bj","emails":[]})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"null_items_removed",
     R"({"schemas":["$C"],"userName":"bj","emails":[null,{"value":"a@x"},{},{"type":null}]})",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x"}]})"},
    {"empty_sub_attribute_removed",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x","type":""}]})",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x"}]})"},
    {"unknown_null_and_empty_container_removed",
     R"({"schemas":["$C"],"userName":"bj","custom":null,"customList":[],"customObject":{}})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"empty_extension_object_removed", R"({"schemas":["$C","$E"],"userName":"bj","$E":{"department":null}})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"null_extension_object_removed", R"({"schemas":["$C","$E"],"userName":"bj","$E":null})",
     R"({"schemas":["$C"],"userName":"bj"})"},

    // --- readOnly attributes are ignored
    // --------------------------------------------------------------------
    {"id_meta_groups_dropped",
     R"({"schemas":["$C"],"id":"2819c223","userName":"bj","meta":{"resourceType":"User","version":"W/\"3\""},
         "groups":[{"value":"g1","display":"Eng"}]})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"read_only_dropped_whatever_the_type",
     R"({"schemas":["$C"],"userName":"bj","ID":5,"Meta":"x","groups":7})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"read_only_sub_attribute_dropped",
     R"({"schemas":["$C","$E"],"userName":"bj",
         "$E":{"manager":{"value":"b1","displayName":"Boss","$Ref":"../Users/b1"}}})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"manager":{"value":"b1","$ref":"../Users/b1"}}})"},

    // --- primary
    // ---------------------------------------------------------------------------------------------
    {"one_primary_accepted",
     R"({"schemas":["$C"],"userName":"bj",
         "emails":[{"value":"a","primary":true},{"value":"b","primary":false}]})",
     R"({"schemas":["$C"],"userName":"bj",
         "emails":[{"value":"a","primary":true},{"value":"b","primary":false}]})"},
    {"primaries_in_different_attributes",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a","primary":true}],
         "phoneNumbers":[{"value":"1","primary":true}]})",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a","primary":true}],
         "phoneNumbers":[{"value":"1","primary":true}]})"},

    // --- dateTime, integer and decimal (declared by an extension)
    // -------------------------------------------
    {"date_time_utc", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"2026-11-22T18:45:00Z"}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"2026-11-22T18:45:00Z"}})", schemas::test},
    {"date_time_offset_and_fraction_kept_as_sent",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"2026-11-22T18:45:00.5+02:00"}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"2026-11-22T18:45:00.5+02:00"}})",
     schemas::test},
    {"date_time_sub_attribute",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"Sponsor":{"Since":"2001-02-03T04:05:06Z"}}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"sponsor":{"since":"2001-02-03T04:05:06Z"}}})",
     schemas::test},
    {"integer_kept", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":-7}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":-7}})", schemas::test},
    {"integral_float_for_integer", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":3.0}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":3}})", schemas::test},
    {"integer_for_decimal", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"score":2}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"score":2}})", schemas::test},

    // --- unknown attributes and extensions are kept as sent ------------------------------------------------
    {"unknown_attribute_kept",
     R"({"schemas":["$C"],"userName":"bj","favoriteColor":"green","Shoe":{"size":44}})",
     R"({"schemas":["$C"],"userName":"bj","favoriteColor":"green","Shoe":{"size":44}})"},
    {"unknown_empty_string_kept", R"({"schemas":["$C"],"userName":"bj","custom":""})",
     R"({"schemas":["$C"],"userName":"bj","custom":""})"},
    {"unknown_sub_attribute_kept",
     R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a@x","Label":"Work mail","verified":"True"}]})",
     R"({"schemas":["$C"],"userName":"bj",
         "emails":[{"value":"a@x","Label":"Work mail","verified":"True"}]})"},
    {"unknown_extension_kept_and_listed",
     R"({"schemas":["$C","urn:acme:ext:1.0"],"userName":"bj","urn:acme:ext:1.0":{"Badge":42,"x":null}})",
     R"({"schemas":["$C","urn:acme:ext:1.0"],"userName":"bj","urn:acme:ext:1.0":{"Badge":42,"x":null}})"},
    {"unknown_extension_not_listed_is_kept_unlisted",
     R"({"schemas":["$C"],"userName":"bj","urn:acme:ext:1.0":{"badge":42}})",
     R"({"schemas":["$C"],"userName":"bj","urn:acme:ext:1.0":{"badge":42}})"},
    {"extension_unknown_to_this_schema_kept",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":"not checked"}})",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":"not checked"}})"},

    // --- URN-qualified keys move into their schema
    // -----------------------------------------------------------
    {"qualified_extension_attribute",
     R"({"schemas":["$C"],"userName":"bj","$E:employeeNumber":"701984","$E:Department":"Tour"})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"employeeNumber":"701984","department":"Tour"}})"},
    {"qualified_merges_with_extension_object",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"department":"Tour"},"$E:costCenter":4130})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"department":"Tour","costCenter":"4130"}})"},
    {"qualified_complex_attribute", R"({"schemas":["$C"],"userName":"bj","$E:manager":{"Value":"b1"}})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"manager":{"value":"b1"}}})"},
    {"qualified_core_attribute", R"({"schemas":["$C"],"userName":"bj","$C:title":"Boss"})",
     R"({"schemas":["$C"],"userName":"bj","title":"Boss"})"},
    {"qualified_null_unassigns", R"({"schemas":["$C"],"userName":"bj","$E:department":null})",
     R"({"schemas":["$C"],"userName":"bj"})"},

    // --- the enterprise extension object
    // --------------------------------------------------------------------
    {"enterprise_object",
     R"({"schemas":["$C","$E"],"userName":"bj",
         "$E":{"EmployeeNumber":7,"COSTCENTER":"4130","manager":{"value":"b1"}}})",
     R"({"schemas":["$C","$E"],"userName":"bj",
         "$E":{"employeeNumber":"7","costCenter":"4130","manager":{"value":"b1"}}})"},
    {"enterprise_urn_key_any_case",
     R"({"schemas":["$C"],"userName":"bj",
         "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER":{"division":"Parks"}})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"division":"Parks"}})"},
    {"enterprise_unknown_attribute_kept", R"({"schemas":["$C","$E"],"userName":"bj","$E":{"badge":"x"}})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"badge":"x"}})"},

    // --- schemas is rebuilt: core URN, extensions present, unknown URNs listed
    // ------------------------------
    {"core_urn_any_case_accepted",
     R"({"schemas":["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"],"userName":"bj"})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"core_urn_moved_first", R"({"schemas":["urn:acme:x","$C"],"userName":"bj"})",
     R"({"schemas":["$C","urn:acme:x"],"userName":"bj"})"},
    {"listed_extension_without_data_delisted", R"({"schemas":["$C","$E"],"userName":"bj"})",
     R"({"schemas":["$C"],"userName":"bj"})"},
    {"extension_with_data_listed", R"({"schemas":["$C"],"userName":"bj","$E":{"division":"Parks"}})",
     R"({"schemas":["$C","$E"],"userName":"bj","$E":{"division":"Parks"}})"},
    {"duplicate_urns_listed_once", R"({"schemas":["$C","$C","urn:acme:x","URN:ACME:X"],"userName":"bj"})",
     R"({"schemas":["$C","urn:acme:x"],"userName":"bj"})"},
    {"extensions_in_schema_order",
     R"({"schemas":["$T","$C","$E"],"userName":"bj","$T":{"badge":1},"$E":{"division":"Parks"}})",
     R"({"schemas":["$C","$E","$T"],"userName":"bj","$T":{"badge":1},"$E":{"division":"Parks"}})",
     schemas::test},
};

class UserResourceCanonicalize : public ::testing::TestWithParam<canonical_case> {};

TEST_P(UserResourceCanonicalize, GivesTheCanonicalForm) {
    const auto& c = GetParam();
    const auto result = canonicalize_user(parse(c.input), schema_of(c.schema));
    ASSERT_TRUE(result) << result.error().scim_type << ": " << result.error().detail;
    EXPECT_EQ(*result, parse(c.expected)) << result->dump();
}

TEST_P(UserResourceCanonicalize, IsIdempotent) {
    const auto& c = GetParam();
    const auto once = canonicalize_user(parse(c.input), schema_of(c.schema));
    ASSERT_TRUE(once);
    const auto twice = canonicalize_user(*once, schema_of(c.schema));
    ASSERT_TRUE(twice) << twice.error().detail;
    EXPECT_EQ(*twice, *once);
}

INSTANTIATE_TEST_SUITE_P(Cases, UserResourceCanonicalize, ::testing::ValuesIn(canonical_cases),
                         [](const auto& info) { return info.param.name; });

// -----------------------------------------------------------------------------------------------------------
// Refused input: a SCIM error whose detail names the problem
// -----------------------------------------------------------------------------------------------------------

struct refusal_case {
    std::string name;
    std::string input;
    std::string scim_type;
    std::string detail;  ///< must appear in the error detail (after $-expansion)
    schemas schema = schemas::builtin;
};

std::ostream& operator<<(std::ostream& os, const refusal_case& c) { return os << c.name; }

const std::vector<refusal_case> refusal_cases = {
    // --- the document and its schemas ----------------------------------------------------------------------
    {"array_body", R"([{"schemas":["$C"],"userName":"bj"}])", "invalidSyntax", "must be a JSON object"},
    {"string_body", R"("bj")", "invalidSyntax", "must be a JSON object"},
    {"schemas_missing", R"({"userName":"bj"})", "invalidValue", "schemas must include \"$C\""},
    {"schemas_empty", R"({"schemas":[],"userName":"bj"})", "invalidValue", "schemas must include"},
    {"core_urn_missing", R"({"schemas":["$E"],"userName":"bj","$E":{"division":"x"}})", "invalidValue",
     "schemas must include"},
    {"group_urn_instead_of_user",
     R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"bj"})", "invalidValue",
     "schemas must include"},
    {"schemas_a_string", R"({"schemas":"$C","userName":"bj"})", "invalidValue", "schemas must be an array"},
    {"schemas_with_a_number", R"({"schemas":["$C",5],"userName":"bj"})", "invalidValue",
     "schemas must be an array of schema URNs"},

    // --- credentials
    // ------------------------------------------------------------------------------------------
    {"password", R"({"schemas":["$C"],"userName":"bj","password":"s3cret"})", "invalidValue",
     "password is not accepted"},
    {"password_any_case", R"({"schemas":["$C"],"userName":"bj","PassWord":"s3cret"})", "invalidValue",
     "password is not accepted"},
    {"password_qualified", R"({"schemas":["$C"],"userName":"bj","$C:password":"s3cret"})", "invalidValue",
     "password is not accepted"},

    // --- primary
    // -----------------------------------------------------------------------------------------------
    {"two_primaries",
     R"({"schemas":["$C"],"userName":"bj",
         "emails":[{"value":"a","primary":true},{"value":"b","primary":true}]})",
     "invalidValue", "emails has more than one value with \"primary\": true"},
    {"two_primaries_as_strings",
     R"({"schemas":["$C"],"userName":"bj",
         "addresses":[{"locality":"a","Primary":"True"},{"locality":"b","primary":"true"}]})",
     "invalidValue", "addresses has more than one value"},
    {"primary_not_boolean", R"({"schemas":["$C"],"userName":"bj","emails":[{"value":"a","primary":"yes"}]})",
     "invalidValue", "emails.primary must be a boolean, not a string"},

    // --- wrong types name the attribute
    // -----------------------------------------------------------------------
    {"string_gets_boolean", R"({"schemas":["$C"],"userName":true})", "invalidValue",
     "userName must be a string, not a boolean"},
    {"string_gets_array", R"({"schemas":["$C"],"userName":"bj","title":["a","b"]})", "invalidValue",
     "title must be a string, not an array"},
    {"string_gets_object", R"({"schemas":["$C"],"userName":{"value":"bj"}})", "invalidValue",
     "userName must be a string, not an object"},
    {"boolean_gets_word", R"({"schemas":["$C"],"userName":"bj","active":"yes"})", "invalidValue",
     "active must be a boolean, not a string"},
    {"boolean_gets_number", R"({"schemas":["$C"],"userName":"bj","active":1})", "invalidValue",
     "active must be a boolean, not an integer"},
    {"complex_gets_string", R"({"schemas":["$C"],"userName":"bj","name":"Barbara Jensen"})", "invalidValue",
     "name must be an object, not a string"},
    {"multi_valued_item_gets_string", R"({"schemas":["$C"],"userName":"bj","emails":["a@x"]})",
     "invalidValue", "emails must be an object, not a string"},
    {"sub_attribute_gets_object", R"({"schemas":["$C"],"userName":"bj","emails":[{"value":{"v":"a@x"}}]})",
     "invalidValue", "emails.value must be a string, not an object"},
    {"reference_gets_number", R"({"schemas":["$C"],"userName":"bj","profileUrl":5})", "invalidValue",
     "profileUrl must be a string, not an integer"},
    {"binary_gets_number", R"({"schemas":["$C"],"userName":"bj","x509Certificates":[{"value":5}]})",
     "invalidValue", "x509Certificates.value must be a string, not an integer"},
    {"extension_gets_string", R"({"schemas":["$C","$E"],"userName":"bj","$E":"Tour"})", "invalidValue",
     "$E must be an object"},
    {"extension_attribute_wrong_type", R"({"schemas":["$C","$E"],"userName":"bj","$E":{"manager":"b1"}})",
     "invalidValue", "manager must be an object, not a string"},
    {"qualified_attribute_wrong_type", R"({"schemas":["$C"],"userName":"bj","$E:department":false})",
     "invalidValue", "department must be a string, not a boolean"},

    // --- dateTime, integer and decimal (declared by an extension)
    // -------------------------------------------
    {"date_time_not_a_date", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"yesterday"}})",
     "invalidValue", "hireDate is not a valid dateTime", schemas::test},
    {"date_time_without_offset",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"2026-11-22T18:45:00"}})", "invalidValue",
     "hireDate is not a valid dateTime", schemas::test},
    {"date_time_month_13",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"2026-13-22T18:45:00Z"}})", "invalidValue",
     "hireDate is not a valid dateTime", schemas::test},
    {"date_time_february_30",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":"2026-02-30T00:00:00Z"}})", "invalidValue",
     "hireDate is not a valid dateTime", schemas::test},
    {"date_time_gets_number", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"hireDate":20261122}})",
     "invalidValue", "hireDate must be a dateTime string, not an integer", schemas::test},
    {"date_time_sub_attribute",
     R"({"schemas":["$C","$T"],"userName":"bj","$T":{"sponsor":{"since":"soon"}}})", "invalidValue",
     "sponsor.since is not a valid dateTime", schemas::test},
    {"integer_gets_fraction", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":3.5}})", "invalidValue",
     "badge must be an integer, not a number", schemas::test},
    {"integer_gets_string", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"badge":"3"}})", "invalidValue",
     "badge must be an integer, not a string", schemas::test},
    {"decimal_gets_string", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"score":"2.5"}})", "invalidValue",
     "score must be a number, not a string", schemas::test},
    {"multi_valued_simple_gets_object", R"({"schemas":["$C","$T"],"userName":"bj","$T":{"tags":[{"v":1}]}})",
     "invalidValue", "tags must be a string, not an object", schemas::test},
};

class UserResourceRefuse : public ::testing::TestWithParam<refusal_case> {};

TEST_P(UserResourceRefuse, WithScimError) {
    const auto& c = GetParam();
    const auto result = canonicalize_user(parse(c.input), schema_of(c.schema));
    ASSERT_FALSE(result) << result->dump();
    EXPECT_EQ(result.error().status, 400u);
    EXPECT_EQ(result.error().scim_type, c.scim_type);
    EXPECT_NE(result.error().detail.find(expand(c.detail)), std::string::npos) << result.error().detail;
}

INSTANTIATE_TEST_SUITE_P(Cases, UserResourceRefuse, ::testing::ValuesIn(refusal_cases),
                         [](const auto& info) { return info.param.name; });

TEST(UserResourceCanonicalizeInput, IsNotModified) {
    const json input = parse(R"({"schemas":["$C"],"UserName":"bj","id":"x","emails":{"value":"a@x"}})");
    const json copy = input;
    ASSERT_TRUE(canonicalize_user(input, resource::user_resource_schema()));
    EXPECT_EQ(input, copy);
}

// -----------------------------------------------------------------------------------------------------------
// render_user
// -----------------------------------------------------------------------------------------------------------

directory::user sample_record() {
    directory::user u;
    u.tenant_id = "acme";
    u.id = "2819c223-7f76-453a-919d-413861904646";
    u.resource = parse(R"({"schemas":["$C","$E"],"userName":"bjensen","$E":{"division":"Parks"}})");
    u.user_name = "bjensen";
    u.created = common::from_epoch_ms(1'264'222'582'000);        // 2010-01-23T04:56:22.000Z
    u.last_modified = common::from_epoch_ms(1'305'261'754'123);  // 2011-05-13T04:42:34.123Z
    u.version = 3;
    return u;
}

TEST(UserResourceRender, AddsIdAndMeta) {
    const json out = render_user(sample_record(), "https://example.com/scim/v2/Users");
    EXPECT_EQ(out.at("id"), "2819c223-7f76-453a-919d-413861904646");
    EXPECT_EQ(out.at("meta"), json::parse(R"({
        "resourceType": "User",
        "created": "2010-01-23T04:56:22.000Z",
        "lastModified": "2011-05-13T04:42:34.123Z",
        "location": "https://example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646",
        "version": "W/\"3\""})"));
}

TEST(UserResourceRender, KeepsTheResource) {
    const json out = render_user(sample_record(), "/scim/v2/Users");
    EXPECT_EQ(out.at("userName"), "bjensen");
    EXPECT_EQ(out.at("schemas"),
              parse(R"(["$C","$E","urn:dirsyncd:params:scim:schemas:extension:directory:2.0:User"])"));
    EXPECT_EQ(out.at(std::string(resource::enterprise_user_urn)), json::parse(R"({"division":"Parks"})"));
}

TEST(UserResourceRender, CarriesTheDirectoryStatusAndRolesReadOnly) {
    auto u = sample_record();
    u.status = directory::user_status::requested;
    u.roles = {"admin", "auditor"};
    const json out = render_user(u, "/scim/v2/Users");
    EXPECT_EQ(out.at(std::string(resource::directory_user_urn)),
              json::parse(R"({"status":"requested","roles":["admin","auditor"]})"));
    u.roles.clear();
    EXPECT_FALSE(
        render_user(u, "/scim/v2/Users").at(std::string(resource::directory_user_urn)).contains("roles"));
    // Sent back by a client, the extension is not stored: it is read-only.
    auto stored = canonicalize_user(out, resource::user_resource_schema());
    ASSERT_TRUE(stored);
    EXPECT_FALSE(stored->contains(std::string(resource::directory_user_urn))) << stored->dump();
}

TEST(UserResourceRender, OverridesStoredIdAndMeta) {
    auto u = sample_record();
    u.resource["id"] = "forged";
    u.resource["meta"] = json{{"version", "W/\"99\""}};
    const json out = render_user(u, "/scim/v2/Users");
    EXPECT_EQ(out.at("id"), u.id);
    EXPECT_EQ(out.at("meta").at("version"), "W/\"3\"");
    EXPECT_EQ(out.at("meta").at("location"), "/scim/v2/Users/" + u.id);
}

TEST(UserResourceRender, AddsCoreSchemaWhenMissing) {
    auto u = sample_record();
    u.resource = json{{"userName", "bjensen"}};
    const json out = render_user(u, "/scim/v2/Users");
    EXPECT_EQ(out.at("schemas"),
              json::array({std::string(resource::core_user_urn), std::string(resource::directory_user_urn)}));
}

struct etag_case {
    std::int64_t version;
    std::string expected;
};

TEST(UserResourceRender, EtagIsWeakVersion) {
    const std::vector<etag_case> cases = {{0, R"(W/"0")"},
                                          {1, R"(W/"1")"},
                                          {42, R"(W/"42")"},
                                          {9'007'199'254'740'993, R"(W/"9007199254740993")"}};
    for (const auto& c : cases) {
        auto u = sample_record();
        u.version = c.version;
        EXPECT_EQ(user_etag(u), c.expected);
        EXPECT_EQ(render_user(u, "/Users").at("meta").at("version"), c.expected);
    }
}

}  // namespace
}  // namespace dirsync::scim
