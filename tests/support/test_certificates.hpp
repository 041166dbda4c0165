#pragma once

// Test certificates made with OpenSSL in the test process: a CA, an unrelated CA, a server certificate for
// localhost and 127.0.0.1 and a client certificate, written as PEM files (slapd's TLS, dirsyncd's HTTPS).
// Header-only; needs OpenSSL's libcrypto.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dirsync::testing {

namespace certificates {

template <class T, void (*Free)(T*)>
struct openssl_deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, BIO_free_all>>;
using extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_deleter<X509_EXTENSION, X509_EXTENSION_free>>;

inline void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificates: OpenSSL failed at ") + what);
}

struct issued {
    pkey_ptr key;
    x509_ptr cert;
};

/// A P-256 key and a certificate for `subject` ({field, value} from the top of the tree down), signed
/// by `issuer` (self-signed when null), with the extensions in `extensions` ({NID, value}).
inline issued make_certificate(const std::vector<std::pair<const char*, const char*>>& subject,
                               const issued* issuer, long serial,
                               const std::vector<std::pair<int, const char*>>& extensions) {
    issued out;
    out.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(out.key != nullptr, "EVP_PKEY_Q_keygen");
    out.cert.reset(X509_new());
    X509* cert = out.cert.get();
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert, 2) == 1, "X509_set_version");
    check(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial) == 1, "serial");
    check(X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert), 86400) != nullptr, "notAfter");
    check(X509_set_pubkey(cert, out.key.get()) == 1, "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(cert);
    for (const auto& [field, value] : subject)
        check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(value), -1, -1, 0) == 1,
              "subject");
    X509* issuer_cert = issuer ? issuer->cert.get() : cert;
    check(X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert)) == 1, "issuer");
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer_cert, cert, nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions) {
        extension_ptr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
        check(ext != nullptr, "X509V3_EXT_conf_nid");
        check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
    }
    check(X509_sign(cert, issuer ? issuer->key.get() : out.key.get(), EVP_sha256()) > 0, "X509_sign");
    return out;
}

inline void write_pem(const issued& i, const std::string& cert_file, const std::string& key_file) {
    bio_ptr cert_out(BIO_new_file(cert_file.c_str(), "w"));
    check(cert_out && PEM_write_bio_X509(cert_out.get(), i.cert.get()) == 1, "write certificate");
    if (key_file.empty()) return;
    bio_ptr key_out(BIO_new_file(key_file.c_str(), "w"));
    check(key_out && PEM_write_bio_PrivateKey(key_out.get(), i.key.get(), nullptr, nullptr, 0, nullptr,
                                              nullptr) == 1,
          "write key");
}

}  // namespace certificates

/// Writes a test PKI into `dir`: ca.pem (a test CA), wrong-ca.pem (an unrelated CA), server.pem and
/// server.key (CN localhost, for DNS localhost and IP 127.0.0.1, signed by the CA) and client.pem and
/// client.key (cn=reader,ou=Services,dc=example,dc=com, for client authentication), all PEM.
inline void write_certificates(const std::filesystem::path& dir) {
    using namespace certificates;
    const auto file = [&](const char* name) { return (dir / name).string(); };
    const std::vector<std::pair<int, const char*>> ca_extensions{
        {NID_basic_constraints, "critical,CA:TRUE"},
        {NID_key_usage, "critical,keyCertSign,cRLSign"},
        {NID_subject_key_identifier, "hash"}};
    const issued ca =
        make_certificate({{"O", "dirsyncd tests"}, {"CN", "dirsyncd test CA"}}, nullptr, 1, ca_extensions);
    write_pem(ca, file("ca.pem"), {});
    const issued wrong_ca =
        make_certificate({{"O", "somebody else"}, {"CN", "unrelated test CA"}}, nullptr, 2, ca_extensions);
    write_pem(wrong_ca, file("wrong-ca.pem"), {});
    const issued server = make_certificate({{"O", "dirsyncd tests"}, {"CN", "localhost"}}, &ca, 3,
                                           {{NID_basic_constraints, "critical,CA:FALSE"},
                                            {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                                            {NID_ext_key_usage, "serverAuth"},
                                            {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                                            {NID_authority_key_identifier, "keyid"}});
    write_pem(server, file("server.pem"), file("server.key"));
    const issued client =
        make_certificate({{"DC", "com"}, {"DC", "example"}, {"OU", "Services"}, {"CN", "reader"}}, &ca, 4,
                         {{NID_basic_constraints, "critical,CA:FALSE"},
                          {NID_key_usage, "critical,digitalSignature"},
                          {NID_ext_key_usage, "clientAuth"},
                          {NID_authority_key_identifier, "keyid"}});
    write_pem(client, file("client.pem"), file("client.key"));
}

}  // namespace dirsync::testing
