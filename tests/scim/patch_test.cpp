#include "scim/patch.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace dirsync::scim {
namespace {

using nlohmann::json;

// In the tables below "$E" stands for the enterprise extension URN and "$C" for the core User URN.
std::string expand(std::string text) {
    const auto replace_all = [&text](std::string_view from, std::string_view to) {
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    };
    replace_all("$E", resource::enterprise_user_urn);
    replace_all("$C", resource::core_user_urn);
    return text;
}

json parse(const std::string& text) { return json::parse(expand(text)); }

enum class fixture { user, bare_user, group, odd_user };

const json& resource(fixture f) {
    static const json user = parse(R"({
      "schemas": ["$C", "$E"],
      "id": "u1", "externalId": "ext1", "userName": "bjensen", "displayName": "Babs", "title": "Guide",
      "active": true,
      "name": {"givenName": "Barbara", "familyName": "Jensen"},
      "emails": [{"value": "b@work.example", "type": "work", "primary": true},
                 {"value": "b@home.example", "type": "home"}],
      "phoneNumbers": [{"value": "555-1", "type": "work"}],
      "groups": [{"value": "g1", "display": "Eng"}],
      "$E": {"employeeNumber": "701984", "department": "Tour",
             "manager": {"value": "boss1", "$ref": "../Users/boss1", "displayName": "Big Boss"}},
      "meta": {"resourceType": "User", "version": "W/\"1\""}
    })");
    static const json bare_user = parse(R"({"schemas": ["$C"], "id": "u2", "userName": "x"})");
    static const json group = parse(R"({
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      "id": "g1", "displayName": "Eng",
      "members": [{"value": "m1", "display": "Alice", "$ref": "https://example.com/Users/m1", "type": "User"},
                  {"value": "m2", "display": "Bob"}],
      "meta": {"resourceType": "Group"}
    })");
    // As an old write may have stored it: keys in the client's spelling.
    static const json odd_user = parse(R"({
      "schemas": ["$C"], "id": "u3", "UserName": "old", "Active": "True",
      "Emails": [{"Value": "a@x", "Type": "work", "Primary": true}], "Name": {"GivenName": "A"}
    })");
    switch (f) {
        case fixture::user:
            return user;
        case fixture::bare_user:
            return bare_user;
        case fixture::group:
            return group;
        case fixture::odd_user:
            return odd_user;
    }
    return user;
}

const resource::resource_schema& schema_for(fixture f) {
    return f == fixture::group ? resource::group_resource_schema() : resource::user_resource_schema();
}

json request(const std::string& operations) {
    return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                {"Operations", parse(operations)}};
}

// -----------------------------------------------------------------------------------------------------------
// Successful requests: the result is the fixture with `expected` applied as a JSON merge patch (RFC 7386:
// objects merge, null deletes, arrays are replaced whole)
// -----------------------------------------------------------------------------------------------------------

struct success_case {
    std::string name;
    fixture base;
    std::string operations;
    std::string expected;
};

std::ostream& operator<<(std::ostream& os, const success_case& c) { return os << c.name; }

const std::vector<success_case> success_cases = {
    // --- single-valued simple attributes -------------------------------------------------------------------
    {"replace_simple", fixture::user, R"([{"op":"replace","path":"userName","value":"bj2"}])",
     R"({"userName":"bj2"})"},
    {"path_names_case_insensitive", fixture::user, R"([{"op":"replace","path":"USERNAME","value":"bj2"}])",
     R"({"userName":"bj2"})"},
    {"add_sets_single_valued", fixture::user, R"([{"op":"add","path":"title","value":"Boss"}])",
     R"({"title":"Boss"})"},
    {"add_new_simple", fixture::user, R"([{"op":"add","path":"nickName","value":"Babs"}])",
     R"({"nickName":"Babs"})"},
    {"remove_simple", fixture::user, R"([{"op":"remove","path":"title"}])", R"({"title":null})"},
    {"remove_absent_is_no_op", fixture::user, R"([{"op":"remove","path":"nickName"}])", "{}"},
    {"replace_with_null_unassigns", fixture::user, R"([{"op":"replace","path":"title","value":null}])",
     R"({"title":null})"},
    {"add_null_unassigns", fixture::user, R"([{"op":"add","path":"title","value":null}])",
     R"({"title":null})"},
    {"replace_with_empty_string_is_kept", fixture::user, R"([{"op":"replace","path":"title","value":""}])",
     R"({"title":""})"},
    {"one_element_array_for_single_valued", fixture::user,
     R"([{"op":"replace","path":"title","value":["X"]}])", R"({"title":"X"})"},
    {"empty_array_for_single_valued_unassigns", fixture::user,
     R"([{"op":"replace","path":"title","value":[]}])", R"({"title":null})"},
    {"op_Replace_capitalized", fixture::user, R"([{"op":"Replace","path":"title","value":"T"}])",
     R"({"title":"T"})"},
    {"op_REPLACE_upper", fixture::user, R"([{"op":"REPLACE","path":"title","value":"T"}])",
     R"({"title":"T"})"},
    {"op_Add_capitalized", fixture::user, R"([{"op":"Add","path":"title","value":"T"}])", R"({"title":"T"})"},
    {"op_Remove_capitalized", fixture::user, R"([{"op":"Remove","path":"title"}])", R"({"title":null})"},
    {"op_member_keys_case_insensitive", fixture::user, R"([{"OP":"replace","Path":"title","VALUE":"T"}])",
     R"({"title":"T"})"},
    {"unknown_op_members_ignored", fixture::user,
     R"([{"name":"changeTitle","op":"replace","path":"title","value":"T"}])", R"({"title":"T"})"},
    {"null_path_means_no_path", fixture::user, R"([{"op":"replace","path":null,"value":{"title":"T"}}])",
     R"({"title":"T"})"},
    {"boolean_as_string_kept", fixture::user, R"([{"op":"replace","path":"active","value":"False"}])",
     R"({"active":"False"})"},
    {"boolean_as_string_True", fixture::user, R"([{"op":"Replace","path":"active","value":"True"}])",
     R"({"active":"True"})"},
    {"entra_disable_user", fixture::user, R"([{"op":"Replace","path":"active","value":false}])",
     R"({"active":false})"},
    {"core_urn_prefix", fixture::user, R"([{"op":"replace","path":"$C:userName","value":"bj2"}])",
     R"({"userName":"bj2"})"},
    {"external_id", fixture::user, R"([{"op":"replace","path":"externalId","value":"ext2"}])",
     R"({"externalId":"ext2"})"},
    {"password_is_write_only_not_read_only", fixture::user,
     R"([{"op":"replace","path":"password","value":"s3cret"}])", R"({"password":"s3cret"})"},
    {"unknown_attribute_kept", fixture::user, R"([{"op":"add","path":"customField","value":"x"}])",
     R"({"customField":"x"})"},
    {"unknown_attribute_object_drops_nulls", fixture::bare_user,
     R"([{"op":"add","path":"custom","value":{"a":1,"b":null}}])", R"({"custom":{"a":1}})"},
    {"unknown_attribute_object_merges", fixture::user,
     R"([{"op":"add","path":"custom","value":{"a":1,"b":2}},{"op":"replace","path":"custom",
        "value":{"b":3}}])",
     R"({"custom":{"a":1,"b":3}})"},
    {"unknown_attribute_sub_path", fixture::bare_user, R"([{"op":"add","path":"custom.part","value":"p"}])",
     R"({"custom":{"part":"p"}})"},

    // --- single-valued complex: name -----------------------------------------------------------------------
    {"replace_sub_attribute", fixture::user, R"([{"op":"replace","path":"name.givenName","value":"Barb"}])",
     R"({"name":{"givenName":"Barb"}})"},
    {"add_sub_attribute", fixture::user, R"([{"op":"add","path":"name.middleName","value":"J"}])",
     R"({"name":{"middleName":"J"}})"},
    {"remove_sub_attribute", fixture::user, R"([{"op":"remove","path":"name.givenName"}])",
     R"({"name":{"givenName":null}})"},
    {"remove_last_sub_attributes_removes_parent", fixture::user,
     R"([{"op":"remove","path":"name.givenName"},{"op":"remove","path":"name.familyName"}])",
     R"({"name":null})"},
    {"sub_attribute_unassigned_by_null", fixture::user,
     R"([{"op":"replace","path":"name.givenName","value":null}])", R"({"name":{"givenName":null}})"},
    {"replace_complex_merges", fixture::user, R"([{"op":"replace","path":"name","value":{"givenName":"B"}}])",
     R"({"name":{"givenName":"B"}})"},
    {"add_complex_merges", fixture::user, R"([{"op":"add","path":"name","value":{"formatted":"B J"}}])",
     R"({"name":{"formatted":"B J"}})"},
    {"complex_null_member_unassigns", fixture::user,
     R"([{"op":"replace","path":"name","value":{"familyName":null,"givenName":"B"}}])",
     R"({"name":{"familyName":null,"givenName":"B"}})"},
    {"sub_attribute_creates_parent", fixture::bare_user,
     R"([{"op":"add","path":"name.givenName","value":"X"}])", R"({"name":{"givenName":"X"}})"},
    {"replace_complex_with_empty_object_unassigns", fixture::user,
     R"([{"op":"replace","path":"name","value":{}}])", R"({"name":null})"},
    {"add_complex_empty_object_is_no_op", fixture::user, R"([{"op":"add","path":"name","value":{}}])", "{}"},
    {"remove_complex", fixture::user, R"([{"op":"remove","path":"name"}])", R"({"name":null})"},
    {"complex_sub_keys_canonical", fixture::user,
     R"([{"op":"replace","path":"name","value":{"GivenName":"B","FAMILYNAME":"J"}}])",
     R"({"name":{"givenName":"B","familyName":"J"}})"},
    {"sub_attribute_path_canonical", fixture::user,
     R"([{"op":"replace","path":"NAME.GIVENNAME","value":"B"}])", R"({"name":{"givenName":"B"}})"},
    {"core_urn_sub_attribute", fixture::user,
     R"([{"op":"replace","path":"$C:name.familyName","value":"J2"}])", R"({"name":{"familyName":"J2"}})"},
    {"google_given_and_family", fixture::user,
     R"([{"op":"replace","path":"name.givenName","value":"G"},
        {"op":"replace","path":"name.familyName","value":"F"}])",
     R"({"name":{"givenName":"G","familyName":"F"}})"},

    // --- enterprise extension ------------------------------------------------------------------------------
    {"extension_attribute", fixture::user, R"([{"op":"replace","path":"$E:employeeNumber","value":"1"}])",
     R"({"$E":{"employeeNumber":"1"}})"},
    {"extension_attribute_add", fixture::user, R"([{"op":"add","path":"$E:costCenter","value":"4130"}])",
     R"({"$E":{"costCenter":"4130"}})"},
    {"extension_attribute_remove", fixture::user, R"([{"op":"remove","path":"$E:department"}])",
     R"({"$E":{"department":null}})"},
    {"extension_created_and_listed", fixture::bare_user,
     R"([{"op":"add","path":"$E:employeeNumber","value":"7"}])",
     R"({"schemas":["$C","$E"],"$E":{"employeeNumber":"7"}})"},
    {"extension_unqualified_name", fixture::user, R"([{"op":"replace","path":"employeeNumber","value":"2"}])",
     R"({"$E":{"employeeNumber":"2"}})"},
    {"extension_attribute_name_canonical", fixture::user,
     R"([{"op":"replace","path":"$E:EmployeeNumber","value":"3"}])", R"({"$E":{"employeeNumber":"3"}})"},
    {"extension_whole_object_path", fixture::user,
     R"([{"op":"replace","path":"$E","value":{"department":"R&D"}}])", R"({"$E":{"department":"R&D"}})"},
    {"extension_whole_object_replace_with_null", fixture::user,
     R"([{"op":"replace","path":"$E","value":null}])", R"({"schemas":["$C"],"$E":null})"},
    {"extension_whole_object_add_empty_is_no_op", fixture::user, R"([{"op":"add","path":"$E","value":{}}])",
     "{}"},
    {"extension_whole_object_remove", fixture::user, R"([{"op":"remove","path":"$E"}])",
     R"({"schemas":["$C"],"$E":null})"},
    {"manager_bare_string", fixture::user, R"([{"op":"replace","path":"$E:manager","value":"boss2"}])",
     R"({"$E":{"manager":{"value":"boss2","$ref":null,"displayName":null}}})"},
    {"manager_object", fixture::user, R"([{"op":"replace","path":"$E:manager","value":{"value":"boss2"}}])",
     R"({"$E":{"manager":{"value":"boss2","$ref":null,"displayName":null}}})"},
    {"manager_array_of_one", fixture::user,
     R"([{"op":"Replace","path":"$E:manager","value":[{"$ref":null,"value":"boss2"}]}])",
     R"({"$E":{"manager":{"value":"boss2","$ref":null,"displayName":null}}})"},
    {"manager_same_value_keeps_ref", fixture::user,
     R"([{"op":"replace","path":"$E:manager","value":{"value":"boss1"}}])", "{}"},
    {"manager_new_ref_kept", fixture::user,
     R"([{"op":"replace","path":"$E:manager","value":{"value":"boss2","$ref":"../Users/boss2"}}])",
     R"({"$E":{"manager":{"value":"boss2","$ref":"../Users/boss2","displayName":null}}})"},
    {"manager_value_sub_attribute", fixture::user,
     R"([{"op":"replace","path":"$E:manager.value","value":"boss2"}])",
     R"({"$E":{"manager":{"value":"boss2","$ref":null,"displayName":null}}})"},
    {"manager_added_to_bare_user", fixture::bare_user,
     R"([{"op":"Add","path":"$E:manager","value":"boss9"}])",
     R"({"schemas":["$C","$E"],"$E":{"manager":{"value":"boss9"}}})"},
    {"manager_removed_by_empty_string", fixture::user, R"([{"op":"Replace","path":"$E:manager","value":""}])",
     R"({"$E":{"manager":null}})"},
    {"manager_removed_by_empty_object", fixture::user, R"([{"op":"replace","path":"$E:manager","value":{}}])",
     R"({"$E":{"manager":null}})"},
    {"manager_removed_by_null", fixture::user, R"([{"op":"replace","path":"$E:manager","value":null}])",
     R"({"$E":{"manager":null}})"},
    {"manager_removed_by_empty_array", fixture::user, R"([{"op":"replace","path":"$E:manager","value":[]}])",
     R"({"$E":{"manager":null}})"},
    {"manager_removed_by_remove", fixture::user, R"([{"op":"Remove","path":"$E:manager"}])",
     R"({"$E":{"manager":null}})"},
    {"manager_remove_with_value", fixture::user,
     R"([{"op":"Remove","path":"$E:manager","value":[{"value":"boss1"}]}])", R"({"$E":{"manager":null}})"},
    {"manager_value_null_on_absent_manager_creates_nothing", fixture::bare_user,
     R"([{"op":"replace","path":"$E:manager","value":{"value":null}}])", "{}"},
    {"manager_capitalized_value_key", fixture::user,
     R"([{"op":"replace","path":"$E:manager","value":{"Value":"boss2"}}])",
     R"({"$E":{"manager":{"value":"boss2","$ref":null,"displayName":null}}})"},

    // --- path-less add / replace ---------------------------------------------------------------------------
    {"okta_deactivate", fixture::user, R"([{"op":"replace","value":{"active":false}}])",
     R"({"active":false})"},
    {"okta_deactivate_with_id", fixture::user, R"([{"op":"replace","value":{"id":"u1","active":false}}])",
     R"({"active":false})"},
    {"pathless_several_attributes", fixture::user,
     R"([{"op":"replace","value":{"title":"X","displayName":"Y"}}])", R"({"title":"X","displayName":"Y"})"},
    {"pathless_dotted_key", fixture::user, R"([{"op":"replace","value":{"name.givenName":"Barbara2"}}])",
     R"({"name":{"givenName":"Barbara2"}})"},
    {"pathless_extension_attribute_key", fixture::user,
     R"([{"op":"replace","value":{"$E:employeeNumber":"701985"}}])", R"({"$E":{"employeeNumber":"701985"}})"},
    {"pathless_extension_attribute_with_sub", fixture::user,
     R"([{"op":"replace","value":{"$E:manager.value":"boss3"}}])",
     R"({"$E":{"manager":{"value":"boss3","$ref":null,"displayName":null}}})"},
    {"pathless_extension_complex_attribute", fixture::user,
     R"([{"op":"replace","value":{"$E:manager":{"value":"boss3"}}}])",
     R"({"$E":{"manager":{"value":"boss3","$ref":null,"displayName":null}}})"},
    {"pathless_extension_manager_string", fixture::user,
     R"([{"op":"replace","value":{"$E:manager":"boss4"}}])",
     R"({"$E":{"manager":{"value":"boss4","$ref":null,"displayName":null}}})"},
    {"pathless_whole_extension_merges", fixture::user,
     R"([{"op":"replace","value":{"$E":{"department":"R&D"}}}])", R"({"$E":{"department":"R&D"}})"},
    {"pathless_whole_extension_on_bare_user", fixture::bare_user,
     R"([{"op":"add","value":{"$E":{"department":"R&D"}}}])",
     R"({"schemas":["$C","$E"],"$E":{"department":"R&D"}})"},
    {"pathless_whole_extension_null_member", fixture::user,
     R"([{"op":"replace","value":{"$E":{"department":null,"manager":""}}}])",
     R"({"$E":{"department":null,"manager":null}})"},
    {"pathless_add_appends", fixture::user,
     R"([{"op":"add","value":{"nickName":"B","emails":[{"value":"n@x","type":"other"}]}}])",
     R"({"nickName":"B","emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"b@home.example","type":"home"},{"value":"n@x","type":"other"}]})"},
    {"pathless_replace_replaces_set", fixture::user,
     R"([{"op":"replace","value":{"emails":[{"value":"z@x","type":"work"}]}}])",
     R"({"emails":[{"value":"z@x","type":"work"}]})"},
    {"pathless_meta_ignored", fixture::user,
     R"([{"op":"replace","value":{"meta":{"version":"x"},"title":"T"}}])", R"({"title":"T"})"},
    {"pathless_schemas_ignored", fixture::user,
     R"([{"op":"replace","value":{"schemas":["urn:x:y"],"title":"T"}}])", R"({"title":"T"})"},
    {"pathless_groups_ignored", fixture::user,
     R"([{"op":"replace","value":{"groups":[{"value":"g9"}],"title":"T"}}])", R"({"title":"T"})"},
    {"pathless_read_only_sub_attribute_ignored", fixture::user,
     R"([{"op":"replace","value":{"$E:manager.displayName":"X","title":"T"}}])", R"({"title":"T"})"},
    {"pathless_null_unassigns", fixture::user, R"([{"op":"replace","value":{"title":null}}])",
     R"({"title":null})"},
    {"pathless_complex_merges", fixture::user, R"([{"op":"replace","value":{"name":{"givenName":"X"}}}])",
     R"({"name":{"givenName":"X"}})"},
    {"pathless_keys_case_insensitive", fixture::user,
     R"([{"op":"replace","value":{"UserName":"u","Active":"False"}}])",
     R"({"userName":"u","active":"False"})"},
    {"pathless_array_of_objects", fixture::user,
     R"([{"op":"replace","value":[{"title":"A"},{"displayName":"B"}]}])",
     R"({"title":"A","displayName":"B"})"},
    {"pathless_core_urn_key", fixture::user, R"([{"op":"replace","value":{"$C:userName":"x2"}}])",
     R"({"userName":"x2"})"},
    {"pathless_core_urn_object", fixture::user, R"([{"op":"replace","value":{"$C":{"userName":"x2"}}}])",
     R"({"userName":"x2"})"},
    {"pathless_unknown_extension_object", fixture::bare_user,
     R"([{"op":"replace","value":{"urn:acme:params:scim:ext:1.0:User":{"badge":"7"}}}])",
     R"({"schemas":["$C","urn:acme:params:scim:ext:1.0:User"],
        "urn:acme:params:scim:ext:1.0:User":{"badge":"7"}})"},
    {"pathless_unknown_extension_attribute", fixture::bare_user,
     R"([{"op":"replace","value":{"urn:acme:params:scim:ext:1.0:User:badge":"7"}}])",
     R"({"schemas":["$C","urn:acme:params:scim:ext:1.0:User"],
        "urn:acme:params:scim:ext:1.0:User":{"badge":"7"}})"},
    {"pathless_unknown_extension_complex_attribute", fixture::bare_user,
     R"([{"op":"replace","value":{"urn:acme:params:scim:ext:1.0:User:address":{"city":"X"}}}])",
     R"({"schemas":["$C","urn:acme:params:scim:ext:1.0:User"],
         "urn:acme:params:scim:ext:1.0:User":{"address":{"city":"X"}}})"},
    {"entra_pathless_add_extension_attributes", fixture::bare_user,
     R"([{"op":"Add","value":{"$E:department":"Sales","$E:employeeNumber":"9","displayName":"X Y"}}])",
     R"({"schemas":["$C","$E"],"displayName":"X Y","$E":{"department":"Sales","employeeNumber":"9"}})"},
    {"pathless_empty_object_is_no_op", fixture::user, R"([{"op":"replace","value":{}}])", "{}"},

    // --- multi-valued: whole attribute ---------------------------------------------------------------------
    {"add_one_value", fixture::user,
     R"([{"op":"add","path":"emails","value":{"value":"n@x","type":"other"}}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"b@home.example","type":"home"},
        {"value":"n@x","type":"other"}]})"},
    {"add_values_array", fixture::user,
     R"([{"op":"add","path":"phoneNumbers","value":[{"value":"555-2","type":"mobile"},
        {"value":"555-3","type":"fax"}]}])",
     R"({"phoneNumbers":[{"value":"555-1","type":"work"},{"value":"555-2","type":"mobile"},
        {"value":"555-3","type":"fax"}]})"},
    {"add_exact_duplicate_is_no_op", fixture::user,
     R"([{"op":"add","path":"emails","value":[{"value":"b@home.example","type":"home"}]}])", "{}"},
    {"add_same_value_same_type_merges", fixture::user,
     R"([{"op":"add","path":"emails","value":[{"value":"b@home.example","type":"home","primary":true}]}])",
     R"({"emails":[{"value":"b@work.example","type":"work"},
        {"value":"b@home.example","type":"home","primary":true}]})"},
    {"add_same_value_type_differs_in_case_merges", fixture::user,
     R"([{"op":"add","path":"emails","value":[{"value":"b@home.example","type":"HOME"}]}])", "{}"},
    {"add_same_value_other_type_appends", fixture::user,
     R"([{"op":"add","path":"emails","value":[{"value":"b@home.example","type":"other"}]}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"b@home.example","type":"home"},
        {"value":"b@home.example","type":"other"}]})"},
    {"add_primary_clears_other_primary", fixture::user,
     R"([{"op":"add","path":"emails","value":[{"value":"n@x","type":"other","primary":true}]}])",
     R"({"emails":[{"value":"b@work.example","type":"work"},{"value":"b@home.example","type":"home"},
        {"value":"n@x","type":"other","primary":true}]})"},
    {"add_primary_as_string_clears_other_primary", fixture::user,
     R"([{"op":"add","path":"emails","value":[{"value":"n@x","Primary":"True"}]}])",
     R"({"emails":[{"value":"b@work.example","type":"work"},{"value":"b@home.example","type":"home"},
        {"value":"n@x","primary":"True"}]})"},
    {"add_capitalized_sub_attribute_keys", fixture::user,
     R"([{"op":"add","path":"phoneNumbers","value":[{"Value":"555-9","Type":"mobile"}]}])",
     R"({"phoneNumbers":[{"value":"555-1","type":"work"},{"value":"555-9","type":"mobile"}]})"},
    {"add_empty_array_is_no_op", fixture::user, R"([{"op":"add","path":"emails","value":[]}])", "{}"},
    {"add_null_to_multi_valued_is_no_op", fixture::user, R"([{"op":"add","path":"emails","value":null}])",
     "{}"},
    {"add_to_absent_multi_valued", fixture::bare_user,
     R"([{"op":"add","path":"emails","value":[{"value":"a@x","type":"work"}]}])",
     R"({"emails":[{"value":"a@x","type":"work"}]})"},
    {"add_bare_strings_to_complex_multi_valued", fixture::bare_user,
     R"([{"op":"add","path":"roles","value":["admin","user"]}])",
     R"({"roles":[{"value":"admin"},{"value":"user"}]})"},
    {"add_null_members_dropped_from_values", fixture::bare_user,
     R"([{"op":"add","path":"emails","value":[{"value":"a@x","type":null,"display":null}]}])",
     R"({"emails":[{"value":"a@x"}]})"},
    {"replace_multi_valued_replaces_set", fixture::user,
     R"([{"op":"replace","path":"emails","value":[{"value":"z@x","type":"work","primary":true}]}])",
     R"({"emails":[{"value":"z@x","type":"work","primary":true}]})"},
    {"replace_multi_valued_with_single_object", fixture::user,
     R"([{"op":"replace","path":"emails","value":{"value":"z@x"}}])", R"({"emails":[{"value":"z@x"}]})"},
    {"replace_multi_valued_with_empty_array_removes", fixture::user,
     R"([{"op":"replace","path":"emails","value":[]}])", R"({"emails":null})"},
    {"remove_multi_valued", fixture::user, R"([{"op":"remove","path":"emails"}])", R"({"emails":null})"},
    {"remove_listed_values", fixture::user,
     R"([{"op":"remove","path":"emails","value":[{"value":"b@home.example"}]}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true}]})"},
    {"remove_listed_value_without_array", fixture::user,
     R"([{"op":"remove","path":"emails","value":{"value":"b@home.example"}}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true}]})"},
    {"remove_listed_values_without_value_match_whole", fixture::user,
     R"([{"op":"add","path":"addresses","value":[{"type":"work","locality":"A"},
        {"type":"home","locality":"B"}]},
        {"op":"remove","path":"addresses","value":[{"type":"home","locality":"B"}]}])",
     R"({"addresses":[{"type":"work","locality":"A"}]})"},
    {"remove_with_empty_value_array_removes_nothing", fixture::user,
     R"([{"op":"remove","path":"emails","value":[]}])", "{}"},
    {"remove_with_null_value_removes_all", fixture::user, R"([{"op":"remove","path":"emails","value":null}])",
     R"({"emails":null})"},

    // --- multi-valued: value filters -----------------------------------------------------------------------
    {"entra_replace_work_email", fixture::user,
     R"([{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"}])",
     R"({"emails":[{"value":"updatedEmail@microsoft.com","type":"work","primary":true},
        {"value":"b@home.example","type":"home"}]})"},
    {"entra_add_work_email_updates_existing", fixture::user,
     R"([{"op":"Add","path":"emails[type eq \"work\"].value","value":"new@x"}])",
     R"({"emails":[{"value":"new@x","type":"work","primary":true},
        {"value":"b@home.example","type":"home"}]})"},
    {"replace_filter_without_match_creates", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"other\"].value","value":"o@x"}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"b@home.example","type":"home"},
        {"type":"other","value":"o@x"}]})"},
    {"add_filter_without_values_creates", fixture::bare_user,
     R"([{"op":"Add","path":"emails[type eq \"work\"].value","value":"w@x"}])",
     R"({"emails":[{"type":"work","value":"w@x"}]})"},
    {"entra_create_work_phone_and_mobile", fixture::bare_user,
     R"([{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"555-1"},
        {"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"555-2"}])",
     R"({"phoneNumbers":[{"type":"work","value":"555-1"},{"type":"mobile","value":"555-2"}]})"},
    {"filter_and_terms_create", fixture::user,
     R"([{"op":"add","path":"emails[type eq \"other\" and display eq \"O\"].value","value":"o@x"}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"b@home.example","type":"home"},
        {"type":"other","display":"O","value":"o@x"}]})"},
    {"filter_create_sub_attribute_names_canonical", fixture::bare_user,
     R"([{"op":"add","path":"addresses[TYPE eq \"work\"].STREETADDRESS","value":"1 Main St"}])",
     R"({"addresses":[{"type":"work","streetAddress":"1 Main St"}]})"},
    {"filter_replace_existing_address_part", fixture::bare_user,
     R"([{"op":"add","path":"addresses[type eq \"work\"].locality","value":"A"},
        {"op":"replace","path":"addresses[type eq \"work\"].locality","value":"B"}])",
     R"({"addresses":[{"type":"work","locality":"B"}]})"},
    {"replace_filtered_value_merges", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"work\"]","value":{"value":"n@x"}}])",
     R"({"emails":[{"value":"n@x","type":"work","primary":true},{"value":"b@home.example","type":"home"}]})"},
    {"replace_filtered_value_scalar_sets_value", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"work\"]","value":"n@x"}])",
     R"({"emails":[{"value":"n@x","type":"work","primary":true},{"value":"b@home.example","type":"home"}]})"},
    {"replace_filtered_value_without_match_creates", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"other\"]","value":{"value":"o@x"}}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"b@home.example","type":"home"},
        {"type":"other","value":"o@x"}]})"},
    {"add_filtered_value_merges", fixture::user,
     R"([{"op":"add","path":"emails[type eq \"home\"]","value":{"display":"Home"}}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"b@home.example","type":"home","display":"Home"}]})"},
    {"replace_filtered_with_null_removes_matches", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"home\"]","value":null}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true}]})"},
    {"filtered_sub_attribute_null_unassigns", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"work\"].primary","value":null}])",
     R"({"emails":[{"value":"b@work.example","type":"work"},{"value":"b@home.example","type":"home"}]})"},
    {"filtered_primary_moves", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}])",
     R"({"emails":[{"value":"b@work.example","type":"work"},
        {"value":"b@home.example","type":"home","primary":true}]})"},
    {"email_display_survives_value_change", fixture::user,
     R"([{"op":"add","path":"emails[type eq \"home\"].display","value":"Home"},
        {"op":"replace","path":"emails[type eq \"home\"].value","value":"h@x"}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true},
        {"value":"h@x","type":"home","display":"Home"}]})"},
    {"filter_matches_case_insensitively", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"WORK\"].value","value":"n@x"}])",
     R"({"emails":[{"value":"n@x","type":"work","primary":true},{"value":"b@home.example","type":"home"}]})"},
    {"filter_path_names_case_insensitive", fixture::user,
     R"([{"op":"replace","path":"EMAILS[TYPE eq \"work\"].VALUE","value":"n@x"}])",
     R"({"emails":[{"value":"n@x","type":"work","primary":true},{"value":"b@home.example","type":"home"}]})"},
    {"filter_with_and", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"work\" and primary eq true].value","value":"n@x"}])",
     R"({"emails":[{"value":"n@x","type":"work","primary":true},{"value":"b@home.example","type":"home"}]})"},
    {"filter_with_or_updates_all_matches", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"work\" or type eq \"home\"].display","value":"D"}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true,"display":"D"},
        {"value":"b@home.example","type":"home","display":"D"}]})"},
    {"filter_on_boolean_string", fixture::user,
     R"([{"op":"replace","path":"emails[primary eq \"True\"].display","value":"P"}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true,"display":"P"},
        {"value":"b@home.example","type":"home"}]})"},
    {"remove_filtered_values", fixture::user, R"([{"op":"remove","path":"emails[type eq \"home\"]"}])",
     R"({"emails":[{"value":"b@work.example","type":"work","primary":true}]})"},
    {"remove_filtered_sub_attribute", fixture::user,
     R"([{"op":"remove","path":"emails[type eq \"work\"].primary"}])",
     R"({"emails":[{"value":"b@work.example","type":"work"},{"value":"b@home.example","type":"home"}]})"},
    {"remove_filter_without_match_is_no_op", fixture::user,
     R"([{"op":"remove","path":"emails[value eq \"nobody@x\"]"}])", "{}"},
    {"remove_filter_on_absent_attribute_is_no_op", fixture::bare_user,
     R"([{"op":"remove","path":"emails[type eq \"work\"]"}])", "{}"},
    {"remove_every_filtered_value_removes_attribute", fixture::user,
     R"([{"op":"remove","path":"emails[type eq \"work\"]"},
        {"op":"remove","path":"emails[type eq \"home\"]"}])",
     R"({"emails":null})"},
    {"remove_filter_or", fixture::user,
     R"([{"op":"remove","path":"emails[type eq \"work\" or type eq \"home\"]"}])", R"({"emails":null})"},
    {"sub_attribute_of_every_value", fixture::user,
     R"([{"op":"replace","path":"phoneNumbers.value","value":"555-9"}])",
     R"({"phoneNumbers":[{"value":"555-9","type":"work"}]})"},
    {"remove_sub_attribute_of_every_value", fixture::user, R"([{"op":"remove","path":"emails.type"}])",
     R"({"emails":[{"value":"b@work.example","primary":true},{"value":"b@home.example"}]})"},
    {"sub_attribute_of_every_value_creates_one", fixture::bare_user,
     R"([{"op":"add","path":"emails.value","value":"a@x"}])", R"({"emails":[{"value":"a@x"}]})"},
    {"filter_with_urn_prefix", fixture::user,
     R"([{"op":"replace","path":"$C:emails[type eq \"work\"].value","value":"n@x"}])",
     R"({"emails":[{"value":"n@x","type":"work","primary":true},{"value":"b@home.example","type":"home"}]})"},
    {"unknown_multi_valued_appends_and_dedupes", fixture::bare_user,
     R"([{"op":"add","path":"customTags","value":["x"]},{"op":"add","path":"customTags","value":["y","x"]}])",
     R"({"customTags":["x","y"]})"},
    {"unknown_multi_valued_filter", fixture::bare_user,
     R"([{"op":"add","path":"customTags","value":["x","y"]},
        {"op":"remove","path":"customTags[value eq \"x\"]"}])",
     R"({"customTags":["y"]})"},
    {"remove_then_add_in_order", fixture::user,
     R"([{"op":"remove","path":"emails"},{"op":"add","path":"emails","value":[{"value":"a@x"}]}])",
     R"({"emails":[{"value":"a@x"}]})"},
    {"add_then_remove_in_order", fixture::user,
     R"([{"op":"add","path":"title","value":"A"},{"op":"remove","path":"title"}])", R"({"title":null})"},

    // --- groups --------------------------------------------------------------------------------------------
    {"entra_add_member", fixture::group,
     R"([{"name":"addMember","op":"Add","path":"members","value":[{"$ref":null,"value":"m3"}]}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"},
        {"value":"m2","display":"Bob"},{"value":"m3"}]})"},
    {"entra_add_existing_member_is_idempotent", fixture::group,
     R"([{"op":"Add","path":"members","value":[{"$ref":null,"value":"m1"}]}])", "{}"},
    {"readd_member_twice_in_one_value", fixture::group,
     R"([{"op":"add","path":"members","value":[{"value":"m3"},{"value":"m3"}]}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"},
        {"value":"m2","display":"Bob"},{"value":"m3"}]})"},
    {"readd_member_in_two_operations", fixture::group,
     R"([{"op":"add","path":"members","value":[{"value":"m3"}]},{"op":"add","path":"members",
        "value":[{"value":"m3"}]}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"},
        {"value":"m2","display":"Bob"},{"value":"m3"}]})"},
    {"readd_member_type_in_other_case", fixture::group,
     R"([{"op":"add","path":"members","value":[{"value":"m1","type":"user"}]}])", "{}"},
    {"okta_add_member_with_display", fixture::group,
     R"([{"op":"add","path":"members","value":[{"value":"m3","display":"carol@okta.local"}]}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"},
        {"value":"m2","display":"Bob"},{"value":"m3","display":"carol@okta.local"}]})"},
    {"add_member_capitalized_keys", fixture::group,
     R"([{"op":"add","path":"members","value":[{"Value":"m4"}]}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"},
        {"value":"m2","display":"Bob"},{"value":"m4"}]})"},
    {"add_member_as_bare_string", fixture::group, R"([{"op":"add","path":"members","value":"m5"}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"},
        {"value":"m2","display":"Bob"},{"value":"m5"}]})"},
    {"entra_remove_member", fixture::group,
     R"([{"name":"removeMember","op":"Remove","path":"members","value":[{"$ref":null,"value":"m1"}]}])",
     R"({"members":[{"value":"m2","display":"Bob"}]})"},
    {"entra_remove_all_listed_members", fixture::group,
     R"([{"op":"Remove","path":"members","value":[{"value":"m1"},{"value":"m2"}]}])", R"({"members":null})"},
    {"remove_absent_member_is_no_op", fixture::group,
     R"([{"op":"Remove","path":"members","value":[{"value":"m9"}]}])", "{}"},
    {"remove_member_capitalized_key", fixture::group,
     R"([{"op":"Remove","path":"members","value":[{"Value":"m2"}]}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"}]})"},
    {"okta_remove_member_by_filter", fixture::group, R"([{"op":"remove","path":"members[value eq \"m2\"]"}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"}]})"},
    {"remove_all_members", fixture::group, R"([{"op":"remove","path":"members"}])", R"({"members":null})"},
    {"replace_members", fixture::group, R"([{"op":"replace","path":"members","value":[{"value":"m9"}]}])",
     R"({"members":[{"value":"m9"}]})"},
    {"replace_members_with_empty_array", fixture::group, R"([{"op":"replace","path":"members","value":[]}])",
     R"({"members":null})"},
    {"entra_rename_group", fixture::group, R"([{"op":"Replace","path":"displayName","value":"New"}])",
     R"({"displayName":"New"})"},
    {"okta_rename_group_pathless_with_id", fixture::group,
     R"([{"op":"replace","value":{"id":"g1","displayName":"New"}}])", R"({"displayName":"New"})"},
    {"okta_remove_and_add_members", fixture::group,
     R"([{"op":"remove","path":"members[value eq \"m1\"]"},{"op":"add","path":"members",
        "value":[{"value":"m3"}]}])",
     R"({"members":[{"value":"m2","display":"Bob"},{"value":"m3"}]})"},
    {"remove_then_readd_member", fixture::group,
     R"([{"op":"remove","path":"members","value":[{"value":"m1"}]},{"op":"add","path":"members",
        "value":[{"value":"m1"}]}])",
     R"({"members":[{"value":"m2","display":"Bob"},{"value":"m1"}]})"},
    {"member_immutable_value_unchanged_is_allowed", fixture::group,
     R"([{"op":"replace","path":"members[value eq \"m1\"].value","value":"m1"}])", "{}"},
    {"member_type_set_where_absent", fixture::group,
     R"([{"op":"add","path":"members[value eq \"m2\"].type","value":"User"}])",
     R"({"members":[{"value":"m1","display":"Alice","$ref":"https://example.com/Users/m1","type":"User"},
        {"value":"m2","display":"Bob","type":"User"}]})"},

    // --- keys stored in odd case ---------------------------------------------------------------------------
    {"odd_key_renamed_on_write", fixture::odd_user, R"([{"op":"replace","path":"userName","value":"new"}])",
     R"({"UserName":null,"userName":"new"})"},
    {"odd_keys_read_case_insensitively", fixture::odd_user, R"([{"op":"remove","path":"active"}])",
     R"({"Active":null})"},
    {"odd_multi_valued_canonicalized_on_add", fixture::odd_user,
     R"([{"op":"add","path":"emails","value":[{"value":"b@x","type":"home","primary":true}]}])",
     R"({"Emails":null,"emails":[{"value":"a@x","type":"work"},
        {"value":"b@x","type":"home","primary":true}]})"},
    {"odd_multi_valued_filter", fixture::odd_user,
     R"([{"op":"replace","path":"emails[type eq \"work\"].value","value":"c@x"}])",
     R"({"Emails":null,"emails":[{"value":"c@x","type":"work","primary":true}]})"},
    {"odd_multi_valued_filtered_remove", fixture::odd_user,
     R"([{"op":"remove","path":"emails[type eq \"work\"]"}])", R"({"Emails":null})"},
    {"odd_complex_parent_renamed", fixture::odd_user,
     R"([{"op":"add","path":"name.familyName","value":"F"}])",
     R"({"Name":null,"name":{"GivenName":"A","familyName":"F"}})"},
    {"odd_pathless_replace", fixture::odd_user,
     R"([{"op":"replace","value":{"USERNAME":"n","ACTIVE":false}}])",
     R"({"UserName":null,"Active":null,"userName":"n","active":false})"},
};

std::string case_name(const ::testing::TestParamInfo<success_case>& info) { return info.param.name; }

class PatchApplies : public ::testing::TestWithParam<success_case> {};

TEST_P(PatchApplies, ToTheFixture) {
    const auto& c = GetParam();
    const json& before = resource(c.base);
    const json before_copy = before;
    const auto result = apply_patch(before, request(c.operations), schema_for(c.base));
    ASSERT_TRUE(result.has_value()) << result.error().scim_type << ": " << result.error().detail;
    json expected = before;
    expected.merge_patch(parse(c.expected));
    EXPECT_EQ(*result, expected) << "got:      " << result->dump() << "\nexpected: " << expected.dump();
    EXPECT_EQ(before, before_copy);
}

TEST_P(PatchApplies, AppliesAgainToItsOwnResult) {
    // Retried requests (an IdP that missed the response) must not fail on the state they produced.
    const auto& c = GetParam();
    const auto once = apply_patch(resource(c.base), request(c.operations), schema_for(c.base));
    ASSERT_TRUE(once.has_value());
    const auto twice = apply_patch(*once, request(c.operations), schema_for(c.base));
    ASSERT_TRUE(twice.has_value()) << twice.error().detail;
}

INSTANTIATE_TEST_SUITE_P(Cases, PatchApplies, ::testing::ValuesIn(success_cases), case_name);

// -----------------------------------------------------------------------------------------------------------
// Rejected requests
// -----------------------------------------------------------------------------------------------------------

struct failure_case {
    std::string name;
    fixture base;
    std::string body;  ///< "!" + JSON or an object: the whole request body; otherwise the Operations array
    std::string scim_type;
    std::string detail_contains = {};
    std::size_t max_operations = 1000;
};

std::ostream& operator<<(std::ostream& os, const failure_case& c) { return os << c.name; }

const std::vector<failure_case> failure_cases = {
    // --- request shape -------------------------------------------------------------------------------------
    {"body_not_object", fixture::user,
     "!"
     R"([{"op":"remove","path":"title"}])",
     "invalidSyntax", "JSON object"},
    {"body_string", fixture::user, "!\"x\"", "invalidSyntax"},
    {"missing_schemas", fixture::user, R"({"Operations":[{"op":"remove","path":"title"}]})", "invalidSyntax",
     "PatchOp"},
    {"wrong_schema", fixture::user,
     R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
        "Operations":[{"op":"remove","path":"title"}]})",
     "invalidSyntax", "PatchOp"},
    {"schemas_not_array_or_string", fixture::user,
     R"({"schemas":{"x":1},"Operations":[{"op":"remove","path":"title"}]})", "invalidSyntax"},
    {"missing_operations", fixture::user, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]})",
     "invalidSyntax", "Operations"},
    {"operations_not_array", fixture::user,
     R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":{"op":"remove","path":"title"}})",
     "invalidSyntax", "array"},
    {"operations_empty", fixture::user,
     R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]})", "invalidSyntax",
     "empty"},
    {"too_many_operations", fixture::user,
     R"([{"op":"remove","path":"title"},{"op":"remove","path":"title"},{"op":"remove","path":"title"}])",
     "invalidValue", "too many operations", 2},
    {"operation_not_object", fixture::user, R"(["remove"])", "invalidSyntax", "Operations[0]"},
    {"op_missing", fixture::user, R"([{"path":"title"}])", "invalidSyntax", "'op'"},
    {"op_not_string", fixture::user, R"([{"op":1,"path":"title"}])", "invalidSyntax", "'op'"},
    {"op_move", fixture::user, R"([{"op":"move","from":"title","path":"nickName"}])", "invalidSyntax",
     "move"},
    {"op_copy", fixture::user, R"([{"op":"copy","from":"title","path":"nickName"}])", "invalidSyntax",
     "copy"},
    {"op_test", fixture::user, R"([{"op":"test","path":"title","value":"Guide"}])", "invalidSyntax", "test"},
    {"op_empty", fixture::user, R"([{"op":"","path":"title"}])", "invalidSyntax"},
    {"path_not_string", fixture::user, R"([{"op":"remove","path":5}])", "invalidSyntax", "'path'"},
    {"add_without_value", fixture::user, R"([{"op":"add","path":"title"}])", "invalidValue", "value"},
    {"replace_without_value", fixture::user, R"([{"op":"replace","path":"title"}])", "invalidValue", "value"},
    {"pathless_add_without_value", fixture::user, R"([{"op":"add"}])", "invalidValue", "value"},
    {"pathless_remove", fixture::user, R"([{"op":"remove"}])", "noTarget"},
    {"pathless_remove_with_value", fixture::user, R"([{"op":"Remove","value":{"title":"Guide"}}])",
     "noTarget"},
    {"pathless_value_string", fixture::user, R"([{"op":"add","value":"x"}])", "invalidValue", "object"},
    {"pathless_value_array_of_strings", fixture::user, R"([{"op":"replace","value":["x"]}])", "invalidValue"},
    {"pathless_bad_key", fixture::user, R"([{"op":"replace","value":{"bad key":1}}])", "invalidValue",
     "bad key"},
    {"pathless_key_with_filter_error", fixture::user, R"([{"op":"replace","value":{"emails[type eq":1}}])",
     "invalidValue"},

    // --- malformed paths -----------------------------------------------------------------------------------
    {"path_unclosed_filter", fixture::user, R"([{"op":"remove","path":"emails[type eq"}])", "invalidPath"},
    {"path_unclosed_filter_value", fixture::user, R"([{"op":"remove","path":"emails[type eq \"work\""}])",
     "invalidPath"},
    {"path_extra_bracket", fixture::user, R"([{"op":"remove","path":"emails[type eq \"work\"]]"}])",
     "invalidPath"},
    {"path_double_dot", fixture::user, R"([{"op":"remove","path":"name..x"}])", "invalidPath"},
    {"path_empty", fixture::user, R"([{"op":"remove","path":""}])", "invalidPath", "empty"},
    {"path_blank", fixture::user, R"([{"op":"replace","path":" ","value":"x"}])", "invalidPath"},
    {"path_filter_expression", fixture::user, R"([{"op":"remove","path":"userName eq \"x\""}])",
     "invalidPath"},
    {"path_value_path_with_comparison", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"work\"].value eq \"x\"","value":"y"}])", "invalidPath"},
    {"path_empty_filter", fixture::user, R"([{"op":"remove","path":"emails[]"}])", "invalidPath"},
    {"path_sub_attribute_of_simple", fixture::user, R"([{"op":"replace","path":"userName.x","value":"y"}])",
     "invalidPath", "not complex"},
    {"path_filter_on_single_valued", fixture::user,
     R"([{"op":"replace","path":"name[givenName eq \"B\"].givenName","value":"y"}])", "invalidPath",
     "single-valued"},
    {"path_nested_filter", fixture::user, R"([{"op":"remove","path":"emails[value[type eq \"x\"]]"}])",
     "invalidPath"},
    {"path_wildcard_value", fixture::user, R"([{"op":"remove","path":"emails[type eq wo*]"}])",
     "invalidPath"},

    // --- mutability ----------------------------------------------------------------------------------------
    {"replace_id", fixture::user, R"([{"op":"replace","path":"id","value":"u9"}])", "mutability", "'id'"},
    {"replace_id_same_value_by_path", fixture::user, R"([{"op":"replace","path":"id","value":"u1"}])",
     "mutability"},
    {"add_id", fixture::bare_user, R"([{"op":"add","path":"id","value":"u9"}])", "mutability"},
    {"remove_id", fixture::user, R"([{"op":"remove","path":"id"}])", "mutability"},
    {"replace_id_core_urn", fixture::user, R"([{"op":"replace","path":"$C:id","value":"u9"}])", "mutability"},
    {"replace_meta", fixture::user, R"([{"op":"replace","path":"meta","value":{}}])", "mutability"},
    {"replace_meta_version", fixture::user, R"([{"op":"replace","path":"meta.version","value":"W/\"9\""}])",
     "mutability"},
    {"remove_meta_last_modified", fixture::user, R"([{"op":"remove","path":"meta.lastModified"}])",
     "mutability"},
    {"replace_schemas", fixture::user, R"([{"op":"replace","path":"schemas","value":["$C"]}])", "mutability"},
    {"add_schemas", fixture::user, R"([{"op":"add","path":"schemas","value":["urn:x:y"]}])", "mutability"},
    {"remove_schemas", fixture::user, R"([{"op":"remove","path":"schemas"}])", "mutability"},
    {"replace_groups", fixture::user, R"([{"op":"replace","path":"groups","value":[{"value":"g2"}]}])",
     "mutability", "readOnly"},
    {"add_groups", fixture::user, R"([{"op":"add","path":"groups","value":[{"value":"g2"}]}])", "mutability"},
    {"remove_groups", fixture::user, R"([{"op":"remove","path":"groups"}])", "mutability"},
    {"remove_groups_filtered", fixture::user, R"([{"op":"remove","path":"groups[value eq \"g1\"]"}])",
     "mutability"},
    {"manager_display_name_read_only", fixture::user,
     R"([{"op":"replace","path":"$E:manager.displayName","value":"X"}])", "mutability"},
    {"pathless_different_id", fixture::user, R"([{"op":"replace","value":{"id":"u9","active":false}}])",
     "mutability", "'id'"},
    {"okta_group_rename_with_other_id", fixture::group,
     R"([{"op":"replace","value":{"id":"g9","displayName":"New"}}])", "mutability"},
    {"member_display_read_only", fixture::group,
     R"([{"op":"replace","path":"members[value eq \"m1\"].display","value":"A"}])", "mutability"},
    {"member_value_immutable", fixture::group,
     R"([{"op":"replace","path":"members[value eq \"m1\"].value","value":"mX"}])", "mutability", "immutable"},
    {"member_value_immutable_by_merge", fixture::group,
     R"([{"op":"replace","path":"members[value eq \"m1\"]","value":{"value":"mX"}}])", "mutability",
     "members.value"},
    {"member_value_immutable_remove", fixture::group,
     R"([{"op":"remove","path":"members[value eq \"m1\"].value"}])", "mutability"},
    {"member_type_immutable", fixture::group,
     R"([{"op":"replace","path":"members[value eq \"m1\"].type","value":"Group"}])", "mutability"},

    // --- values --------------------------------------------------------------------------------------------
    {"two_primaries_in_one_value", fixture::user,
     R"([{"op":"add","path":"emails","value":[{"value":"a@x","primary":true},
        {"value":"b@x","primary":true}]}])",
     "invalidValue", "primary"},
    {"two_primaries_in_replace", fixture::user,
     R"([{"op":"replace","path":"emails","value":[{"value":"a@x","primary":true},
        {"value":"b@x","primary":"True"}]}])",
     "invalidValue", "primary"},
    {"filtered_primary_on_two_values", fixture::user,
     R"([{"op":"replace","path":"emails[value ew \".example\"].primary","value":true}])", "invalidValue",
     "primary"},
    {"single_valued_given_two_values", fixture::user,
     R"([{"op":"replace","path":"title","value":["a","b"]}])", "invalidValue", "single-valued"},
    {"manager_given_two_values", fixture::user,
     R"([{"op":"replace","path":"$E:manager","value":[{"value":"a"},{"value":"b"}]}])", "invalidValue"},
    {"name_given_a_string", fixture::user, R"([{"op":"replace","path":"name","value":"Barbara"}])",
     "invalidValue", "object"},
    {"filtered_value_given_two_values", fixture::user,
     R"([{"op":"replace","path":"emails[type eq \"work\"]","value":[{"value":"a"},{"value":"b"}]}])",
     "invalidValue"},
    {"whole_extension_given_string", fixture::user, R"([{"op":"replace","path":"$E","value":"x"}])",
     "invalidValue"},
    {"no_match_filter_not_describable_co", fixture::user,
     R"([{"op":"replace","path":"emails[value co \"zzz\"].value","value":"n@x"}])", "noTarget"},
    {"no_match_filter_not_describable_or", fixture::bare_user,
     R"([{"op":"add","path":"emails[type eq \"a\" or type eq \"b\"].value","value":"n@x"}])", "noTarget"},
    {"no_match_filter_not_describable_not", fixture::bare_user,
     R"([{"op":"add","path":"emails[not (type eq \"a\")].value","value":"n@x"}])", "noTarget"},
    {"whole_resource_remove", fixture::user, R"([{"op":"remove","path":"$C"}])", "noTarget"},

    // --- atomicity: a later failure fails the whole request ------------------------------------------------
    {"second_operation_fails", fixture::user,
     R"([{"op":"replace","path":"title","value":"T"},{"op":"remove","path":"id"}])", "mutability",
     "Operations[1]"},
    {"third_operation_has_bad_path", fixture::group,
     R"([{"op":"add","path":"members","value":[{"value":"m3"}]},
        {"op":"replace","path":"displayName","value":"N"},
        {"op":"remove","path":"members[value eq"}])",
     "invalidPath", "Operations[2]"},
};

std::string failure_name(const ::testing::TestParamInfo<failure_case>& info) { return info.param.name; }

class PatchRejects : public ::testing::TestWithParam<failure_case> {};

TEST_P(PatchRejects, WithScimError) {
    const auto& c = GetParam();
    json body;
    if (!c.body.empty() && c.body.front() == '!') {
        body = parse(c.body.substr(1));
    } else if (!c.body.empty() && c.body.front() == '{') {
        body = parse(c.body);
    } else {
        body = request(c.body);
    }
    patch_limits limits;
    limits.max_operations = c.max_operations;
    const json& before = resource(c.base);
    const json before_copy = before;
    const auto result = apply_patch(before, body, schema_for(c.base), limits);
    ASSERT_FALSE(result.has_value()) << result->dump();
    const error e = result.error();
    EXPECT_EQ(e.status, 400u);
    EXPECT_EQ(e.scim_type, c.scim_type) << e.detail;
    EXPECT_NE(e.detail.find(c.detail_contains), std::string::npos) << e.detail;
    EXPECT_EQ(before, before_copy);
}

INSTANTIATE_TEST_SUITE_P(Cases, PatchRejects, ::testing::ValuesIn(failure_cases), failure_name);

// -----------------------------------------------------------------------------------------------------------
// Requests as the IdPs send them, whole
// -----------------------------------------------------------------------------------------------------------

TEST(PatchIdp, EntraUserUpdateWithManagerAndEmail) {
    const json body = parse(R"({
      "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations": [
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        {"op": "Add", "path": "$E:manager",
         "value": [{"$ref": null, "value": "ae6bcd51-7d5d-4c04-8a77-fa4f43fb9a2e"}]},
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "value": {"$E:department": "Sales", "title": "Manager"}}
      ]})");
    const auto result = apply_patch(resource(fixture::user), body, resource::user_resource_schema());
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    const json& r = *result;
    EXPECT_EQ(r["emails"][0]["value"], "updatedEmail@microsoft.com");
    EXPECT_EQ(r["name"]["familyName"], "updatedFamilyName");
    EXPECT_EQ(r["name"]["givenName"], "Barbara");
    EXPECT_EQ(r[resource::enterprise_user_urn]["manager"],
              json({{"value", "ae6bcd51-7d5d-4c04-8a77-fa4f43fb9a2e"}}));
    EXPECT_EQ(r[resource::enterprise_user_urn]["department"], "Sales");
    EXPECT_EQ(r[resource::enterprise_user_urn]["employeeNumber"], "701984");
    EXPECT_EQ(r["active"], "False");
    EXPECT_EQ(r["title"], "Manager");
    EXPECT_EQ(r["id"], "u1");
    EXPECT_EQ(r["meta"], resource(fixture::user)["meta"]);
}

TEST(PatchIdp, EntraGroupMembershipAddThenRemove) {
    const json add = parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations":[{"name":"addMember","op":"Add","path":"members",
                     "value":[{"$ref":null,"value":"7d5d4ab9-c5d4-4c01-bfc7-3f42f4a6d2b0"}]}]})");
    const json remove = parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations":[{"name":"removeMember","op":"Remove","path":"members",
                     "value":[{"$ref":null,"value":"7d5d4ab9-c5d4-4c01-bfc7-3f42f4a6d2b0"}]}]})");
    const auto added = apply_patch(resource(fixture::group), add, resource::group_resource_schema());
    ASSERT_TRUE(added.has_value()) << added.error().detail;
    EXPECT_EQ((*added)["members"].size(), 3u);
    const auto again = apply_patch(*added, add, resource::group_resource_schema());
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *added);
    const auto removed = apply_patch(*again, remove, resource::group_resource_schema());
    ASSERT_TRUE(removed.has_value()) << removed.error().detail;
    EXPECT_EQ(*removed, resource(fixture::group));
}

TEST(PatchIdp, OktaGroupPushRenameAndMembers) {
    const json body = parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations":[
        {"op":"replace","value":{"id":"g1","displayName":"Test SCIMv2"}},
        {"op":"remove","path":"members[value eq \"m1\"]"},
        {"op":"add","path":"members","value":[{"value":"m3","display":"test.user@okta.local"}]}]})");
    const auto result = apply_patch(resource(fixture::group), body, resource::group_resource_schema());
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    EXPECT_EQ((*result)["displayName"], "Test SCIMv2");
    EXPECT_EQ((*result)["members"], parse(R"([{"value":"m2","display":"Bob"},
                                             {"value":"m3","display":"test.user@okta.local"}])"));
}

TEST(PatchIdp, OperationsKeyInLowerCaseAndSchemaAsString) {
    const json body = parse(R"({"schemas":"urn:ietf:params:scim:api:messages:2.0:PatchOp",
                                "operations":[{"op":"replace","path":"title","value":"T"}]})");
    const auto result = apply_patch(resource(fixture::user), body, resource::user_resource_schema());
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    EXPECT_EQ((*result)["title"], "T");
}

TEST(PatchIdp, PatchOpSchemaMatchesCaseInsensitively) {
    const json body = parse(R"({"schemas":["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],
                                "Operations":[{"op":"replace","path":"title","value":"T"}]})");
    EXPECT_TRUE(apply_patch(resource(fixture::user), body, resource::user_resource_schema()).has_value());
}

// -----------------------------------------------------------------------------------------------------------
// Properties
// -----------------------------------------------------------------------------------------------------------

TEST(Patch, FailureLeavesNothingBehind) {
    const json& before = resource(fixture::user);
    const json copy = before;
    const auto result = apply_patch(before, request(R"([{"op":"replace","path":"title","value":"T"},
                                                {"op":"add","path":"emails","value":[{"value":"z@x"}]},
                                                {"op":"replace","path":"meta.version","value":"x"}])"),
                                    resource::user_resource_schema());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().scim_type, "mutability");
    EXPECT_EQ(before, copy);
}

TEST(Patch, DefaultLimitAllowsAThousandOperations) {
    std::string ops = "[";
    for (int i = 0; i < 1000; ++i)
        ops += std::string(i ? "," : "") + R"({"op":"replace","path":"title","value":"T"})";
    ops += "]";
    EXPECT_TRUE(
        apply_patch(resource(fixture::user), request(ops), resource::user_resource_schema()).has_value());
    ops.back() = ',';
    ops += R"({"op":"replace","path":"title","value":"T"}])";
    const auto result = apply_patch(resource(fixture::user), request(ops), resource::user_resource_schema());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().scim_type, "invalidValue");
}

TEST(Patch, ManyMembersStayLinear) {
    // 20k members, then add 2k new and 2k existing ones in one operation: a quadratic duplicate check would
    // compare 88M pairs; the hashed one finishes in well under a second even under sanitizers.
    json group = resource(fixture::group);
    group["members"] = json::array();
    for (int i = 0; i < 20000; ++i) group["members"].push_back({{"value", "m" + std::to_string(i)}});
    json value = json::array();
    for (int i = 19000; i < 23000; ++i)
        value.push_back({{"$ref", nullptr}, {"value", "m" + std::to_string(i)}});
    json ops = json::array({{{"op", "Add"}, {"path", "members"}, {"value", value}}});
    const auto start = std::chrono::steady_clock::now();
    const auto result = apply_patch(group, request(ops.dump()), resource::group_resource_schema());
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    EXPECT_EQ((*result)["members"].size(), 23000u);
    EXPECT_EQ((*result)["members"][22999], json({{"value", "m22999"}}));
    EXPECT_LT(took, std::chrono::seconds(20));

    json remove = json::array({{{"op", "Remove"}, {"path", "members"}, {"value", value}}});
    const auto removed = apply_patch(*result, request(remove.dump()), resource::group_resource_schema());
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ((*removed)["members"].size(), 19000u);
}

TEST(Patch, ErrorsNameTheOperation) {
    const auto result =
        apply_patch(resource(fixture::user), request(R"([{"op":"replace","path":"title","value":"T"},
                                                {"op":"replace","path":"emails[type eq","value":"x"}])"),
                    resource::user_resource_schema());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().detail.rfind("Operations[1]: ", 0), 0u) << result.error().detail;
    EXPECT_NE(result.error().detail.find("emails[type eq"), std::string::npos) << result.error().detail;
}

TEST(Patch, NonObjectResourceIsRejectedNotThrown) {
    const auto result = apply_patch(json::array(), request(R"([{"op":"remove","path":"title"}])"),
                                    resource::user_resource_schema());
    EXPECT_FALSE(result.has_value());
}

TEST(Patch, ExtensionObjectOfWrongShapeIsReplacedOnWrite) {
    json user = resource(fixture::bare_user);
    user[resource::enterprise_user_urn] = "garbage";
    const auto result = apply_patch(user, request(R"([{"op":"add","path":"$E:department","value":"D"}])"),
                                    resource::user_resource_schema());
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    EXPECT_EQ((*result)[resource::enterprise_user_urn], json({{"department", "D"}}));
}

TEST(Patch, StoredSingleValueForMultiValuedAttributeIsWrapped) {
    json user = resource(fixture::bare_user);
    user["emails"] = {{"value", "a@x"}, {"type", "work"}};
    const auto result =
        apply_patch(user, request(R"([{"op":"add","path":"emails","value":{"value":"b@x"}}])"),
                    resource::user_resource_schema());
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    EXPECT_EQ((*result)["emails"], parse(R"([{"value":"a@x","type":"work"},{"value":"b@x"}])"));
}

TEST(Patch, UnknownUrnWithLowerCaseLastSegmentIsAnAttribute) {
    // "urn:acme:ext:1.0:User:address" with an object: attribute "address" of schema "urn:acme:ext:1.0:User".
    const auto result =
        apply_patch(resource(fixture::bare_user),
                    request(R"([{"op":"add","path":"urn:acme:ext:1.0:User:address","value":{"city":"X"}}])"),
                    resource::user_resource_schema());
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    EXPECT_EQ((*result)["urn:acme:ext:1.0:User"], json({{"address", {{"city", "X"}}}}));
}

TEST(Patch, UnknownWholeExtensionPath) {
    // "urn:acme:ext:1.0:User" with an object: the whole extension (capitalised last segment).
    const auto result =
        apply_patch(resource(fixture::bare_user),
                    request(R"([{"op":"add","path":"urn:acme:ext:1.0:User","value":{"badge":"7"}}])"),
                    resource::user_resource_schema());
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    EXPECT_EQ((*result)["urn:acme:ext:1.0:User"], json({{"badge", "7"}}));
    const auto removed = apply_patch(*result, request(R"([{"op":"remove","path":"urn:acme:ext:1.0:User"}])"),
                                     resource::user_resource_schema());
    ASSERT_TRUE(removed.has_value()) << removed.error().detail;
    EXPECT_EQ(*removed, resource(fixture::bare_user));
}

TEST(Patch, NeverThrowsForAnyShape) {
    // Every op x path x value over well-formed and malformed resources: errors are values, never exceptions.
    const json weird = parse(R"({
      "schemas": "not-an-array", "id": 7, "userName": ["a"], "name": "Barbara", "emails": "a@x",
      "phoneNumbers": [null, "555", [1], {"Value": null, "Primary": "yes"}, {"value": {"x": 1}}],
      "members": [null, "m1", {"value": "m1"}, {"value": ["m1"]}, 5],
      "$E": 3, "customTags": {"value": "x"}, "meta": []
    })");
    const std::vector<json> resources = {resource(fixture::user), resource(fixture::group),
                                         resource(fixture::odd_user), weird};
    const std::vector<std::string> ops = {"add", "Replace", "remove"};
    const std::vector<std::string> paths = {"",
                                            "userName",
                                            "name",
                                            "name.givenName",
                                            "emails",
                                            "emails.value",
                                            R"(emails[type eq "work"])",
                                            R"(emails[type eq "work"].value)",
                                            R"(emails[type eq "work"].primary)",
                                            "phoneNumbers",
                                            R"(phoneNumbers[value pr])",
                                            R"(phoneNumbers[not (type eq "x")].value)",
                                            "members",
                                            R"(members[value eq "m1"])",
                                            R"(members[value eq "m1"].display)",
                                            R"(members[value eq "m1"].value)",
                                            "$E",
                                            "$E:manager",
                                            "$E:manager.value",
                                            "$C",
                                            "custom",
                                            "custom.x",
                                            "customTags",
                                            R"(customTags[value eq "x"])",
                                            R"(customTags[value eq "x"].y)",
                                            "urn:acme:ext:1.0:User",
                                            "urn:acme:ext:1.0:User:x",
                                            "groups",
                                            "id",
                                            "meta",
                                            "schemas",
                                            "active",
                                            "displayName"};
    const std::vector<std::string> values = {
        "<absent>",
        "null",
        "true",
        "0",
        "1.5",
        R"("")",
        R"("x")",
        "[]",
        "[null]",
        "[1,2]",
        "[{}]",
        R"([{"value":null}])",
        "{}",
        R"({"value":"x"})",
        R"({"Value":1,"primary":"True"})",
        R"({"a":{"b":[1]}})",
        "[[1]]",
        R"({"value":[1,2]})",
        R"([{"value":"m1"}])",
        R"({"type":"work"})",
        R"(["x"])",
        R"({"id":"g1","displayName":"n","emails":"x","name":null})",
        R"([{"primary":true},{"primary":true}])",
        R"({"$E":{"manager":[1,2]},"$C":"x","urn:acme:ext:1.0:User":5})"};
    std::size_t applied = 0, rejected = 0;
    for (const json& r : resources) {
        for (const auto& op : ops) {
            for (const auto& path : paths) {
                for (const auto& value : values) {
                    json operation = {{"op", op}};
                    if (!path.empty()) operation["path"] = expand(path);
                    if (value != "<absent>") operation["value"] = parse(value);
                    const json body = request(json::array({operation}).dump());
                    for (const resource::resource_schema* schema :
                         {&resource::user_resource_schema(), &resource::group_resource_schema()}) {
                        try {
                            const auto result = apply_patch(r, body, *schema);
                            if (result) {
                                ++applied;
                                EXPECT_TRUE(result->is_object());
                            } else {
                                ++rejected;
                                EXPECT_EQ(result.error().status, 400u);
                                EXPECT_FALSE(result.error().scim_type.empty());
                            }
                        } catch (const std::exception& e) {
                            ADD_FAILURE() << e.what() << " for " << operation.dump() << " on " << r.dump();
                        }
                    }
                }
            }
        }
    }
    EXPECT_GT(applied, 1000u);
    EXPECT_GT(rejected, 1000u);
}

}  // namespace
}  // namespace dirsync::scim
