// The `scim:` section: the limits of POST /Bulk.
#include <gtest/gtest.h>

#include <string>

#include "config/load.hpp"

namespace dirsync::config {
namespace {

settings load_ok(const std::string& yaml) {
    auto r = load_settings_string(yaml, "t.yaml");
    EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
    return r ? *r : settings{};
}

/// The one diagnostic of a bad configuration, as "line:column message".
std::string load_error(const std::string& yaml) {
    auto r = load_settings_string(yaml, "t.yaml");
    if (r) return "loaded";
    const auto& d = r.error().diagnostics;
    if (d.size() != 1) return r.error().to_string();
    return std::to_string(d[0].line) + ":" + std::to_string(d[0].column) + " " + d[0].message;
}

TEST(ScimSection, BulkIsOnByDefault) {
    auto s = load_ok("storage: {sqlite: x.db}\n");
    EXPECT_EQ(s.scim.bulk.max_operations, 1000u);
    EXPECT_EQ(s.scim.bulk.max_payload_bytes, 1024u * 1024);
}

TEST(ScimSection, ReadsBulkLimits) {
    auto s = load_ok(
        "server:\n  limits: {max_body_bytes: 4MiB}\nstorage: {sqlite: x.db}\n"
        "scim:\n  bulk:\n    max_operations: 50\n    max_payload_size: 2MiB\n");
    EXPECT_EQ(s.scim.bulk.max_operations, 50u);
    EXPECT_EQ(s.scim.bulk.max_payload_bytes, 2u * 1024 * 1024);

    s = load_ok("storage: {sqlite: x.db}\nscim: {bulk: {max_operations: 0}}\n");
    EXPECT_EQ(s.scim.bulk.max_operations, 0u);  // Bulk off
}

TEST(ScimSection, DefaultPayloadFollowsASmallerBodyLimit) {
    auto s = load_ok("server:\n  limits: {max_body_bytes: 64KiB}\nstorage: {sqlite: x.db}\n");
    EXPECT_EQ(s.scim.bulk.max_payload_bytes, 64u * 1024);
    // The order of the sections does not matter.
    s = load_ok(
        "scim: {bulk: {max_operations: 10}}\nstorage: {sqlite: x.db}\n"
        "server:\n  limits: {max_body_bytes: 32KiB}\n");
    EXPECT_EQ(s.scim.bulk.max_payload_bytes, 32u * 1024);
    s = load_ok(
        "server:\n  limits: {max_body_bytes: 64KiB}\nstorage: {sqlite: x.db}\n"
        "scim: {bulk: {max_payload_size: 64KiB}}\n");
    EXPECT_EQ(s.scim.bulk.max_payload_bytes, 64u * 1024);
}

TEST(ScimSection, Errors) {
    EXPECT_EQ(
        load_error("server:\n  limits: {max_body_bytes: 64KiB}\nstorage: {sqlite: x.db}\n"
                   "scim:\n  bulk:\n    max_payload_size: 1MiB\n"),
        "6:23 max_payload_size (1048576 bytes) is larger than server.limits.max_body_bytes (65536 bytes), "
        "which refuses such bodies first");
    EXPECT_EQ(load_error("storage: {sqlite: x.db}\nscim:\n  bulk:\n    max_operations: -1\n").substr(0, 5),
              "4:21 ");
    EXPECT_EQ(
        load_error("storage: {sqlite: x.db}\nscim:\n  bulk:\n    max_operations: 100001\n").substr(0, 5),
        "4:21 ");
    EXPECT_EQ(load_error("storage: {sqlite: x.db}\nscim:\n  bulk:\n    max_payload_size: 1MB\n")
                  .rfind("4:23 invalid size for max_payload_size: '1MB' has an unknown unit 'MB'", 0),
              0u);
    auto unknown = load_error("storage: {sqlite: x.db}\nscim:\n  bulk:\n    max_ops: 3\n");
    EXPECT_EQ(unknown.substr(0, 4), "4:5 ") << unknown;
    EXPECT_NE(unknown.find("max_operations, max_payload_size"), std::string::npos) << unknown;
    unknown = load_error("storage: {sqlite: x.db}\nscim:\n  bulkk: {}\n");
    EXPECT_EQ(unknown.substr(0, 4), "3:3 ") << unknown;
}

}  // namespace
}  // namespace dirsync::config
