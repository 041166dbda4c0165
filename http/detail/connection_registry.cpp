#include "http/detail/connection_registry.hpp"

#include <boost/asio/post.hpp>
#include <vector>

namespace dirsync::http::detail {

std::shared_ptr<connection> connection_registry::add(boost::asio::any_io_executor strand) {
    std::lock_guard lock(mutex_);
    if (stopping_) return nullptr;
    auto c = std::make_shared<connection>(std::move(strand), next_serial_++);
    connections_.insert(c);
    return c;
}

void connection_registry::remove(const std::shared_ptr<connection>& c) {
    std::function<void()> drained;
    {
        std::lock_guard lock(mutex_);
        if (connections_.erase(c) == 0) return;
        if (c->evicted) --evicted_;
        if (stopping_ && connections_.empty()) drained = on_drained_;
    }
    if (drained) drained();
}

std::size_t connection_registry::size() const {
    std::lock_guard lock(mutex_);
    return connections_.size() - evicted_;
}

room connection_registry::make_room(std::size_t max) {
    std::shared_ptr<connection> victim;
    {
        std::lock_guard lock(mutex_);
        if (max == 0 || connections_.size() - evicted_ < max) return room::available;
        // In order of preference: never answered; answered before but now mid-way through sending a
        // request; idle between requests. Oldest first in each.
        const std::shared_ptr<connection>* best[3] = {nullptr, nullptr, nullptr};
        for (const auto& c : connections_) {
            if (c->evicted || c->answering.load(std::memory_order_relaxed)) continue;
            const int rank = !c->served.load(std::memory_order_relaxed) ? 0
                             : !c->idle.load(std::memory_order_relaxed) ? 1
                                                                        : 2;
            if (best[rank] == nullptr || c->serial < (*best[rank])->serial) best[rank] = &c;
        }
        const auto* pick = best[0] != nullptr ? best[0] : best[1] != nullptr ? best[1] : best[2];
        if (pick == nullptr) return room::none;
        victim = *pick;
        victim->evicted = true;
        ++evicted_;
    }
    boost::asio::post(victim->strand, [this, victim] { evict(victim); });
    return room::evicted;
}

void connection_registry::evict(const std::shared_ptr<connection>& c) {
    if (c->answering.load(std::memory_order_relaxed)) {
        // Its request became complete meanwhile and is being answered: it stays, counted again.
        std::lock_guard lock(mutex_);
        if (c->evicted) {
            c->evicted = false;
            --evicted_;
        }
        return;
    }
    // Without a socket the session is ending (it goes by itself) or has not started yet (it then runs until
    // its header timeout, one connection above the limit at most per such race).
    if (c->socket == nullptr) return;
    boost::system::error_code ignored;
    c->socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    c->socket->close(ignored);
}

bool connection_registry::begin_stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (connections_.empty()) return true;
    }
    close(true);
    return false;
}

void connection_registry::close_all() { close(false); }

void connection_registry::on_drained(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    on_drained_ = std::move(callback);
}

void connection_registry::close(bool only_idle) {
    std::vector<std::shared_ptr<connection>> snapshot;
    {
        std::lock_guard lock(mutex_);
        snapshot.assign(connections_.begin(), connections_.end());
    }
    for (auto& c : snapshot) {
        boost::asio::post(c->strand, [c, only_idle] {
            if (c->socket == nullptr || (only_idle && !c->idle)) return;
            boost::system::error_code ignored;
            c->socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
            c->socket->close(ignored);
        });
    }
}

}  // namespace dirsync::http::detail
