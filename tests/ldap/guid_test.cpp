#include "ldap/guid.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ldap/filter_escape.hpp"

namespace dirsync::ldap {
namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

TEST(FormatGuid, FirstThreeFieldsAreLittleEndian) {
    EXPECT_EQ(format_guid(bytes({0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
                                 0xdd, 0xee, 0xff})),
              "00112233-4455-6677-8899-aabbccddeeff");
    EXPECT_EQ(format_guid(std::string(16, '\0')), "00000000-0000-0000-0000-000000000000");
    EXPECT_EQ(format_guid(std::string(16, '\xff')), "ffffffff-ffff-ffff-ffff-ffffffffffff");
    // The bytes of the GUID {4a3e7a45-0c68-4a8b-8e0f-c2d4b3a1e2f1} as Active Directory stores them.
    EXPECT_EQ(format_guid(bytes({0x45, 0x7a, 0x3e, 0x4a, 0x68, 0x0c, 0x8b, 0x4a, 0x8e, 0x0f, 0xc2, 0xd4, 0xb3,
                                 0xa1, 0xe2, 0xf1})),
              "4a3e7a45-0c68-4a8b-8e0f-c2d4b3a1e2f1");
}

TEST(FormatGuid, RejectsOtherLengths) {
    EXPECT_FALSE(format_guid(""));
    EXPECT_FALSE(format_guid(std::string(15, 'a')));
    EXPECT_FALSE(format_guid(std::string(17, 'a')));
    EXPECT_FALSE(format_guid("00112233-4455-6677-8899-aabbccddeeff"));  // already text
}

TEST(ParseGuid, IsTheInverseOfFormatGuid) {
    const std::string raw = bytes(
        {0x45, 0x7a, 0x3e, 0x4a, 0x68, 0x0c, 0x8b, 0x4a, 0x8e, 0x0f, 0xc2, 0xd4, 0xb3, 0xa1, 0xe2, 0xf1});
    EXPECT_EQ(parse_guid("4a3e7a45-0c68-4a8b-8e0f-c2d4b3a1e2f1"), raw);
    EXPECT_EQ(parse_guid("{4A3E7A45-0C68-4A8B-8E0F-C2D4B3A1E2F1}"), raw);
    EXPECT_EQ(parse_guid(*format_guid(raw)), raw);
    EXPECT_EQ(escape_filter_bytes(*parse_guid("00112233-4455-6677-8899-aabbccddeeff")),
              "\\33\\22\\11\\00\\55\\44\\77\\66\\88\\99\\aa\\bb\\cc\\dd\\ee\\ff");
}

TEST(ParseGuid, RejectsMalformedText) {
    for (const char* text : {"", "00112233445566778899aabbccddeeff", "00112233-4455-6677-8899-aabbccddeef",
                             "00112233-4455-6677-8899-aabbccddeeffa", "0011223-34455-6677-8899-aabbccddeeff",
                             "0011223g-4455-6677-8899-aabbccddeeff", "{00112233-4455-6677-8899-aabbccddeeff",
                             "00112233 4455 6677 8899 aabbccddeeff"})
        EXPECT_FALSE(parse_guid(text)) << text;
}

TEST(FormatUuid, LowercasesCanonicalUuids) {
    EXPECT_EQ(format_uuid("597ae2f6-16a6-1027-98f4-d28b5365dc14"), "597ae2f6-16a6-1027-98f4-d28b5365dc14");
    EXPECT_EQ(format_uuid("597AE2F6-16A6-1027-98F4-D28B5365DC14"), "597ae2f6-16a6-1027-98f4-d28b5365dc14");
}

TEST(FormatUuid, RejectsEverythingElse) {
    for (const char* text : {"", "597ae2f616a6102798f4d28b5365dc14", "{597ae2f6-16a6-1027-98f4-d28b5365dc14}",
                             "597ae2f6-16a6-1027-98f4-d28b5365dc1", "597ae2f6-16a6-1027-98f4_d28b5365dc14",
                             "597ae2f6-16a6-1027-98f4-d28b5365dcxz"})
        EXPECT_FALSE(format_uuid(text)) << text;
    EXPECT_FALSE(format_uuid(std::string(16, '\x01')));
}

}  // namespace
}  // namespace dirsync::ldap
