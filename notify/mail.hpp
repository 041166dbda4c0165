#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "notify/delivery.hpp"

namespace dirsync::notify {

/// Where and how send_mail submits mail.
struct smtp_settings {
    /// "smtp://host:port" or "smtps://host:port" (TLS from the first byte). A path is ignored (the EHLO name
    /// is `helo_domain`); user information in it is refused (credentials go in username and password).
    std::string url;
    /// For smtp:// only: whether to upgrade with STARTTLS. `starttls_if_offered` falls back to plain text
    /// when the server does not offer it (or someone on the path strips the offer).
    enum class tls_mode {
        none,
        starttls_if_offered,
        starttls_required
    } starttls = tls_mode::starttls_if_offered;
    /// The envelope sender (MAIL FROM) and the address of the From header.
    std::string from;
    /// The display name of the From header; empty for none.
    std::string from_name{};
    /// Both set: AUTH with the strongest mechanism both sides support.
    std::optional<std::string> username{};
    std::optional<std::string> password{};
    /// A PEM file of the CAs to trust; empty: the system's.
    std::string ca_file{};
    /// false: accept any certificate and host name (test setups only).
    bool verify_peer = true;
    /// The whole attempt, connecting included.
    std::chrono::milliseconds timeout{30000};
    /// The name sent with EHLO; empty: this host's name (gethostname), as libcurl does.
    std::string helo_domain{};
};

/// One message to one recipient.
struct mail {
    /// The recipient: an addr-spec (common::is_email_address), no display name.
    std::string to;
    /// Free text (UTF-8); line breaks and other control characters become spaces, runs of spaces one space,
    /// and spaces at either end go.
    std::string subject;
    /// The body (UTF-8); "\n", "\r\n" and a lone "\r" all end a line.
    std::string text;
    /// Idempotency: when not empty, the Message-ID is <message_id@domain of from>, so a receiver can drop a
    /// second copy of a retried message. It must be dot-atom text (letters, digits, !#$%&'*+/=?^_`{|}~- and
    /// single inner dots, at most 200 bytes). Empty: a random UUID.
    std::string message_id{};
};

/// Submits `m` over SMTP: MAIL FROM <settings.from>, RCPT TO <m.to>, DATA format_mail(settings, m, now).
/// Permanent failures: a malformed from, to, message_id, helo_domain or URL (nothing is sent), a refused
/// login, and a 5xx reply. Everything else (no connection, timeouts, TLS failures, 4xx replies) is worth a
/// retry. Blocks for at most about settings.timeout; callable from any thread (each call has its own
/// libcurl handle and connection). Throws std::runtime_error only when libcurl cannot start at all.
delivery_result send_mail(const smtp_settings& settings, const mail& m);

/// The RFC 5322 message send_mail transmits, with CRLF line ends and no line longer than 78 characters (but
/// for a line holding little more than an address or the message id, which cannot be folded):
/// Date (`now`, UTC), From, To, Subject (RFC 2047 "B" encoded-words when not printable ASCII or too long),
/// Message-ID, MIME-Version, Content-Type text/plain; charset=utf-8, Content-Transfer-Encoding
/// quoted-printable, Auto-Submitted: auto-generated (RFC 3834), then the body. Invalid UTF-8 in the subject,
/// display name or text is replaced by U+FFFD. Header injection is impossible: addresses must be addr-specs
/// (which have no CR, LF or space) and line breaks in the subject and display name become spaces.
/// Throws std::invalid_argument when m.to, settings.from, m.message_id or settings.helo_domain is malformed
/// (send_mail checks this first and answers a permanent failure instead).
std::string format_mail(const smtp_settings& settings, const mail& m,
                        std::chrono::system_clock::time_point now);

}  // namespace dirsync::notify
