#include "common/password_hash.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dirsync::common {
namespace {

// A cheap cost keeps the tests fast; the format and the checks do not depend on it.
constexpr scrypt_cost cheap{10, 8, 1};

TEST(PasswordHash, DefaultCostIsScryptN32768R8P1InPhcForm) {
    const std::string phc = hash_password("correct horse");
    ASSERT_EQ(phc.rfind("$scrypt$ln=15,r=8,p=1$", 0), 0u) << phc;
    const std::string tail = phc.substr(std::string("$scrypt$ln=15,r=8,p=1$").size());
    const auto dollar = tail.find('$');
    ASSERT_NE(dollar, std::string::npos);
    EXPECT_EQ(tail.substr(0, dollar).size(), 22u);   // 16-byte salt, base64 without padding
    EXPECT_EQ(tail.substr(dollar + 1).size(), 43u);  // 32-byte key
    EXPECT_EQ(phc.find('='), phc.find("ln=") + 2);   // no padding anywhere else
    EXPECT_EQ(phc.find("correct"), std::string::npos);
    EXPECT_TRUE(verify_password("correct horse", phc));
    EXPECT_FALSE(verify_password("correct horse ", phc));
}

TEST(PasswordHash, RfcSevenNineOneFourVectorVerifies) {
    // RFC 7914 §12: scrypt("password", "NaCl", N=1024, r=8, p=16), first 32 bytes of the 64-byte output.
    const std::string phc = "$scrypt$ln=10,r=8,p=16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWI";
    EXPECT_TRUE(verify_password("password", phc));
    EXPECT_FALSE(verify_password("Password", phc));
}

TEST(PasswordHash, EachHashHasItsOwnSalt) {
    const std::string a = hash_password("same", cheap);
    const std::string b = hash_password("same", cheap);
    EXPECT_NE(a, b);
    EXPECT_TRUE(verify_password("same", a));
    EXPECT_TRUE(verify_password("same", b));
}

TEST(PasswordHash, EmptyAndBinaryPasswordsRoundTrip) {
    const std::string binary("a\0b\xff", 4);
    EXPECT_TRUE(verify_password(binary, hash_password(binary, cheap)));
    EXPECT_FALSE(verify_password(std::string("a", 1), hash_password(binary, cheap)));
    EXPECT_TRUE(verify_password("", hash_password("", cheap)));
}

TEST(PasswordHash, AnyChangedCharacterOfTheKeyFailsVerification) {
    const std::string phc = hash_password("pw", cheap);
    const auto key_at = phc.rfind('$') + 1;
    for (std::size_t i = key_at; i < phc.size(); ++i) {
        std::string changed = phc;
        changed[i] = changed[i] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(verify_password("pw", changed)) << changed;
    }
}

TEST(PasswordHash, MalformedOrForeignStringsNeverVerify) {
    const std::string good = hash_password("pw", cheap);
    const std::string salt_and_key = good.substr(good.find("p=1$") + 4);
    for (const std::string& bad : {
             std::string(), std::string("pw"), std::string("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
             "$scrypt$ln=10,r=8$" + salt_and_key,          // p missing
             "$scrypt$ln=10,r=8,p=1,x=2$" + salt_and_key,  // extra parameter
             "$scrypt$ln=10,r=8,p=0$" + salt_and_key,      // p out of range
             "$scrypt$ln=25,r=8,p=1$" + salt_and_key,      // N too large
             "$scrypt$ln=20,r=64,p=1$" + salt_and_key,     // memory above the cap
             "$scrypt$ln=x,r=8,p=1$" + salt_and_key,       // not a number
             "$scrypt$ln=10,r=8,p=1$" + salt_and_key.substr(0, salt_and_key.find('$')),        // no key
             "$scrypt$ln=10,r=8,p=1$!!!!$" + salt_and_key.substr(salt_and_key.find('$') + 1),  // bad base64
             "$scrypt$ln=10,r=8,p=1$" + salt_and_key + "=",                                    // padding
             "$scrypt$ln=10,r=8,p=1$" + salt_and_key.substr(0, salt_and_key.size() - 30),      // short key
         })
        EXPECT_FALSE(verify_password("pw", bad)) << bad;
    EXPECT_TRUE(verify_password("pw", good));
}

TEST(PasswordHash, RefusesACostItCouldNotVerify) {
    EXPECT_THROW(hash_password("pw", scrypt_cost{0, 8, 1}), std::invalid_argument);
    EXPECT_THROW(hash_password("pw", scrypt_cost{20, 64, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace dirsync::common
