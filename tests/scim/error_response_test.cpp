#include <gtest/gtest.h>

#include "scim/error.hpp"

namespace dirsync::scim {
namespace {

TEST(ErrorResponse, ScimErrorBodyWithStatusAsString) {
    const http::response res = error_response(413, "request body exceeds 1024 bytes");
    EXPECT_EQ(res.status, 413u);
    EXPECT_EQ(res.content_type, "application/scim+json");
    EXPECT_EQ(res.body, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"413",)"
                        R"("detail":"request body exceeds 1024 bytes"})");
}

TEST(ErrorResponse, ScimTypeIncludedWhenGiven) {
    const http::response res = error_response(400, "bad filter", "invalidFilter");
    EXPECT_EQ(res.body, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400",)"
                        R"("scimType":"invalidFilter","detail":"bad filter"})");
}

TEST(ErrorResponse, EmptyDetailOmitted) {
    EXPECT_EQ(error_response(404, "").body,
              R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"})");
}

}  // namespace
}  // namespace dirsync::scim
