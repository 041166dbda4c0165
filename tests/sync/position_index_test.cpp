#include "sync/position_index.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dirsync::sync {
namespace {

// The strings live in a vector that grows as positions are added, as the snapshot's users do.
struct indexed_strings {
    std::vector<std::string> strings;
    position_index index{[this](std::size_t i) -> std::string_view { return strings[i]; }};

    std::optional<std::size_t> add(std::string s) {
        strings.push_back(std::move(s));
        auto first = index.insert(strings.size() - 1);
        if (first) strings.pop_back();
        return first;
    }
};

TEST(PositionIndex, FindsEachStringAtItsPosition) {
    indexed_strings x;
    EXPECT_EQ(x.add("b"), std::nullopt);
    EXPECT_EQ(x.add("a"), std::nullopt);
    EXPECT_EQ(x.add(""), std::nullopt);
    EXPECT_EQ(x.index.find("a"), 1u);
    EXPECT_EQ(x.index.find("b"), 0u);
    EXPECT_EQ(x.index.find(""), 2u);
    EXPECT_EQ(x.index.find("c"), std::nullopt);
    EXPECT_EQ(x.index.size(), 3u);
}

TEST(PositionIndex, ARepeatedStringAnswersTheFirstPositionAndIsNotAdded) {
    indexed_strings x;
    x.add("alice");
    x.add("bob");
    EXPECT_EQ(x.add("alice"), 0u);
    EXPECT_EQ(x.index.size(), 2u);
    EXPECT_EQ(x.add("carol"), std::nullopt);
    EXPECT_EQ(x.index.find("carol"), 2u);
}

TEST(PositionIndex, PositionsHoldWhileTheVectorGrowsPastWhatWasReserved) {
    indexed_strings x;
    x.index.reserve(4);
    // Short strings live inside the vector's elements, which move as it grows: views would dangle.
    for (int i = 0; i < 20000; ++i) ASSERT_EQ(x.add("u" + std::to_string(i)), std::nullopt);
    for (int i = 0; i < 20000; i += 997) EXPECT_EQ(x.index.find("u" + std::to_string(i)), std::size_t(i));
    EXPECT_EQ(x.add("u19999"), 19999u);
    EXPECT_EQ(x.index.find("u20000"), std::nullopt);
}

TEST(PositionIndex, AnEmptyOrReleasedIndexFindsNothingAndCanBeFilledAgain) {
    indexed_strings x;
    EXPECT_EQ(x.index.find("a"), std::nullopt);
    x.add("a");
    x.index.release();
    EXPECT_EQ(x.index.size(), 0u);
    EXPECT_EQ(x.index.find("a"), std::nullopt);
    EXPECT_EQ(x.index.insert(0), std::nullopt);
    EXPECT_EQ(x.index.find("a"), 0u);
}

}  // namespace
}  // namespace dirsync::sync
