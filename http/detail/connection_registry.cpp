#include "http/detail/connection_registry.hpp"

#include <boost/asio/post.hpp>
#include <vector>

namespace dirsync::http::detail {

std::shared_ptr<connection> connection_registry::add(boost::asio::any_io_executor strand) {
    std::lock_guard lock(mutex_);
    if (stopping_) return nullptr;
    auto c = std::make_shared<connection>(std::move(strand));
    connections_.insert(c);
    return c;
}

void connection_registry::remove(const std::shared_ptr<connection>& c) {
    std::function<void()> drained;
    {
        std::lock_guard lock(mutex_);
        if (connections_.erase(c) == 0) return;
        if (stopping_ && connections_.empty()) drained = on_drained_;
    }
    if (drained) drained();
}

std::size_t connection_registry::size() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
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
