// range_retrieval is tested here over synthetic entries shaped like Active Directory's answers: OpenLDAP,
// the server of the integration tests, never sends ranged attributes.

#include "ldap/range.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dirsync::ldap {
namespace {

const char* const group_dn = "CN=Big Group,OU=Groups,DC=corp,DC=example,DC=com";

std::vector<std::string> members(std::size_t from, std::size_t to) {
    std::vector<std::string> out;
    for (std::size_t i = from; i <= to; ++i)
        out.push_back("CN=User " + std::to_string(i) + ",OU=Users,DC=corp");
    return out;
}

entry make_entry(std::vector<std::pair<std::string, std::vector<std::string>>> attributes) {
    entry e;
    e.dn = group_dn;
    for (auto& [name, values] : attributes) e.attributes[name] = std::move(values);
    return e;
}

TEST(ParseRange, ReadsTheRangeOption) {
    EXPECT_EQ(parse_range("member;range=0-1499"), (attribute_range{"member", 0, 1499}));
    EXPECT_EQ(parse_range("member;range=1500-*"), (attribute_range{"member", 1500, std::nullopt}));
    EXPECT_EQ(parse_range("Member;Range=0-*"), (attribute_range{"member", 0, std::nullopt}));
    EXPECT_EQ(parse_range("member;binary;range=3-3"), (attribute_range{"member;binary", 3, 3}));
    EXPECT_EQ(parse_range("member;range=0-1499;x-opt"), (attribute_range{"member;x-opt", 0, 1499}));
}

TEST(ParseRange, RejectsWhatIsNotAWellFormedRange) {
    for (const char* text :
         {"member", "member;binary", "member;range=", "member;range=5", "member;range=-5", "member;range=9-2",
          "member;range=a-*", "member;range=0-1x", "member;range=0-1;range=2-3", ";range=0-1",
          "member;range=*-*", "member;range=0--1"})
        EXPECT_FALSE(parse_range(text)) << text;
    EXPECT_TRUE(has_range_option("member;range=5"));
    EXPECT_FALSE(has_range_option("member;binary"));
}

TEST(NeedsRangeRetrieval, OnlyWhenAChunkIsMissing) {
    EXPECT_FALSE(needs_range_retrieval(make_entry({{"member", members(0, 9)}})));
    EXPECT_FALSE(needs_range_retrieval(make_entry({{"member;range=0-*", members(0, 9)}})));
    EXPECT_TRUE(needs_range_retrieval(make_entry({{"member;range=0-1499", members(0, 1499)}})));
    EXPECT_TRUE(needs_range_retrieval(make_entry({{"member;range=junk", {}}})));
}

TEST(RangeRetrieval, MergesChunksInOrder) {
    auto r = range_retrieval::start(
        make_entry({{"cn", {"Big Group"}}, {"member;range=0-1499", members(0, 1499)}}));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->dn(), group_dn);
    ASSERT_FALSE(r->complete());
    EXPECT_EQ(r->next_request(), "member;range=1500-*");
    ASSERT_TRUE(r->add(make_entry({{"member;range=1500-2999", members(1500, 2999)}})).has_value());
    ASSERT_FALSE(r->complete());
    EXPECT_EQ(r->next_request(), "member;range=3000-*");
    ASSERT_TRUE(r->add(make_entry({{"member;range=3000-*", members(3000, 3141)}})).has_value());
    ASSERT_TRUE(r->complete());
    const entry e = std::move(*r).take();
    EXPECT_EQ(e.dn, group_dn);
    EXPECT_EQ(e.attributes.size(), 2u);
    EXPECT_EQ(e.first("cn"), "Big Group");
    ASSERT_NE(e.find("member"), nullptr);
    EXPECT_EQ(*e.find("member"), members(0, 3141));
}

TEST(RangeRetrieval, AFinalChunkAtOnceNeedsNoRequest) {
    auto r = range_retrieval::start(make_entry({{"member;range=0-*", members(0, 4)}}));
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->complete());
    const entry e = std::move(*r).take();
    EXPECT_EQ(e.attributes.size(), 1u);
    EXPECT_EQ(*e.find("member"), members(0, 4));
}

TEST(RangeRetrieval, EntriesWithoutRangesPassThrough) {
    const entry original = make_entry({{"cn", {"g"}}, {"member", members(0, 2)}});
    auto r = range_retrieval::start(original);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->complete());
    EXPECT_EQ(std::move(*r).take(), original);
}

TEST(RangeRetrieval, HandlesSeveralRangedAttributesOneAfterTheOther) {
    auto r = range_retrieval::start(
        make_entry({{"member;range=0-1", members(0, 1)}, {"memberof;range=0-0", {"CN=Parent"}}}));
    ASSERT_TRUE(r.has_value());
    std::vector<std::string> requested;
    while (!r->complete()) {
        requested.push_back(r->next_request());
        if (requested.back().starts_with("member;"))
            ASSERT_TRUE(r->add(make_entry({{"member;range=2-*", members(2, 3)}})).has_value());
        else
            ASSERT_TRUE(r->add(make_entry({{"memberof;range=1-*", {"CN=Grandparent"}}})).has_value());
    }
    EXPECT_EQ(requested, (std::vector<std::string>{"member;range=2-*", "memberof;range=1-*"}));
    const entry e = std::move(*r).take();
    EXPECT_EQ(*e.find("member"), members(0, 3));
    EXPECT_EQ(*e.find("memberOf"), (std::vector<std::string>{"CN=Parent", "CN=Grandparent"}));
}

TEST(RangeRetrieval, KeepsAnEmptyPlainAttributeBesideTheRangedOne) {
    auto r = range_retrieval::start(make_entry({{"member", {}}, {"member;range=0-1", members(0, 1)}}));
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->add(make_entry({{"member;range=2-*", members(2, 2)}})).has_value());
    const entry e = std::move(*r).take();
    EXPECT_EQ(e.attributes.size(), 1u);
    EXPECT_EQ(*e.find("member"), members(0, 2));
}

TEST(RangeRetrieval, RejectsMalformedOrMisplacedStarts) {
    auto malformed = range_retrieval::start(make_entry({{"member;range=zero-*", {}}}));
    ASSERT_FALSE(malformed.has_value());
    EXPECT_EQ(malformed.error().kind, error_kind::protocol);
    EXPECT_NE(malformed.error().message.find("member;range=zero-*"), std::string::npos);

    auto late_start = range_retrieval::start(make_entry({{"member;range=10-19", members(10, 19)}}));
    ASSERT_FALSE(late_start.has_value());
    EXPECT_EQ(late_start.error().kind, error_kind::protocol);
}

TEST(RangeRetrieval, RejectsAResponseWithoutTheRequestedRange) {
    auto r = range_retrieval::start(make_entry({{"member;range=0-1499", members(0, 1499)}}));
    ASSERT_TRUE(r.has_value());
    auto added = r->add(make_entry({{"member", members(1500, 1600)}}));  // not ranged: cannot be placed
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().kind, error_kind::protocol);
    EXPECT_NE(added.error().message.find("member;range=1500-*"), std::string::npos) << added.error().message;
    EXPECT_TRUE(r->complete());  // unusable from here
}

TEST(RangeRetrieval, RejectsAChunkThatDoesNotStartWhereAsked) {
    auto r = range_retrieval::start(make_entry({{"member;range=0-1499", members(0, 1499)}}));
    ASSERT_TRUE(r.has_value());
    auto added = r->add(make_entry({{"member;range=1000-*", members(1000, 2000)}}));
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().kind, error_kind::protocol);
    EXPECT_NE(added.error().message.find("1500"), std::string::npos) << added.error().message;
}

}  // namespace
}  // namespace dirsync::ldap
