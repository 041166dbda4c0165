#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "http/server.hpp"
#include "raw_client.hpp"
#include "test_server.hpp"
#include "tests/support/test_certificates.hpp"

namespace dirsync::http::test {

namespace certificates = dirsync::testing::certificates;
namespace {

using certificates::check;
using certificates::openssl_deleter;
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, openssl_deleter<SSL_CTX, SSL_CTX_free>>;
using ssl_ptr = std::unique_ptr<SSL, openssl_deleter<SSL, SSL_free>>;

/// A self-signed P-256 certificate for "localhost" and its key, written as PEM into a fresh temporary
/// directory that is removed again on destruction.
class self_signed_cert {
  public:
    self_signed_cert() {
        char dir_template[] = "/tmp/dirsync-http-tls-XXXXXX";
        check(::mkdtemp(dir_template) != nullptr, "mkdtemp");
        dir_ = dir_template;
        cert_file_ = (dir_ / "cert.pem").string();
        key_file_ = (dir_ / "key.pem").string();

        const auto issued = certificates::make_certificate({{"CN", "localhost"}}, nullptr, 1, {});
        certificates::write_pem(issued, cert_file_, key_file_);
    }
    ~self_signed_cert() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    const std::string& cert_file() const { return cert_file_; }
    const std::string& key_file() const { return key_file_; }

  private:
    std::filesystem::path dir_;
    std::string cert_file_;
    std::string key_file_;
};

/// A TLS client connection verifying the server against `ca_file` for host "localhost".
class tls_client {
  public:
    /// `max_version`: highest protocol version offered (0: the library's default).
    tls_client(std::uint16_t port, const std::string& ca_file, int max_version = 0)
        : tcp_(port), ctx_(SSL_CTX_new(TLS_client_method())) {
        check(ctx_ != nullptr, "SSL_CTX_new");
        if (max_version != 0) {
            SSL_CTX_set_security_level(ctx_.get(), 0);
            SSL_CTX_set_min_proto_version(ctx_.get(), 0);
            SSL_CTX_set_max_proto_version(ctx_.get(), max_version);
        }
        SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER, nullptr);
        check(SSL_CTX_load_verify_locations(ctx_.get(), ca_file.c_str(), nullptr) == 1, "load CA");
        ssl_.reset(SSL_new(ctx_.get()));
        check(ssl_ != nullptr, "SSL_new");
        check(SSL_set1_host(ssl_.get(), "localhost") == 1, "SSL_set1_host");
        check(SSL_set_fd(ssl_.get(), tcp_.fd()) == 1, "SSL_set_fd");
    }

    /// True if the handshake (with certificate verification) succeeded.
    bool handshake() { return SSL_connect(ssl_.get()) == 1; }

    std::string protocol() const { return SSL_get_version(ssl_.get()); }

    std::optional<raw_response> roundtrip(std::string_view request) {
        if (SSL_write(ssl_.get(), request.data(), static_cast<int>(request.size())) !=
            static_cast<int>(request.size()))
            return std::nullopt;
        return parse_response(buffer_, [&](std::string& b) {
            char chunk[4096];
            const int n = SSL_read(ssl_.get(), chunk, sizeof chunk);
            if (n <= 0) return false;
            b.append(chunk, static_cast<std::size_t>(n));
            return true;
        });
    }

  private:
    raw_connection tcp_;
    ssl_ctx_ptr ctx_;
    ssl_ptr ssl_;
    std::string buffer_;
};

server_settings tls_settings(const self_signed_cert& cert) {
    auto settings = test_settings();
    settings.tls = tls_files{cert.cert_file(), cert.key_file()};
    return settings;
}

TEST(ServerTls, RequestOverTls) {
    self_signed_cert cert;
    running_server server(tls_settings(cert));
    tls_client client(server.port(), cert.cert_file());
    ASSERT_TRUE(client.handshake());
    EXPECT_TRUE(client.protocol() == "TLSv1.3" || client.protocol() == "TLSv1.2") << client.protocol();
    auto res = client.roundtrip("POST /secure HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nbody");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "POST /secure\nbody");
    res = client.roundtrip("GET /again HTTP/1.1\r\nHost: localhost\r\n\r\n");  // keep-alive over TLS
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "GET /again\n");
}

TEST(ServerTls, FailedHandshakesDoNotDisturbOtherSessions) {
    self_signed_cert cert;
    running_server server(tls_settings(cert));
    tls_client good(server.port(), cert.cert_file());
    ASSERT_TRUE(good.handshake());

    raw_connection plain(server.port());  // plain HTTP on the TLS port
    plain.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_TRUE(plain.wait_closed(2s));

    tls_client old(server.port(), cert.cert_file(), TLS1_1_VERSION);  // below the TLS 1.2 minimum
    EXPECT_FALSE(old.handshake());
    ERR_clear_error();

    auto res = good.roundtrip("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(ServerTls, ReloadServesTheNewCertificateToNewConnectionsOnly) {
    self_signed_cert first, renewed;
    running_server server(tls_settings(first));
    tls_client before(server.port(), first.cert_file());
    ASSERT_TRUE(before.handshake());

    // A renewal in place: the same paths, new contents.
    std::filesystem::copy_file(renewed.cert_file(), first.cert_file(),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(renewed.key_file(), first.key_file(),
                               std::filesystem::copy_options::overwrite_existing);
    server.get().reload_tls(tls_files{first.cert_file(), first.key_file()});

    tls_client after(server.port(), renewed.cert_file());
    ASSERT_TRUE(after.handshake());
    auto res = after.roundtrip("GET /new HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    // The connection accepted before the reload goes on with the certificate it was accepted with.
    res = before.roundtrip("GET /old HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "GET /old\n");
}

TEST(ServerTls, AFailedReloadKeepsTheCurrentCertificate) {
    self_signed_cert cert, other;
    running_server server(tls_settings(cert));
    // A key that does not belong to the certificate.
    EXPECT_THROW(server.get().reload_tls(tls_files{cert.cert_file(), other.key_file()}), std::system_error);
    EXPECT_THROW(server.get().reload_tls(tls_files{cert.cert_file() + ".missing", cert.key_file()}),
                 std::system_error);
    tls_client client(server.port(), cert.cert_file());
    ASSERT_TRUE(client.handshake());
    auto res = client.roundtrip("GET /still HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(ServerTls, ReloadOnAPlainServerIsALogicError) {
    running_server server(test_settings());
    self_signed_cert cert;
    EXPECT_THROW(server.get().reload_tls(tls_files{cert.cert_file(), cert.key_file()}), std::logic_error);
}

TEST(ServerTls, StartFailsOnAMissingCertificate) {
    self_signed_cert cert;
    auto settings = test_settings();
    settings.tls = tls_files{cert.cert_file() + ".missing", cert.key_file()};
    server s(settings, echo_handler);
    try {
        s.start();
        FAIL() << "start() should have thrown";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("cert.pem.missing"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace dirsync::http::test
