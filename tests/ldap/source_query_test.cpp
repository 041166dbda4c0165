#include "ldap/source_query.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dirsync::ldap {
namespace {

TEST(Flavour, DefaultsPerServer) {
    EXPECT_EQ(default_anchor_attribute(directory_flavour::openldap), "entryUUID");
    EXPECT_EQ(default_anchor_attribute(directory_flavour::active_directory), "objectGUID");
    EXPECT_EQ(default_anchor_attribute(directory_flavour::ds389), "nsUniqueId");
    EXPECT_EQ(default_anchor_attribute(directory_flavour::freeipa), "ipaUniqueID");
    EXPECT_EQ(default_anchor_attribute(directory_flavour::generic), "entryUUID");
    EXPECT_EQ(default_incremental_method(directory_flavour::openldap), incremental_method::syncrepl);
    EXPECT_EQ(default_incremental_method(directory_flavour::active_directory), incremental_method::usn);
    EXPECT_EQ(default_incremental_method(directory_flavour::freeipa), incremental_method::timestamp);
}

TEST(Flavour, NamesRoundTrip) {
    for (auto f : {directory_flavour::openldap, directory_flavour::active_directory, directory_flavour::ds389,
                   directory_flavour::freeipa, directory_flavour::generic})
        EXPECT_EQ(parse_flavour(to_string(f)), f);
    EXPECT_EQ(parse_flavour("AD"), directory_flavour::active_directory);
    EXPECT_EQ(parse_flavour("389-DS"), directory_flavour::ds389);
    EXPECT_FALSE(parse_flavour("novell"));
    for (auto m : {incremental_method::syncrepl, incremental_method::usn, incremental_method::timestamp})
        EXPECT_EQ(parse_incremental_method(to_string(m)), m);
    EXPECT_FALSE(parse_incremental_method("dirsync"));
}

entry with(std::string attribute, std::vector<std::string> values) {
    entry e;
    e.dn = "cn=x";
    e.attributes[lowercase_attribute(attribute)] = std::move(values);
    return e;
}

TEST(Anchor, ObjectGuidBytesBecomeCanonicalText) {
    const std::string bytes("\x33\x22\x11\x00\x55\x44\x77\x66\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
    EXPECT_EQ(extract_anchor(with("objectGUID", {bytes}), "objectGUID"),
              "00112233-4455-6677-8899-aabbccddeeff");
    EXPECT_EQ(extract_anchor(with("objectGUID", {bytes}), "OBJECTGUID"),
              "00112233-4455-6677-8899-aabbccddeeff");
    EXPECT_FALSE(extract_anchor(with("objectGUID", {"short"}), "objectGUID"));
    EXPECT_EQ(anchor_filter("objectGUID", "00112233-4455-6677-8899-aabbccddeeff"),
              "(objectGUID=\\33\\22\\11\\00\\55\\44\\77\\66\\88\\99\\aa\\bb\\cc\\dd\\ee\\ff)");
}

TEST(Anchor, UuidsAreCheckedAndLowercased) {
    EXPECT_EQ(extract_anchor(with("entryUUID", {"B0696158-7B0B-1041-8501-C93193DB4631"}), "entryUUID"),
              "b0696158-7b0b-1041-8501-c93193db4631");
    EXPECT_EQ(extract_anchor(with("ipaUniqueID", {"0ac9fb30-5e4b-11ee-9a41-525400a6a8b1"}), "ipaUniqueID"),
              "0ac9fb30-5e4b-11ee-9a41-525400a6a8b1");
    EXPECT_FALSE(extract_anchor(with("entryUUID", {"not-a-uuid"}), "entryUUID"));
    EXPECT_EQ(anchor_filter("entryUUID", "b0696158-7b0b-1041-8501-c93193db4631"),
              "(entryUUID=b0696158-7b0b-1041-8501-c93193db4631)");
    EXPECT_FALSE(anchor_filter("entryUUID", "x)(uid=*"));
}

TEST(Anchor, NsUniqueIdKeepsItsOwnShape) {
    EXPECT_EQ(extract_anchor(with("nsUniqueId", {"66446001-1DD211B2-8C0BD7F9-D4DE0000"}), "nsuniqueid"),
              "66446001-1dd211b2-8c0bd7f9-d4de0000");
    EXPECT_FALSE(extract_anchor(with("nsUniqueId", {"66446001-1dd2-11b2-8c0b-d7f9d4de0000"}), "nsUniqueId"));
    EXPECT_EQ(anchor_filter("nsUniqueId", "66446001-1dd211b2-8c0bd7f9-d4de0000"),
              "(nsUniqueId=66446001-1dd211b2-8c0bd7f9-d4de0000)");
}

TEST(Anchor, OtherAttributesAreTakenAsTheyAre) {
    EXPECT_EQ(extract_anchor(with("employeeNumber", {"E-42"}), "employeeNumber"), "E-42");
    EXPECT_EQ(anchor_filter("employeeNumber", "a*b"), "(employeeNumber=a\\2ab)");
    EXPECT_FALSE(extract_anchor(with("employeeNumber", {""}), "employeeNumber"));
}

TEST(Anchor, MissingOrMultipleValuesHaveNoAnchor) {
    EXPECT_FALSE(extract_anchor(with("mail", {"a@example.com"}), "entryUUID"));
    EXPECT_FALSE(extract_anchor(with("entryUUID", {}), "entryUUID"));
    EXPECT_FALSE(extract_anchor(with("employeeNumber", {"1", "2"}), "employeeNumber"));
}

TEST(Filters, AreParenthesizedAndCombined) {
    EXPECT_EQ(parenthesized_filter("uid=x"), "(uid=x)");
    EXPECT_EQ(parenthesized_filter(" (uid=x) "), "(uid=x)");
    EXPECT_EQ(parenthesized_filter(""), "(objectClass=*)");
    EXPECT_EQ(and_filters({"(objectClass=person)"}), "(objectClass=person)");
    EXPECT_EQ(and_filters({"(objectClass=person)", "memberOf=cn=admins,dc=example,dc=com"}),
              "(&(objectClass=person)(memberOf=cn=admins,dc=example,dc=com))");
    EXPECT_EQ(and_filters({"(objectClass=user)", "(uSNChanged>=101)"}),
              "(&(objectClass=user)(uSNChanged>=101))");
}

TEST(IncrementalState, JsonRoundTrip) {
    incremental_state s;
    s.method = incremental_method::syncrepl;
    s.users_cookie = "rid=000,csn=20240131235959.123456Z#000000#000#000000";
    s.groups_cookie = std::string("\x00\xff binary", 9);
    nlohmann::json j = s;
    EXPECT_EQ(j["method"], "syncrepl");
    EXPECT_EQ(j["users_cookie"], *s.users_cookie);
    EXPECT_EQ(j["groups_cookie_base64"], "AP8gYmluYXJ5");
    EXPECT_FALSE(j.contains("since"));
    auto back = parse_incremental_state(nlohmann::json::parse(j.dump()));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);

    incremental_state usn;
    usn.method = incremental_method::usn;
    usn.domain_controllers["dc1.example.com"] = {"00112233-4455-6677-8899-aabbccddeeff", 123456789012ULL};
    usn.domain_controllers["dc2.example.com"] = {"", 7};
    back = parse_incremental_state(nlohmann::json::parse(nlohmann::json(usn).dump()));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, usn);

    incremental_state ts;
    ts.since = "20240131235959Z";
    back = parse_incremental_state(nlohmann::json(ts));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, ts);
}

TEST(IncrementalState, RefusesWhatItDidNotWrite) {
    using nlohmann::json;
    for (const char* text : {R"([])", R"({})", R"({"method": "dirsync"})", R"({"method": 1})",
                             R"({"method": "syncrepl", "users_cookie": 5})",
                             R"({"method": "syncrepl", "users_cookie_base64": "!!!!"})",
                             R"({"method": "syncrepl", "users_cookie": "a", "users_cookie_base64": "YQ=="})",
                             R"({"method": "usn", "domain_controllers": {"dc1": {"usn": -1}}})",
                             R"({"method": "usn", "domain_controllers": {"dc1": {"invocation_id": "x"}}})",
                             R"({"method": "usn", "domain_controllers": []})",
                             R"({"method": "timestamp", "since": "yesterday"})"})
        EXPECT_FALSE(parse_incremental_state(json::parse(text))) << text;
}

}  // namespace
}  // namespace dirsync::ldap
