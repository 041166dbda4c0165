#include "ldap/syncrepl.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

namespace dirsync::ldap {
namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

std::string hex(std::string_view s) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        if (!out.empty()) out += ' ';
        out += digits[c >> 4];
        out += digits[c & 0xf];
    }
    return out;
}

/// 00 01 02 ... 0f
std::string uuid_a() {
    std::string u;
    for (int i = 0; i < 16; ++i) u += static_cast<char>(i);
    return u;
}
/// f0 f1 ... ff
std::string uuid_b() {
    std::string u;
    for (int i = 0; i < 16; ++i) u += static_cast<char>(0xf0 + i);
    return u;
}

const std::string abc = "abc";

// ---------- Sync Request (RFC 4533 §2.2) ----------

TEST(SyncRequest, RefreshOnlyWithoutCookieIsTheModeAlone) {
    // SEQUENCE { ENUMERATED 1 }
    const auto expected = bytes({0x30, 0x03, 0x0a, 0x01, 0x01});
    EXPECT_EQ(hex(encode_sync_request({})), hex(expected));
    auto decoded = decode_sync_request(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, sync_request_value{});
}

TEST(SyncRequest, CookieFollowsTheMode) {
    sync_request_value v;
    v.cookie = abc;
    const auto expected = bytes({0x30, 0x08, 0x0a, 0x01, 0x01, 0x04, 0x03, 'a', 'b', 'c'});
    EXPECT_EQ(hex(encode_sync_request(v)), hex(expected));
    auto decoded = decode_sync_request(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncRequest, ReloadHintTrueIsEncodedAndFalseIsOmitted) {
    sync_request_value v;
    v.mode = sync_mode::refresh_and_persist;
    v.cookie = abc;
    v.reload_hint = true;
    const auto expected = bytes({0x30, 0x0b, 0x0a, 0x01, 0x03, 0x04, 0x03, 'a', 'b', 'c', 0x01, 0x01, 0xff});
    EXPECT_EQ(hex(encode_sync_request(v)), hex(expected));
    auto decoded = decode_sync_request(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncRequest, AnEmptyCookieIsStillACookie) {
    sync_request_value v;
    v.cookie = "";
    const auto expected = bytes({0x30, 0x05, 0x0a, 0x01, 0x01, 0x04, 0x00});
    EXPECT_EQ(hex(encode_sync_request(v)), hex(expected));
    auto decoded = decode_sync_request(expected);
    ASSERT_TRUE(decoded);
    ASSERT_TRUE(decoded->cookie);
    EXPECT_EQ(*decoded->cookie, "");
}

TEST(SyncRequest, RejectsUnknownModes) {
    EXPECT_FALSE(decode_sync_request(bytes({0x30, 0x03, 0x0a, 0x01, 0x02})));  // 2 is reserved
    EXPECT_FALSE(decode_sync_request(bytes({0x30, 0x03, 0x0a, 0x01, 0x00})));
}

// ---------- Sync State (§2.3) ----------

TEST(SyncState, AddWithoutCookie) {
    std::string expected = bytes({0x30, 0x15, 0x0a, 0x01, 0x01, 0x04, 0x10}) + uuid_a();
    sync_state_value v{sync_state_kind::add, uuid_a(), std::nullopt};
    EXPECT_EQ(hex(encode_sync_state(v)), hex(expected));
    auto decoded = decode_sync_state(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncState, DeleteWithCookie) {
    std::string expected =
        bytes({0x30, 0x19, 0x0a, 0x01, 0x03, 0x04, 0x10}) + uuid_b() + bytes({0x04, 0x02, 'c', '1'});
    sync_state_value v{sync_state_kind::deleted, uuid_b(), std::string("c1")};
    EXPECT_EQ(hex(encode_sync_state(v)), hex(expected));
    auto decoded = decode_sync_state(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncState, EveryStateRoundTrips) {
    for (auto state : {sync_state_kind::present, sync_state_kind::add, sync_state_kind::modify,
                       sync_state_kind::deleted}) {
        sync_state_value v{state, uuid_a(),
                           std::string("rid=001,csn=20240101000000.000000Z#000000#000#000000")};
        auto decoded = decode_sync_state(encode_sync_state(v));
        ASSERT_TRUE(decoded) << to_string(state) << ": " << decoded.error().message;
        EXPECT_EQ(*decoded, v);
    }
}

TEST(SyncState, RejectsMalformedValues) {
    const std::string good = bytes({0x30, 0x15, 0x0a, 0x01, 0x01, 0x04, 0x10}) + uuid_a();
    // A 15-byte UUID.
    EXPECT_FALSE(decode_sync_state(bytes({0x30, 0x14, 0x0a, 0x01, 0x01, 0x04, 0x0f}) + uuid_a().substr(1)));
    // State 4.
    EXPECT_FALSE(decode_sync_state(bytes({0x30, 0x15, 0x0a, 0x01, 0x04, 0x04, 0x10}) + uuid_a()));
    // A byte after the SEQUENCE.
    EXPECT_FALSE(decode_sync_state(good + bytes({0x00})));
    // Truncated.
    EXPECT_FALSE(decode_sync_state(good.substr(0, good.size() - 1)));
    // No UUID.
    EXPECT_FALSE(decode_sync_state(bytes({0x30, 0x03, 0x0a, 0x01, 0x01})));
    // An INTEGER where the ENUMERATED belongs.
    EXPECT_FALSE(decode_sync_state(bytes({0x30, 0x15, 0x02, 0x01, 0x01, 0x04, 0x10}) + uuid_a()));
    // A SET instead of a SEQUENCE.
    EXPECT_FALSE(decode_sync_state(bytes({0x31, 0x15, 0x0a, 0x01, 0x01, 0x04, 0x10}) + uuid_a()));
    // A stray BOOLEAN after the UUID.
    EXPECT_FALSE(decode_sync_state(bytes({0x30, 0x18, 0x0a, 0x01, 0x01, 0x04, 0x10}) + uuid_a() +
                                   bytes({0x01, 0x01, 0xff})));
    // Empty.
    EXPECT_FALSE(decode_sync_state(""));
    auto e = decode_sync_state(bytes({0x30, 0x03, 0x0a, 0x01, 0x09}));
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().kind, error_kind::protocol);
    EXPECT_NE(e.error().message.find("Sync State"), std::string::npos) << e.error().message;
}

// ---------- Sync Done (§2.4) ----------

TEST(SyncDone, EmptySequenceMeansNoCookieAndPresentSemantics) {
    const auto expected = bytes({0x30, 0x00});
    EXPECT_EQ(hex(encode_sync_done({})), hex(expected));
    auto decoded = decode_sync_done(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_FALSE(decoded->cookie);
    EXPECT_FALSE(decoded->refresh_deletes);
}

TEST(SyncDone, CookieAndRefreshDeletes) {
    sync_done_value v{abc, true};
    const auto expected = bytes({0x30, 0x08, 0x04, 0x03, 'a', 'b', 'c', 0x01, 0x01, 0xff});
    EXPECT_EQ(hex(encode_sync_done(v)), hex(expected));
    auto decoded = decode_sync_done(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
    // slapd's "no change" answer: refreshDeletes TRUE and no cookie.
    auto no_change = decode_sync_done(bytes({0x30, 0x03, 0x01, 0x01, 0xff}));
    ASSERT_TRUE(no_change);
    EXPECT_FALSE(no_change->cookie);
    EXPECT_TRUE(no_change->refresh_deletes);
}

TEST(SyncDone, AcceptsBerEncodingsOfBooleans) {
    // A DEFAULT value sent anyway, and TRUE as 0x01: valid BER, not DER.
    auto explicit_false = decode_sync_done(bytes({0x30, 0x03, 0x01, 0x01, 0x00}));
    ASSERT_TRUE(explicit_false);
    EXPECT_FALSE(explicit_false->refresh_deletes);
    auto one = decode_sync_done(bytes({0x30, 0x03, 0x01, 0x01, 0x01}));
    ASSERT_TRUE(one);
    EXPECT_TRUE(one->refresh_deletes);
}

TEST(SyncDone, RejectsMalformedValues) {
    // Elements out of order: the cookie after the BOOLEAN.
    EXPECT_FALSE(decode_sync_done(bytes({0x30, 0x08, 0x01, 0x01, 0xff, 0x04, 0x03, 'a', 'b', 'c'})));
    // A two-byte BOOLEAN.
    EXPECT_FALSE(decode_sync_done(bytes({0x30, 0x04, 0x01, 0x02, 0x00, 0xff})));
    // The SEQUENCE claims more than there is.
    EXPECT_FALSE(decode_sync_done(bytes({0x30, 0x05, 0x01, 0x01, 0xff})));
    // Trailing data.
    EXPECT_FALSE(decode_sync_done(bytes({0x30, 0x00, 0x30, 0x00})));
}

// ---------- Sync Info (§2.5) ----------

TEST(SyncInfo, NewCookie) {
    sync_info_value v;
    v.kind = sync_info_kind::new_cookie;
    v.cookie = abc;
    const auto expected = bytes({0x80, 0x03, 'a', 'b', 'c'});
    EXPECT_EQ(hex(encode_sync_info(v)), hex(expected));
    auto decoded = decode_sync_info(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncInfo, RefreshDeleteDefaultsToRefreshDone) {
    const auto expected = bytes({0xa1, 0x00});
    sync_info_value v;
    v.kind = sync_info_kind::refresh_delete;
    EXPECT_EQ(hex(encode_sync_info(v)), hex(expected));
    auto decoded = decode_sync_info(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->kind, sync_info_kind::refresh_delete);
    EXPECT_FALSE(decoded->cookie);
    EXPECT_TRUE(decoded->refresh_done);
}

TEST(SyncInfo, RefreshPresentWithCookieNotDone) {
    sync_info_value v;
    v.kind = sync_info_kind::refresh_present;
    v.cookie = abc;
    v.refresh_done = false;
    const auto expected = bytes({0xa2, 0x08, 0x04, 0x03, 'a', 'b', 'c', 0x01, 0x01, 0x00});
    EXPECT_EQ(hex(encode_sync_info(v)), hex(expected));
    auto decoded = decode_sync_info(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncInfo, SyncIdSetOfDeletes) {
    sync_info_value v;
    v.kind = sync_info_kind::sync_id_set;
    v.cookie = abc;
    v.refresh_deletes = true;
    v.uuids = {uuid_a(), uuid_b()};
    const std::string expected =
        bytes({0xa3, 0x2e, 0x04, 0x03, 'a', 'b', 'c', 0x01, 0x01, 0xff, 0x31, 0x24, 0x04, 0x10}) + uuid_a() +
        bytes({0x04, 0x10}) + uuid_b();
    EXPECT_EQ(hex(encode_sync_info(v)), hex(expected));
    auto decoded = decode_sync_info(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncInfo, SyncIdSetOfPresentEntriesMayBeEmpty) {
    const auto expected = bytes({0xa3, 0x02, 0x31, 0x00});
    sync_info_value v;
    v.kind = sync_info_kind::sync_id_set;
    EXPECT_EQ(hex(encode_sync_info(v)), hex(expected));
    auto decoded = decode_sync_info(expected);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->kind, sync_info_kind::sync_id_set);
    EXPECT_FALSE(decoded->refresh_deletes);
    EXPECT_TRUE(decoded->uuids.empty());
}

TEST(SyncInfo, ManyUuidsRoundTrip) {
    sync_info_value v;
    v.kind = sync_info_kind::sync_id_set;
    for (int i = 0; i < 1000; ++i) {
        std::string u = uuid_a();
        u[0] = static_cast<char>(i & 0xff);
        u[1] = static_cast<char>(i >> 8);
        v.uuids.push_back(u);
    }
    auto decoded = decode_sync_info(encode_sync_info(v));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, v);
}

TEST(SyncInfo, RejectsMalformedValues) {
    // Unknown alternative [4].
    EXPECT_FALSE(decode_sync_info(bytes({0xa4, 0x00})));
    // newcookie as a constructed element.
    EXPECT_FALSE(decode_sync_info(bytes({0xa0, 0x00})));
    // Empty.
    EXPECT_FALSE(decode_sync_info(""));
    // syncIdSet without its SET.
    EXPECT_FALSE(decode_sync_info(bytes({0xa3, 0x00})));
    // A 4-byte UUID in the set.
    EXPECT_FALSE(decode_sync_info(bytes({0xa3, 0x08, 0x31, 0x06, 0x04, 0x04, 1, 2, 3, 4})));
    // Something after the SET inside syncIdSet.
    EXPECT_FALSE(decode_sync_info(bytes({0xa3, 0x05, 0x31, 0x00, 0x01, 0x01, 0xff})));
    // Trailing data after the choice.
    EXPECT_FALSE(decode_sync_info(bytes({0x80, 0x01, 'x', 0x00})));
    // refreshPresent with a trailing INTEGER.
    EXPECT_FALSE(decode_sync_info(bytes({0xa2, 0x03, 0x02, 0x01, 0x00})));
}

TEST(SyncUuid, FormatsBytesInOrder) {
    EXPECT_EQ(format_sync_uuid(uuid_a()), "00010203-0405-0607-0809-0a0b0c0d0e0f");
    EXPECT_EQ(format_sync_uuid(uuid_b()), "f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff");
    EXPECT_FALSE(format_sync_uuid("short"));
}

}  // namespace
}  // namespace dirsync::ldap
