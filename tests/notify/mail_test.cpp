#include "notify/mail.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/base64.hpp"
#include "common/utf8.hpp"

namespace dirsync::notify {
namespace {

using namespace std::chrono_literals;

// 2024-01-02T15:04:05Z, a Tuesday.
const auto fixed_now = std::chrono::system_clock::time_point(std::chrono::seconds(1704207845));

smtp_settings settings() {
    smtp_settings s;
    s.url = "smtp://127.0.0.1:25";
    s.from = "bot@example.com";
    return s;
}

mail message(std::string subject = "Hello", std::string text = "Body\n") {
    return {.to = "alice@example.org",
            .subject = std::move(subject),
            .text = std::move(text),
            .message_id = "m-1"};
}

struct parsed_mail {
    std::vector<std::pair<std::string, std::string>> headers;  // unfolded
    std::string body;                                          // as transmitted

    std::vector<std::string> all(std::string_view name) const {
        std::vector<std::string> out;
        for (const auto& [n, v] : headers)
            if (n == name) out.push_back(v);
        return out;
    }
    std::string one(std::string_view name) const {
        auto values = all(name);
        if (values.size() != 1) throw std::runtime_error("expected one " + std::string(name) + " header");
        return values.front();
    }
};

parsed_mail parse(const std::string& raw) {
    parsed_mail out;
    const auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos) throw std::runtime_error("no end of header");
    out.body = raw.substr(end + 4);
    std::string unfolded;
    for (std::size_t i = 0; i < end; ++i) {
        if (raw.compare(i, 3, "\r\n ") == 0) {
            i += 1;  // unfolding removes the CRLF only
            continue;
        }
        unfolded.push_back(raw[i]);
    }
    std::size_t pos = 0;
    while (pos <= unfolded.size()) {
        auto eol = unfolded.find("\r\n", pos);
        if (eol == std::string::npos) eol = unfolded.size();
        const std::string line = unfolded.substr(pos, eol - pos);
        const auto colon = line.find(':');
        if (colon == std::string::npos) throw std::runtime_error("header line without colon: " + line);
        std::string value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.erase(0, 1);
        out.headers.emplace_back(line.substr(0, colon), value);
        pos = eol + 2;
    }
    return out;
}

/// The text of a header value made of RFC 2047 "B" encoded-words in UTF-8 (and nothing else).
std::string decode_words(const std::string& value) {
    static const std::regex word(R"(=\?utf-8\?B\?([A-Za-z0-9+/=]*)\?=)");
    std::string out;
    std::string rest;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(value.begin(), value.end(), word); it != std::sregex_iterator();
         ++it) {
        rest += value.substr(last, static_cast<std::size_t>(it->position()) - last);
        auto bytes = common::decode_base64((*it)[1].str());
        if (!bytes) throw std::runtime_error("bad base64 in " + value);
        out += *bytes;
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    rest += value.substr(last);
    if (rest.find_first_not_of(' ') != std::string::npos)
        throw std::runtime_error("not only encoded-words: " + value);
    return out;
}

std::string decode_quoted_printable(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '=') {
            out.push_back(s[i++]);
        } else if (s.substr(i, 3) == "=\r\n") {
            i += 3;
        } else {
            out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 3;
        }
    }
    return out;
}

std::vector<std::string> lines(const std::string& raw) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (auto eol = raw.find("\r\n"); eol != std::string::npos; eol = raw.find("\r\n", pos)) {
        out.push_back(raw.substr(pos, eol - pos));
        pos = eol + 2;
    }
    if (pos != raw.size()) out.push_back(raw.substr(pos));
    return out;
}

void expect_wire_shape(const std::string& raw) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\n') {
            EXPECT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
        }
        if (raw[i] == '\r') {
            EXPECT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at " << i;
        }
    }
    EXPECT_TRUE(raw.ends_with("\r\n"));
    for (const auto& line : lines(raw)) EXPECT_LE(line.size(), 78u) << line;
}

}  // namespace

TEST(FormatMail, HeadersOfAPlainMessage) {
    const std::string raw = format_mail(settings(), message(), fixed_now);
    expect_wire_shape(raw);
    const auto m = parse(raw);
    EXPECT_EQ(m.one("Date"), "Tue, 02 Jan 2024 15:04:05 +0000");
    EXPECT_EQ(m.one("From"), "bot@example.com");
    EXPECT_EQ(m.one("To"), "alice@example.org");
    EXPECT_EQ(m.one("Subject"), "Hello");
    EXPECT_EQ(m.one("Message-ID"), "<m-1@example.com>");
    EXPECT_EQ(m.one("MIME-Version"), "1.0");
    EXPECT_EQ(m.one("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(m.one("Content-Transfer-Encoding"), "quoted-printable");
    EXPECT_EQ(m.one("Auto-Submitted"), "auto-generated");
    EXPECT_EQ(m.headers.size(), 9u);
    EXPECT_EQ(m.body, "Body\r\n");
}

TEST(FormatMail, DateIsUtcAtTheGivenTime) {
    const auto t = std::chrono::sys_days(std::chrono::year(2031) / 12 / 31) + 23h + 59min + 58s + 999ms;
    EXPECT_EQ(parse(format_mail(settings(), message(), t)).one("Date"), "Wed, 31 Dec 2031 23:59:58 +0000");
}

TEST(FormatMail, NonAsciiSubjectIsAnEncodedWord) {
    const std::string subject = "Einladung f\xc3\xbcr Zo\xc3\xab";
    const auto m = parse(format_mail(settings(), message(subject), fixed_now));
    EXPECT_EQ(m.one("Subject"), "=?utf-8?B?" + common::encode_base64(subject) + "?=");
    EXPECT_EQ(decode_words(m.one("Subject")), subject);
}

TEST(FormatMail, LongSubjectsAreFoldedOrSplitIntoWholeCharacters) {
    std::string umlauts;
    for (int i = 0; i < 60; ++i) umlauts += "\xc3\xa4\xe2\x82\xac";  // "ä€": 2 + 3 bytes
    const std::string long_ascii =
        "Sync run of tenant acme finished with 3 errors and 1200 changes; see the admin screen for details";
    const std::string long_word(100, 'x');
    struct row {
        std::string subject;
        bool encoded;
    };
    for (const auto& [subject, encoded] : {row{umlauts, true}, row{long_ascii, false}, row{long_word, true},
                                           row{"a =?utf-8?Q?trick?= subject", true}}) {
        const std::string raw = format_mail(settings(), message(subject), fixed_now);
        expect_wire_shape(raw);
        const std::string value = parse(raw).one("Subject");
        if (encoded) {
            EXPECT_EQ(decode_words(value), subject);
            // Every encoded-word decodes to whole UTF-8 characters on its own.
            static const std::regex word(R"(=\?utf-8\?B\?([A-Za-z0-9+/=]*)\?=)");
            for (auto it = std::sregex_iterator(value.begin(), value.end(), word);
                 it != std::sregex_iterator(); ++it)
                EXPECT_TRUE(common::is_valid_utf8(common::decode_base64((*it)[1].str()).value())) << value;
        } else {
            EXPECT_EQ(value, subject);
            EXPECT_NE(raw.find("\r\n "), std::string::npos) << "not folded";
        }
    }
}

TEST(FormatMail, LineBreaksInSubjectAndNameCannotAddHeaders) {
    auto s = settings();
    s.from_name = "Bot\r\nBcc: victim@example.net";
    const std::string raw = format_mail(s, message("Hi\r\nBcc: victim@example.net\nX-Evil: 1\r"), fixed_now);
    expect_wire_shape(raw);
    const auto m = parse(raw);
    EXPECT_TRUE(m.all("Bcc").empty());
    EXPECT_TRUE(m.all("X-Evil").empty());
    EXPECT_EQ(m.one("Subject"), "Hi Bcc: victim@example.net X-Evil: 1");
    EXPECT_EQ(m.one("From"), "\"Bot Bcc: victim@example.net\" <bot@example.com>");
}

TEST(FormatMail, MalformedAddressesAndMessageIdsAreRefused) {
    auto bad_to = message();
    bad_to.to = "alice@example.org\r\nBcc: victim@example.net";
    EXPECT_THROW(format_mail(settings(), bad_to, fixed_now), std::invalid_argument);
    bad_to.to = "Alice <alice@example.org>";
    EXPECT_THROW(format_mail(settings(), bad_to, fixed_now), std::invalid_argument);
    auto bad_from = settings();
    bad_from.from = "bot@example.com\nBcc: victim@example.net";
    EXPECT_THROW(format_mail(bad_from, message(), fixed_now), std::invalid_argument);
    for (const std::string& id : std::vector<std::string>{"a b", "a..b", ".a", "a.", "<a>", "a@b", "a\r\nb",
                                                          std::string("a\0b", 3), std::string(201, 'a')}) {
        auto m = message();
        m.message_id = id;
        EXPECT_THROW(format_mail(settings(), m, fixed_now), std::invalid_argument) << id;
    }
}

TEST(SendMailRefuses, MalformedInputWithoutConnecting) {
    auto s = settings();
    s.url = "smtp://127.0.0.1:1";  // nothing listens: a connection attempt would be a retryable failure
    auto m = message();
    m.to = "alice@example.org\r\nRCPT TO:<victim@example.net>";
    const auto r = send_mail(s, m);
    EXPECT_FALSE(r.delivered);
    EXPECT_TRUE(r.permanent);
    EXPECT_NE(r.error.find("recipient"), std::string::npos) << r.error;
    s.url = "smtp://user:hunter2@127.0.0.1:1";
    const auto u = send_mail(s, message());
    EXPECT_TRUE(u.permanent);
    EXPECT_EQ(u.error.find("hunter2"), std::string::npos) << u.error;
    s.url = "http://127.0.0.1:1";
    EXPECT_TRUE(send_mail(s, message()).permanent);
    s.url = "smtp://127.0.0.1:1";
    s.helo_domain = std::string("host\r\nRSET\0", 11);
    EXPECT_TRUE(send_mail(s, message()).permanent);
}

TEST(FormatMail, DisplayNames) {
    auto s = settings();
    s.from_name = "Dirsync \"Prod\" \\ Bot";
    EXPECT_EQ(parse(format_mail(s, message(), fixed_now)).one("From"),
              "\"Dirsync \\\"Prod\\\" \\\\ Bot\" <bot@example.com>");
    s.from_name = "Zo\xc3\xab's robot";
    const std::string from = parse(format_mail(s, message(), fixed_now)).one("From");
    ASSERT_TRUE(from.ends_with(" <bot@example.com>")) << from;
    EXPECT_EQ(decode_words(from.substr(0, from.size() - 18)), s.from_name);
}

TEST(FormatMail, MessageIdDefaultsToARandomUuid) {
    auto m = message();
    m.message_id.clear();
    const std::string a = parse(format_mail(settings(), m, fixed_now)).one("Message-ID");
    const std::string b = parse(format_mail(settings(), m, fixed_now)).one("Message-ID");
    EXPECT_TRUE(
        std::regex_match(a, std::regex("<[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@"
                                       "example\\.com>")))
        << a;
    EXPECT_NE(a, b);
}

TEST(FormatMail, BodyIsQuotedPrintableWithShortLines) {
    const std::string long_line(120, 'y');
    const std::string text =
        "a=b gr\xc3\xbc\xc3\x9f\n.leading dot\n" + long_line + "\ntrailing space \n\r\nlast\rline";
    const std::string raw = format_mail(settings(), message("s", text), fixed_now);
    expect_wire_shape(raw);
    const std::string body = parse(raw).body;
    EXPECT_NE(body.find("a=3Db gr=C3=BC=C3=9F\r\n"), std::string::npos) << body;
    EXPECT_NE(body.find("\r\n=2Eleading dot\r\n"), std::string::npos) << body;
    EXPECT_NE(body.find("trailing space=20\r\n"), std::string::npos) << body;
    for (const auto& line : lines(body)) {
        EXPECT_LE(line.size(), 76u) << line;
        EXPECT_FALSE(line.starts_with(".")) << line;
        EXPECT_FALSE(line.ends_with(" ")) << line;
    }
    EXPECT_EQ(decode_quoted_printable(body), "a=b gr\xc3\xbc\xc3\x9f\r\n.leading dot\r\n" + long_line +
                                                 "\r\ntrailing space \r\n\r\nlast\r\nline\r\n");
}

TEST(FormatMail, SoftBreaksNeverSplitAnEscape) {
    for (std::size_t prefix = 70; prefix < 80; ++prefix) {
        const std::string text =
            std::string(prefix, 'x') + "\xc3\xbc\xc3\xbc.=" + std::string(prefix, 'z') + " ";
        const std::string body = parse(format_mail(settings(), message("s", text), fixed_now)).body;
        for (const auto& line : lines(body)) EXPECT_LE(line.size(), 76u) << line;
        EXPECT_EQ(decode_quoted_printable(body), text + "\r\n") << prefix;
    }
}

TEST(FormatMail, InvalidUtf8BecomesReplacementCharacters) {
    const auto m = parse(format_mail(settings(), message("bad \xff byte", "bad \xc3 body"), fixed_now));
    EXPECT_EQ(decode_words(m.one("Subject")), "bad \xef\xbf\xbd byte");
    EXPECT_EQ(decode_quoted_printable(m.body), "bad \xef\xbf\xbd body\r\n");
}

}  // namespace dirsync::notify
