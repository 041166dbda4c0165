#include "config/secret_reference.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::config {
namespace {

using dirsync::testing::scoped_env;
using dirsync::testing::temp_dir;

std::string error_of(const secret_reference& reference) {
    auto r = resolve_secret(reference);
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error().message;
}

TEST(ResolveSecret, FileKeepsSpacesAndDropsTrailingLineBreaks) {
    temp_dir dir;
    struct {
        const char* content;
        const char* secret;
    } cases[] = {
        {"s3cret\n", "s3cret"},           {"s3cret\r\n", "s3cret"}, {"s3cret", "s3cret"},
        {" pass word \n", " pass word "}, {"s3cret\n\n", "s3cret"}, {"line1\nline2\n", "line1\nline2"},
    };
    for (const auto& c : cases) {
        auto path = dir.write("pw", c.content);
        auto secret = resolve_secret(secret_reference{secret_source_kind::file, path});
        ASSERT_TRUE(secret.has_value()) << secret.error().message;
        EXPECT_EQ(*secret, c.secret);
    }
}

TEST(ResolveSecret, ProblemsNameThePlaceNeverTheContent) {
    temp_dir dir;
    EXPECT_EQ(error_of({secret_source_kind::file, dir.write("empty", "\r\n\n")}),
              "file '" + (dir.path() / "empty").string() + "' is empty");
    EXPECT_NE(error_of({secret_source_kind::file, (dir.path() / "missing").string()}).find("No such file"),
              std::string::npos);
    EXPECT_NE(error_of({secret_source_kind::file, dir.path().string()}).find("not a regular file"),
              std::string::npos);
    auto big =
        error_of({secret_source_kind::file, dir.write("big", std::string(max_secret_file_bytes + 1, 'x'))});
    EXPECT_NE(big.find("larger than"), std::string::npos) << big;
    EXPECT_EQ(big.find("xxx"), std::string::npos);
}

TEST(ResolveSecret, EnvironmentVariable) {
    scoped_env set("DIRSYNC_TEST_PW", "env pass\n");
    scoped_env unset("DIRSYNC_TEST_PW_UNSET", nullptr);
    scoped_env empty("DIRSYNC_TEST_PW_EMPTY", "");
    auto secret = resolve_secret({secret_source_kind::env, "DIRSYNC_TEST_PW"});
    ASSERT_TRUE(secret.has_value());
    EXPECT_EQ(*secret, "env pass");
    EXPECT_EQ(error_of({secret_source_kind::env, "DIRSYNC_TEST_PW_UNSET"}),
              "environment variable 'DIRSYNC_TEST_PW_UNSET' is not set");
    EXPECT_EQ(error_of({secret_source_kind::env, "DIRSYNC_TEST_PW_EMPTY"}),
              "environment variable 'DIRSYNC_TEST_PW_EMPTY' is empty");
    EXPECT_NE(error_of({secret_source_kind::env, "1BAD"}).find("not a valid environment variable name"),
              std::string::npos);
}

TEST(ResolveSecret, SystemdCredential) {
    temp_dir dir;
    dir.write("ldap", "cred-pass\n");
    {
        scoped_env credentials("CREDENTIALS_DIRECTORY", dir.path().c_str());
        auto secret = resolve_secret({secret_source_kind::credential, "ldap"});
        ASSERT_TRUE(secret.has_value()) << secret.error().message;
        EXPECT_EQ(*secret, "cred-pass");
        EXPECT_NE(error_of({secret_source_kind::credential, "../ldap"}).find("not a valid credential name"),
                  std::string::npos);
        EXPECT_NE(error_of({secret_source_kind::credential, "other"}).find("No such file"),
                  std::string::npos);
    }
    scoped_env no_credentials("CREDENTIALS_DIRECTORY", nullptr);
    EXPECT_NE(
        error_of({secret_source_kind::credential, "ldap"}).find("$CREDENTIALS_DIRECTORY, which is not set"),
        std::string::npos);
}

TEST(ResolveSecret, IsReadAgainAtEachCallSoRotationIsSeen) {
    temp_dir dir;
    auto path = dir.write("pw", "first\n");
    secret_reference reference{secret_source_kind::file, path};
    EXPECT_TRUE(check_secret(reference).has_value());
    EXPECT_EQ(*resolve_secret(reference), "first");
    dir.write("pw", "second\n");
    EXPECT_EQ(*resolve_secret(reference), "second");
}

TEST(SecretReference, DescribeNamesThePlace) {
    EXPECT_EQ((secret_reference{secret_source_kind::file, "/run/x"}.describe()), "file '/run/x'");
    EXPECT_EQ((secret_reference{secret_source_kind::env, "X"}.describe()), "environment variable 'X'");
    EXPECT_EQ((secret_reference{secret_source_kind::credential, "c"}.describe()), "credential 'c'");
    EXPECT_EQ(to_string(secret_source_kind::credential), "credential");
}

}  // namespace
}  // namespace dirsync::config
