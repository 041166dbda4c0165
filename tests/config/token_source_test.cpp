#include "config/token_source.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

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

using common::sha256;

std::string resolve_error(token_source_kind kind, const std::string& value) {
    auto r = resolve_token(token_source{kind, value});
    EXPECT_FALSE(r.has_value());
    return r.has_value() ? std::string() : r.error().message;
}

TEST(ResolveToken, Sha256AcceptsADigestInEitherCase) {
    auto digest = sha256("tok");
    auto hex = common::to_hex(digest);
    auto lower = resolve_token(token_source{token_source_kind::sha256, hex});
    ASSERT_TRUE(lower.has_value());
    EXPECT_EQ(*lower, digest);
    for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto upper = resolve_token(token_source{token_source_kind::sha256, hex});
    ASSERT_TRUE(upper.has_value());
    EXPECT_EQ(*upper, digest);
}

TEST(ResolveToken, Sha256RejectsAnythingElseWithoutEchoingIt) {
    auto message = resolve_error(token_source_kind::sha256, "my-plain-secret-token");
    EXPECT_NE(message.find("64 hex digits, got 21 characters"), std::string::npos) << message;
    EXPECT_EQ(message.find("my-plain-secret-token"), std::string::npos) << message;
    EXPECT_NE(resolve_error(token_source_kind::sha256, std::string(63, 'a') + "g").find("64 hex digits"),
              std::string::npos);
}

TEST(ResolveToken, FileIsTrimmedAndHashed) {
    temp_dir dir;
    auto digest = resolve_token(token_source{token_source_kind::file, dir.write("t", "  s3cret\r\n\n")});
    ASSERT_TRUE(digest.has_value()) << digest.error().message;
    EXPECT_EQ(*digest, sha256("s3cret"));
}

TEST(ResolveToken, FileProblemsNeverShowTheToken) {
    temp_dir dir;
    EXPECT_NE(resolve_error(token_source_kind::file, (dir.path() / "missing").string()).find("No such file"),
              std::string::npos);
    EXPECT_NE(resolve_error(token_source_kind::file, dir.write("empty", "\n \n")).find("is empty"),
              std::string::npos);
    auto inner = resolve_error(token_source_kind::file, dir.write("two", "abc def\n"));
    EXPECT_NE(inner.find("whitespace or control characters"), std::string::npos) << inner;
    EXPECT_EQ(inner.find("abc"), std::string::npos) << inner;
    EXPECT_NE(
        resolve_error(token_source_kind::file, dir.write("big", std::string(max_token_file_bytes + 1, 'a')))
            .find("larger than"),
        std::string::npos);
    EXPECT_NE(resolve_error(token_source_kind::file, dir.path().string()).find("not a regular file"),
              std::string::npos);
}

TEST(ResolveToken, EnvReadsTheVariable) {
    scoped_env env("DIRSYNC_TEST_TOKEN", "env-token\n");
    auto digest = resolve_token(token_source{token_source_kind::env, "DIRSYNC_TEST_TOKEN"});
    ASSERT_TRUE(digest.has_value()) << digest.error().message;
    EXPECT_EQ(*digest, sha256("env-token"));
}

TEST(ResolveToken, EnvProblems) {
    scoped_env unset("DIRSYNC_TEST_UNSET", nullptr);
    scoped_env empty("DIRSYNC_TEST_EMPTY", "");
    EXPECT_EQ(resolve_error(token_source_kind::env, "DIRSYNC_TEST_UNSET"),
              "environment variable 'DIRSYNC_TEST_UNSET' is not set");
    EXPECT_EQ(resolve_error(token_source_kind::env, "DIRSYNC_TEST_EMPTY"),
              "environment variable 'DIRSYNC_TEST_EMPTY' is empty");
    EXPECT_NE(
        resolve_error(token_source_kind::env, "NOT-A-NAME").find("not a valid environment variable name"),
        std::string::npos);
}

TEST(ResolveToken, CredentialReadsFromCredentialsDirectory) {
    temp_dir dir;
    dir.write("scim", "cred-token\n");
    scoped_env env("CREDENTIALS_DIRECTORY", dir.path().c_str());
    auto digest = resolve_token(token_source{token_source_kind::credential, "scim"});
    ASSERT_TRUE(digest.has_value()) << digest.error().message;
    EXPECT_EQ(*digest, sha256("cred-token"));
    EXPECT_NE(resolve_error(token_source_kind::credential, "other").find("No such file"), std::string::npos);
    EXPECT_NE(resolve_error(token_source_kind::credential, "../scim").find("not a valid credential name"),
              std::string::npos);
}

TEST(ResolveToken, CredentialNeedsCredentialsDirectory) {
    scoped_env env("CREDENTIALS_DIRECTORY", nullptr);
    EXPECT_NE(
        resolve_error(token_source_kind::credential, "scim").find("$CREDENTIALS_DIRECTORY, which is not set"),
        std::string::npos);
}

}  // namespace
}  // namespace dirsync::config
