#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/principal.hpp"

namespace dirsync::console {

/// One signed-in administrator of the console. Kept on the server only: the browser holds the session's id
/// in an HttpOnly cookie and nothing else.
struct session {
    std::string token;         ///< the admin bearer token the console calls the admin API with
    http::principal who;       ///< what the token authenticates: an operator or one tenant's admin
    std::string acting_user;   ///< the user id sent as Dirsync-Acting-User; empty: none
    std::string acting_label;  ///< how the acting user is shown (userName); empty: none
    std::string csrf;          ///< the token every form of the session carries
    std::string flash;         ///< a one-time notice for the next page ("User ann disabled.")
    std::chrono::steady_clock::time_point created{};
    std::chrono::steady_clock::time_point last_seen{};
};

/// The console's sessions, in memory: a restart signs everyone out. A session ends at sign-out, after
/// `idle` without a request, or `absolute` after sign-in, whichever comes first. At most `capacity` live at
/// once: opening one more ends the one idle longest. Session ids are 256-bit random values; the store keeps
/// only their SHA-256, so a look-up compares digests, not the secret itself. Thread-safe.
class session_store {
  public:
    using clock_function = std::function<std::chrono::steady_clock::time_point()>;

    session_store(std::chrono::steady_clock::duration idle, std::chrono::steady_clock::duration absolute,
                  std::size_t capacity = 10000, clock_function clock = {});

    /// Starts a session for `s` (its csrf, created and last_seen are set here) and returns its id, the
    /// cookie's value.
    std::string open(session s);

    /// The live session `id` names, marked as used now; nullopt when unknown, ended or expired (an expired
    /// one is removed).
    std::optional<session> use(std::string_view id);

    /// Who the live session `id` names, without marking it used (for routing); nullopt as for use().
    std::optional<http::principal> peek(std::string_view id) const;

    /// Leaves `text` for the next page the session shows; a later notice replaces an unread one.
    void set_flash(std::string_view id, std::string text);

    /// The session's notice, once.
    std::string take_flash(std::string_view id);

    /// Ends session `id` (sign-out); unknown ids are ignored.
    void close(std::string_view id);

    /// Sessions held now, expired ones not yet removed included.
    std::size_t size() const;

  private:
    bool expired(const session& s, std::chrono::steady_clock::time_point now) const noexcept;
    std::chrono::steady_clock::time_point now() const;

    std::chrono::steady_clock::duration idle_;
    std::chrono::steady_clock::duration absolute_;
    std::size_t capacity_;
    clock_function clock_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, session> sessions_;  ///< by the hex SHA-256 of the id
};

}  // namespace dirsync::console
