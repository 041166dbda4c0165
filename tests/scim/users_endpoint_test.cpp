// Which user lists are cheap enough to answer on the I/O thread: one record by a unique key, nothing else.
#include "scim/users_endpoint.hpp"

#include <gtest/gtest.h>

#include <string>

#include "http/message.hpp"

namespace dirsync::scim {
namespace {

bool bounded(std::string target) {
    http::request req;
    req.method = "GET";
    req.target = std::move(target);
    return users_endpoint::list_is_bounded(req);
}

TEST(UsersEndpointTest, AListIsBoundedOnlyWhenItsFilterNamesOneUserByAUniqueKey) {
    EXPECT_TRUE(bounded("/scim/v2/Users?filter=userName%20eq%20%22ann%40example.com%22"));
    EXPECT_TRUE(bounded("/scim/v2/Users?filter=USERNAME+EQ+%22ann%22&attributes=userName"));
    EXPECT_TRUE(bounded("/scim/v2/Users?filter=id%20eq%20%22u1%22"));
    EXPECT_TRUE(bounded("/scim/v2/Users?filter=userName%20eq%20%22ann%22%20and%20active%20eq%20true"));

    EXPECT_FALSE(bounded("/scim/v2/Users"));                                         // every user
    EXPECT_FALSE(bounded("/scim/v2/Users?count=10"));                                // a page of them
    EXPECT_FALSE(bounded("/scim/v2/Users?filter=userName%20sw%20%22a%22"));          // a prefix: a scan
    EXPECT_FALSE(bounded("/scim/v2/Users?filter=emails.value%20eq%20%22a%40b%22"));  // not unique
    EXPECT_FALSE(bounded("/scim/v2/Users?filter=externalId%20eq%20%22e1%22"));       // not unique
    EXPECT_FALSE(bounded("/scim/v2/Users?filter=userName%20eq%20%22a%22%20or%20title%20pr"));
    EXPECT_FALSE(bounded("/scim/v2/Users?filter=userName%20eq"));  // malformed: the worker words the 400
    EXPECT_FALSE(bounded("/scim/v2/Users?filter=%zz"));            // a bad escape, likewise
}

}  // namespace
}  // namespace dirsync::scim
