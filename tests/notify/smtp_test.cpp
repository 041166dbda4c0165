// send_mail against a real SMTP server: tests/notify/smtp_sink.py (aiosmtpd) on a loopback port.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "notify/mail.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/smtp_sink.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::notify {
namespace {

using testing::smtp_sink;

using namespace std::chrono_literals;

smtp_settings settings_for(const std::string& url) {
    smtp_settings s;
    s.url = url;
    s.from = "bot@example.com";
    s.from_name = "Dirsync";
    s.timeout = 5s;
    s.helo_domain = "dirsync.test";
    return s;
}

mail message_to(std::string to) {
    return {.to = std::move(to), .subject = "Test", .text = "Hello\n", .message_id = {}};
}

std::string lf_lines(std::string s) {
    for (auto pos = s.find("\r\n"); pos != std::string::npos; pos = s.find("\r\n", pos)) s.erase(pos, 1);
    return s;
}

class SendMail : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        sink_ = new smtp_sink({"--reject", "gone@example.org=550 5.1.1 no such user", "--reject",
                               "full@example.org=452 4.2.2 mailbox full"});
    }
    static void TearDownTestSuite() {
        delete sink_;
        sink_ = nullptr;
    }
    static smtp_sink* sink_;
};
smtp_sink* SendMail::sink_ = nullptr;

}  // namespace

TEST_F(SendMail, DeliversAMessageThatParsesBack) {
    const std::size_t before = sink_->messages().size();
    const std::string long_line =
        "A line longer than a hundred characters: " + std::string(80, 'w') + " = end";
    const std::string text =
        "Hallo Zo\xc3\xab,\n.a line starting with a dot\n..and two\n.\n" + long_line + "\nSee you.\n";
    const mail m{.to = "zoe@example.org",
                 .subject = "Einladung f\xc3\xbcr Zo\xc3\xab",
                 .text = text,
                 .message_id = "evt-42.dirsync"};
    const auto sent_at = std::chrono::system_clock::now();
    const auto r = send_mail(settings_for(sink_->url()), m);
    ASSERT_TRUE(r.delivered) << r.error << "\n" << sink_->log();
    EXPECT_FALSE(r.permanent);
    EXPECT_EQ(r.error, "");

    const auto messages = sink_->messages();
    ASSERT_EQ(messages.size(), before + 1);
    const auto& got = messages.back();
    ASSERT_FALSE(got.contains("parse_error")) << got.dump();
    EXPECT_EQ(got["mail_from"], "bot@example.com");
    EXPECT_EQ(got["rcpt_tos"], nlohmann::json::array({"zoe@example.org"}));
    EXPECT_EQ(got["helo"], "dirsync.test");
    EXPECT_EQ(got["tls"], false);
    EXPECT_EQ(got["to"], "zoe@example.org");
    EXPECT_EQ(got["from"], "Dirsync <bot@example.com>");
    EXPECT_EQ(got["subject"], m.subject);
    EXPECT_EQ(got["message_id"], "<evt-42.dirsync@example.com>");
    EXPECT_EQ(got["content_type"], "text/plain");
    EXPECT_EQ(got["charset"], "utf-8");
    EXPECT_EQ(got["defects"], nlohmann::json::array());
    EXPECT_EQ(lf_lines(got["body"].get<std::string>()), text);
    const auto date =
        std::chrono::system_clock::time_point(std::chrono::seconds(got["date_epoch"].get<long>()));
    EXPECT_LE(date, sent_at + 1s);
    EXPECT_GE(date, sent_at - 2s);

    const std::string raw = sink_->raw(static_cast<int>(messages.size()));
    std::istringstream in(raw);
    for (std::string line; std::getline(in, line);) {
        ASSERT_TRUE(line.ends_with("\r")) << line;
        EXPECT_LE(line.size(), 79u) << line;
    }
}

TEST_F(SendMail, RecipientRefusalsDecideWhetherToRetry) {
    const std::size_t before = sink_->messages().size();
    const auto gone = send_mail(settings_for(sink_->url()), message_to("gone@example.org"));
    EXPECT_FALSE(gone.delivered);
    EXPECT_TRUE(gone.permanent) << gone.error;
    EXPECT_NE(gone.error.find("550"), std::string::npos) << gone.error;
    EXPECT_NE(gone.error.find("no such user"), std::string::npos) << gone.error;

    const auto full = send_mail(settings_for(sink_->url()), message_to("full@example.org"));
    EXPECT_FALSE(full.delivered);
    EXPECT_FALSE(full.permanent) << full.error;
    EXPECT_NE(full.error.find("452"), std::string::npos) << full.error;
    EXPECT_EQ(sink_->messages().size(), before);
}

TEST_F(SendMail, StartTlsRequiredButNotOfferedIsNotSentInPlainText) {
    const std::size_t before = sink_->messages().size();
    auto s = settings_for(sink_->url());
    s.starttls = smtp_settings::tls_mode::starttls_required;
    const auto r = send_mail(s, message_to("alice@example.org"));
    EXPECT_FALSE(r.delivered);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(sink_->messages().size(), before);
}

TEST(SendMailServerDown, RetryableWhileDownThenDelivered) {
    smtp_sink sink;
    const std::uint16_t port = sink.port();
    sink.stop();
    auto s = settings_for(sink.url());
    s.timeout = 2s;
    const auto started = std::chrono::steady_clock::now();
    const auto down = send_mail(s, message_to("alice@example.org"));
    EXPECT_LT(std::chrono::steady_clock::now() - started, s.timeout);
    EXPECT_FALSE(down.delivered);
    EXPECT_FALSE(down.permanent) << down.error;
    EXPECT_FALSE(down.error.empty());

    sink.start(port);
    const auto up = send_mail(s, message_to("alice@example.org"));
    EXPECT_TRUE(up.delivered) << up.error << "\n" << sink.log();
    EXPECT_EQ(sink.messages().size(), 1u);
}

TEST(SendMailServerDown, SilentServerTimesOutRetryably) {
    // Bound and listening but never accepting: the kernel completes the handshake, no greeting ever comes.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(fd, 4), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
    auto s = settings_for("smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port)));
    s.timeout = 400ms;
    const auto started = std::chrono::steady_clock::now();
    const auto r = send_mail(s, message_to("alice@example.org"));
    const auto took = std::chrono::steady_clock::now() - started;
    ::close(fd);
    EXPECT_GE(took, 350ms);
    EXPECT_LT(took, 2s);
    EXPECT_FALSE(r.delivered);
    EXPECT_FALSE(r.permanent) << r.error;
    EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
}

namespace {

/// A sink offering STARTTLS with a self-signed certificate for 127.0.0.1 and requiring AUTH as
/// mailer:s3cr3t-Pa55 (only after STARTTLS, aiosmtpd's default).
class SendMailTls : public ::testing::Test {
  protected:
    static constexpr const char* user = "mailer";
    static constexpr const char* password = "s3cr3t-Pa55";

    static void SetUpTestSuite() {
        certs_ = new testing::temp_dir;
        const auto [rc, out] = testing::run_command(
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "
            "/CN=127.0.0.1 "
            "-addext subjectAltName=IP:127.0.0.1 -keyout " +
            certs_->file("key.pem") + " -out " + certs_->file("cert.pem") + " 2>&1");
        ASSERT_EQ(rc, 0) << out;
        sink_ = new smtp_sink({"--tls", certs_->file("cert.pem"), certs_->file("key.pem"), "--auth",
                               std::string(user) + ":" + password});
    }
    static void TearDownTestSuite() {
        delete sink_;
        delete certs_;
        sink_ = nullptr;
        certs_ = nullptr;
    }

    static smtp_settings tls_settings() {
        auto s = settings_for(sink_->url());
        s.starttls = smtp_settings::tls_mode::starttls_required;
        s.ca_file = certs_->file("cert.pem");
        s.username = user;
        s.password = password;
        return s;
    }

    static testing::temp_dir* certs_;
    static smtp_sink* sink_;
};
testing::temp_dir* SendMailTls::certs_ = nullptr;
smtp_sink* SendMailTls::sink_ = nullptr;

}  // namespace

TEST_F(SendMailTls, AuthenticatesAfterStartTls) {
    for (const auto mode :
         {smtp_settings::tls_mode::starttls_required, smtp_settings::tls_mode::starttls_if_offered}) {
        auto s = tls_settings();
        s.starttls = mode;
        const auto r = send_mail(s, message_to("alice@example.org"));
        ASSERT_TRUE(r.delivered) << r.error << "\n" << sink_->log();
        const auto got = sink_->messages().back();
        EXPECT_EQ(got["tls"], true);
        EXPECT_EQ(got["login"], user);
        EXPECT_EQ(got["rcpt_tos"], nlohmann::json::array({"alice@example.org"}));
    }
}

TEST_F(SendMailTls, LoginFailuresArePermanentAndHideThePassword) {
    const std::size_t before = sink_->messages().size();
    auto wrong = tls_settings();
    wrong.password = "wr0ng-Pa55w0rd";
    const auto r = send_mail(wrong, message_to("alice@example.org"));
    EXPECT_FALSE(r.delivered);
    EXPECT_TRUE(r.permanent) << r.error;
    EXPECT_NE(r.error.find("535"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("wr0ng-Pa55w0rd"), std::string::npos) << r.error;

    auto anonymous = tls_settings();
    anonymous.username.reset();
    anonymous.password.reset();
    const auto a = send_mail(anonymous, message_to("alice@example.org"));
    EXPECT_FALSE(a.delivered);
    EXPECT_TRUE(a.permanent) << a.error;  // 530 5.7.0 Authentication required

    // tls_mode::none never upgrades, and aiosmtpd offers AUTH only over TLS: no login, no message.
    auto plain = tls_settings();
    plain.starttls = smtp_settings::tls_mode::none;
    const auto p = send_mail(plain, message_to("alice@example.org"));
    EXPECT_FALSE(p.delivered);
    EXPECT_TRUE(p.permanent) << p.error;
    EXPECT_EQ(p.error.find(password), std::string::npos) << p.error;
    EXPECT_EQ(sink_->messages().size(), before);
}

TEST_F(SendMailTls, UntrustedCertificateIsRetryable) {
    auto s = tls_settings();
    s.ca_file.clear();  // the system's CAs do not know the test certificate
    const auto r = send_mail(s, message_to("alice@example.org"));
    EXPECT_FALSE(r.delivered);
    EXPECT_FALSE(r.permanent) << r.error;
    EXPECT_EQ(r.error.find(password), std::string::npos) << r.error;
    s.verify_peer = false;
    const auto unverified = send_mail(s, message_to("alice@example.org"));
    EXPECT_TRUE(unverified.delivered) << unverified.error;
}

}  // namespace dirsync::notify
