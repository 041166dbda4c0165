#include "console/session_store.hpp"

#include <algorithm>
#include <utility>

#include "common/sha256.hpp"
#include "common/uuid.hpp"

namespace dirsync::console {

namespace {

std::string key_of(std::string_view id) { return common::to_hex(common::sha256(id)); }

}  // namespace

session_store::session_store(std::chrono::steady_clock::duration idle,
                             std::chrono::steady_clock::duration absolute, std::size_t capacity,
                             clock_function clock)
    : idle_(idle),
      absolute_(absolute),
      capacity_(std::max<std::size_t>(capacity, 1)),
      clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point session_store::now() const {
    return clock_ ? clock_() : std::chrono::steady_clock::now();
}

bool session_store::expired(const session& s, std::chrono::steady_clock::time_point at) const noexcept {
    return at - s.last_seen >= idle_ || at - s.created >= absolute_;
}

std::string session_store::open(session s) {
    const auto at = now();
    s.created = at;
    s.last_seen = at;
    s.csrf = common::random_hex(32);
    std::string id = common::random_hex(32);
    std::lock_guard lock(mutex_);
    if (sessions_.size() >= capacity_) {
        std::erase_if(sessions_, [&](const auto& entry) { return expired(entry.second, at); });
        if (sessions_.size() >= capacity_) {
            auto idlest = std::min_element(
                sessions_.begin(), sessions_.end(),
                [](const auto& a, const auto& b) { return a.second.last_seen < b.second.last_seen; });
            sessions_.erase(idlest);
        }
    }
    sessions_.emplace(key_of(id), std::move(s));
    return id;
}

std::optional<session> session_store::use(std::string_view id) {
    if (id.empty()) return std::nullopt;
    const auto key = key_of(id);
    const auto at = now();
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(key);
    if (it == sessions_.end()) return std::nullopt;
    if (expired(it->second, at)) {
        sessions_.erase(it);
        return std::nullopt;
    }
    it->second.last_seen = at;
    return it->second;
}

std::optional<http::principal> session_store::peek(std::string_view id) const {
    if (id.empty()) return std::nullopt;
    const auto key = key_of(id);
    const auto at = now();
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(key);
    if (it == sessions_.end() || expired(it->second, at)) return std::nullopt;
    return it->second.who;
}

void session_store::set_flash(std::string_view id, std::string text) {
    std::lock_guard lock(mutex_);
    if (auto it = sessions_.find(key_of(id)); it != sessions_.end()) it->second.flash = std::move(text);
}

std::string session_store::take_flash(std::string_view id) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(key_of(id));
    if (it == sessions_.end()) return {};
    return std::exchange(it->second.flash, {});
}

void session_store::close(std::string_view id) {
    std::lock_guard lock(mutex_);
    sessions_.erase(key_of(id));
}

std::size_t session_store::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

}  // namespace dirsync::console
