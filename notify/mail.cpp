#include "notify/mail.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/base64.hpp"
#include "common/email_address.hpp"
#include "common/utf8.hpp"
#include "common/uuid.hpp"
#include "curl/easy.hpp"

namespace dirsync::notify {
namespace {

using curl::set_option;

constexpr std::size_t max_line = 78;            // RFC 5322 section 2.1.1, without the CRLF
constexpr std::size_t max_qp_line = 76;         // RFC 2045 section 6.7, rule 5
constexpr std::size_t encoded_word_bytes = 42;  // "=?utf-8?B?" + 56 base64 + "?=": 68, fits after "Subject: "
constexpr std::size_t max_message_id = 200;
constexpr std::size_t max_reply_in_error = 200;

bool is_atext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

/// RFC 5322 dot-atom-text: atext runs joined by single dots.
bool is_dot_atom_text(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i - 1] == '.') return false;
        } else if (!is_atext(s[i])) {
            return false;
        }
    }
    return true;
}

bool is_helo_domain(std::string_view s) {
    if (s.empty() || s.size() > 255) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view(".-:[]").find(c) != std::string_view::npos;
    });
}

/// Why `m` cannot be sent with `settings`, or empty.
std::string input_error(const smtp_settings& settings, const mail& m) {
    if (!common::is_email_address(settings.from)) return "the sender address is not a valid e-mail address";
    if (!common::is_email_address(m.to)) return "the recipient address is not a valid e-mail address";
    if (!m.message_id.empty() && (m.message_id.size() > max_message_id || !is_dot_atom_text(m.message_id)))
        return "the message id is not dot-atom text of at most 200 characters";
    if (!settings.helo_domain.empty() && !is_helo_domain(settings.helo_domain))
        return "the HELO domain is not a host name or address literal";
    return {};
}

/// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD.
std::string well_formed(std::string_view text) {
    if (common::is_valid_utf8(text)) return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        if (common::next_code_point(text, pos))
            out.append(text.substr(start, pos - start));
        else
            common::append_utf8(U'\uFFFD', out);
    }
    return out;
}

/// Header text: well-formed UTF-8, control characters as spaces, runs of spaces as one, no space at either
/// end.
std::string header_text(std::string_view text) {
    const std::string valid = well_formed(text);
    std::string out;
    out.reserve(valid.size());
    for (std::size_t pos = 0; pos < valid.size();) {
        const std::size_t start = pos;
        const char32_t c = common::next_code_point(valid, pos).value_or(U' ');
        if (common::is_control(c) || c == U' ') {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.append(valid, start, pos - start);
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

/// Printable ASCII that no decoder could take for an encoded-word.
bool is_plain_ascii(std::string_view s) {
    return s.find("=?") == std::string_view::npos &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

/// `text` (header_text) as RFC 2047 "B" encoded-words of whole characters, joined by folding white space.
std::string encoded_words(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::string_view chunk = common::utf8_prefix(text.substr(pos), encoded_word_bytes);
        if (chunk.empty()) chunk = text.substr(pos, 1);  // unreachable for well-formed text
        if (!out.empty()) out += "\r\n ";
        out += "=?utf-8?B?" + common::encode_base64(chunk) + "?=";
        pos += chunk.size();
    }
    return out;
}

/// `text` (plain ASCII header_text) folded at spaces so that no line exceeds max_line when the first line
/// already holds `used` characters; nullopt when a word is too long for that.
std::optional<std::string> folded(std::string_view text, std::size_t used) {
    std::string out;
    std::size_t line = used;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t space = text.find(' ', pos + 1);
        const std::string_view word = text.substr(pos, space == std::string_view::npos ? space : space - pos);
        if (line + word.size() > max_line) {
            if (pos == 0 || word.size() > max_line) return std::nullopt;
            out += "\r\n";
            line = 0;
        }
        out += word;
        line += word.size();
        pos += word.size();
    }
    return out;
}

/// The value of an unstructured header (Subject) whose name and colon take `used` characters.
std::string unstructured(std::string_view text, std::size_t used) {
    const std::string clean = header_text(text);
    if (is_plain_ascii(clean))
        if (auto f = folded(clean, used + 1)) return *f;
    return encoded_words(clean);
}

/// A display name as an RFC 5322 phrase: a quoted-string when printable ASCII and short, else encoded-words.
std::string phrase(std::string_view name, std::size_t used) {
    const std::string clean = header_text(name);
    if (is_plain_ascii(clean)) {
        std::string quoted = "\"";
        for (char c : clean) {
            if (c == '"' || c == '\\') quoted.push_back('\\');
            quoted.push_back(c);
        }
        quoted.push_back('"');
        if (used + 1 + quoted.size() <= max_line) return quoted;
    }
    return encoded_words(clean);
}

std::size_t last_line_length(std::string_view s) {
    const auto nl = s.rfind('\n');
    return nl == std::string_view::npos ? s.size() : s.size() - nl - 1;
}

std::string from_header(const smtp_settings& settings) {
    const std::string name = header_text(settings.from_name);
    if (name.empty()) return "From: " + settings.from;
    std::string out = "From: " + phrase(name, 5);
    const std::string address = "<" + settings.from + ">";
    out += last_line_length(out) + 1 + address.size() <= max_line ? " " : "\r\n ";
    return out + address;
}

std::string two_digits(unsigned v) {
    return {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
}

/// RFC 5322 section 3.3 date-time in UTC: "Tue, 02 Jan 2024 15:04:05 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    static constexpr const char* day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto day = floor<days>(now);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> time{floor<seconds>(now - day)};
    return std::string(day_names[weekday{day}.c_encoding()]) + ", " + two_digits(unsigned{ymd.day()}) + " " +
           month_names[unsigned{ymd.month()} - 1] + " " + std::to_string(int{ymd.year()}) + " " +
           two_digits(static_cast<unsigned>(time.hours().count())) + ":" +
           two_digits(static_cast<unsigned>(time.minutes().count())) + ":" +
           two_digits(static_cast<unsigned>(time.seconds().count())) + " +0000";
}

std::string message_id_header(const smtp_settings& settings, const mail& m) {
    std::string domain = settings.from.substr(settings.from.rfind('@') + 1);
    // A msg-id is ASCII; an internationalised sender domain is not.
    if (!std::all_of(domain.begin(), domain.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
        domain = "dirsyncd.invalid";
    const std::string local = m.message_id.empty() ? common::random_uuid() : m.message_id;
    return "Message-ID: <" + local + "@" + domain + ">";
}

/// `text` in quoted-printable (RFC 2045 section 6.7) with CRLF line ends and lines of at most 76 characters.
/// A '.' that would start a line is encoded, so the body never depends on SMTP dot-stuffing.
std::string quoted_printable(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    auto encode_line = [&](std::string_view line) {
        std::size_t length = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const auto c = static_cast<unsigned char>(line[i]);
            const bool last = i + 1 == line.size();
            auto token_for = [&](bool line_start) -> std::string {
                const bool literal = (c >= 33 && c <= 126 && c != '=' && !(line_start && c == '.')) ||
                                     ((c == ' ' || c == '\t') && !last);
                if (literal) return std::string(1, static_cast<char>(c));
                return {'=', hex[c >> 4], hex[c & 0xf]};
            };
            std::string token = token_for(length == 0);
            // The last token may fill the line; any other leaves room for the soft break's '='.
            if (length + token.size() + (last ? 0 : 1) > max_qp_line) {
                out += "=\r\n";
                length = 0;
                token = token_for(true);
            }
            out += token;
            length += token.size();
        }
        out += "\r\n";
    };
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) {
            encode_line(text.substr(pos));
            break;
        }
        encode_line(text.substr(pos, end - pos));
        pos = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
    }
    return out;
}

struct upload {
    std::string_view data;
    std::size_t sent = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* u = static_cast<upload*>(user);
    const std::size_t n = std::min(size * count, u->data.size() - u->sent);
    std::memcpy(buffer, u->data.data() + u->sent, n);
    u->sent += n;
    return n;
}

/// Keeps the last 4xx or 5xx reply line the server sent (libcurl reports SMTP replies as CURLINFO_HEADER_IN;
/// a failure is followed by the reply to QUIT, which this skips).
int record_error_reply(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
    if (type != CURLINFO_HEADER_IN) return 0;
    std::string_view line(data, size);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty() && (line.front() == '4' || line.front() == '5'))
        static_cast<std::string*>(user)->assign(line.substr(0, 2 * max_reply_in_error));
    return 0;
}

delivery_result failure(bool permanent, std::string error) {
    return {
        .delivered = false, .permanent = permanent, .error = std::move(error), .retry_after = std::nullopt};
}

/// settings.url checked and with the EHLO name as its path, or the reason it is refused.
std::pair<std::string, std::string> smtp_url(const smtp_settings& settings) {
    curl::ensure_global();
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
    if (!u) throw std::bad_alloc();
    if (curl_url_set(u.get(), CURLUPART_URL, settings.url.c_str(), 0) != CURLUE_OK)
        return {{}, "the SMTP URL is malformed"};
    auto part = [&](CURLUPart which) -> std::optional<std::string> {
        char* value = nullptr;
        if (curl_url_get(u.get(), which, &value, 0) != CURLUE_OK || value == nullptr) return std::nullopt;
        std::string s(value);
        curl_free(value);
        return s;
    };
    const auto scheme = part(CURLUPART_SCHEME);
    if (scheme != "smtp" && scheme != "smtps") return {{}, "the SMTP URL is neither smtp:// nor smtps://"};
    if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD))
        return {{}, "the SMTP URL carries credentials (set username and password instead)"};
    const std::string path = "/" + settings.helo_domain;
    if (curl_url_set(u.get(), CURLUPART_PATH, path.c_str(), 0) != CURLUE_OK ||
        curl_url_set(u.get(), CURLUPART_QUERY, nullptr, 0) != CURLUE_OK ||
        curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0) != CURLUE_OK)
        return {{}, "the SMTP URL is malformed"};
    auto url = part(CURLUPART_URL);
    if (!url) return {{}, "the SMTP URL is malformed"};
    return {*url, {}};
}

}  // namespace

std::string format_mail(const smtp_settings& settings, const mail& m,
                        std::chrono::system_clock::time_point now) {
    if (const std::string error = input_error(settings, m); !error.empty())
        throw std::invalid_argument(error);
    std::string out;
    out += "Date: " + rfc5322_date(now) + "\r\n";
    out += from_header(settings) + "\r\n";
    out += "To: " + m.to + "\r\n";
    out += "Subject: " + unstructured(m.subject, 8) + "\r\n";
    out += message_id_header(settings, m) + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "\r\n";
    out += quoted_printable(well_formed(m.text));
    return out;
}

delivery_result send_mail(const smtp_settings& settings, const mail& m) {
    if (std::string error = input_error(settings, m); !error.empty()) return failure(true, std::move(error));
    auto [url, url_error] = smtp_url(settings);
    if (!url_error.empty()) return failure(true, std::move(url_error));

    const std::string message = format_mail(settings, m, std::chrono::system_clock::now());
    upload body{.data = message, .sent = 0};
    std::string error_reply;
    char error_buffer[CURL_ERROR_SIZE];
    const long timeout_ms = std::max<long>(1, static_cast<long>(settings.timeout.count()));
    auto h = curl::make_easy("smtp,smtps", timeout_ms, settings.verify_peer, settings.ca_file, error_buffer);
    CURL* c = h.get();
    set_option(c, CURLOPT_URL, url.c_str());
    switch (settings.starttls) {
        case smtp_settings::tls_mode::none:
            set_option(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
            break;
        case smtp_settings::tls_mode::starttls_if_offered:
            set_option(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
            break;
        case smtp_settings::tls_mode::starttls_required:
            set_option(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
            break;
    }
    const std::string mail_from = "<" + settings.from + ">";
    set_option(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl::slist_handle recipients;
    curl::append(recipients, "<" + m.to + ">");
    set_option(c, CURLOPT_MAIL_RCPT, recipients.get());
    set_option(c, CURLOPT_UPLOAD, 1L);
    set_option(c, CURLOPT_READFUNCTION, &read_upload);
    set_option(c, CURLOPT_READDATA, &body);
    set_option(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl::secret_strings secrets;
    if (settings.username && settings.password) {
        set_option(c, CURLOPT_USERNAME, settings.username->c_str());
        set_option(c, CURLOPT_PASSWORD, settings.password->c_str());
        // The password as sent by AUTH PLAIN and LOGIN too, in case a server echoes it back.
        secrets.values = {
            *settings.password, common::encode_base64(*settings.password),
            common::encode_base64(std::string(1, '\0') + *settings.username + '\0' + *settings.password)};
    }
    set_option(c, CURLOPT_DEBUGFUNCTION, &record_error_reply);
    set_option(c, CURLOPT_DEBUGDATA, &error_reply);
    set_option(c, CURLOPT_VERBOSE, 1L);

    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        return {.delivered = true, .permanent = false, .error = {}, .retry_after = std::nullopt};

    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    const bool permanent = code >= 500 || (rc == CURLE_LOGIN_DENIED && (code < 400 || code >= 500)) ||
                           rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL;
    std::string error = "SMTP: " + curl::safe_message(curl::error_message(rc, error_buffer), secrets.values);
    if (code >= 400 && !error_reply.empty())
        error +=
            " (server said: " + curl::safe_message(error_reply, secrets.values, max_reply_in_error) + ")";
    return failure(permanent, std::move(error));
}

}  // namespace dirsync::notify
