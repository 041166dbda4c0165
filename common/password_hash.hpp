#pragma once

#include <string>
#include <string_view>

namespace dirsync::common {

/// Cost of the scrypt password hash (RFC 7914): N = 2^log2_n, block size r, parallelism p. The defaults
/// (N = 2^15, r = 8, p = 1: 32 MiB and some tens of milliseconds per hash) follow current OWASP advice.
struct scrypt_cost {
    unsigned log2_n = 15;
    unsigned r = 8;
    unsigned p = 1;
};

/// Hashes `password` with scrypt and a fresh 16-byte random salt into a PHC string:
/// `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (salt and 32-byte hash in base64 without padding). Deliberately
/// slow and memory-hard: call it outside any lock or transaction. Throws std::runtime_error when OpenSSL
/// fails (no randomness, no memory), and std::invalid_argument for a cost outside what verify_password
/// accepts.
std::string hash_password(std::string_view password, const scrypt_cost& cost = {});

/// True when `password` is the one `phc` (a hash_password result) was made from. The comparison of the
/// derived key takes the same time wherever it differs. False for a malformed PHC string, another
/// algorithm, or a cost above 256 MiB of memory. Slow like hash_password; throws std::runtime_error when
/// OpenSSL fails.
bool verify_password(std::string_view password, std::string_view phc);

}  // namespace dirsync::common
