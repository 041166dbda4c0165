#include "ldap/blocking_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <utility>

#include "ldap/client.hpp"

namespace dirsync::ldap {

namespace asio = boost::asio;

struct blocking_client::state {
    explicit state(connection_settings s) : pool(2), ldap_client(io.get_executor(), pool, std::move(s)) {}
    ~state() {
        // The client first (it may post to the io_context), then the pool joined before the io_context goes.
        client_reset();
        pool.join();
    }
    void client_reset() {
        if (client_alive) {
            run_to_end([this]() -> asio::awaitable<int> {
                co_await ldap_client.disconnect();
                co_return 0;
            });
            client_alive = false;
        }
    }

    /// Runs the coroutine `make()` on the io_context until it completes or `deadline` passes; on expiry the
    /// client is disconnected (which fails the outstanding operation) and the loop drained.
    template <class Make>
    auto run_to_end(Make make, std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt)
        -> std::optional<typename decltype(make())::value_type> {
        using value = typename decltype(make())::value_type;
        std::optional<value> out;
        std::exception_ptr failure;
        io.restart();
        cancelled_now = false;
        // The slice ends as soon as the operation completes: waiting out the rest of it would add up to a
        // slice of latency to every call (the connection's reader keeps the io_context busy).
        bool stop_when_done = true;
        asio::co_spawn(io, make(), [&](std::exception_ptr e, value v) {
            if (e)
                failure = e;
            else
                out = std::move(v);
            if (stop_when_done) io.stop();
        });
        // Run in slices so that a deadline or a cancellation is noticed within one slice.
        constexpr auto slice = std::chrono::milliseconds(100);
        for (;;) {
            if (io.stopped() || out || failure) break;
            auto until = std::chrono::steady_clock::now() + slice;
            if (deadline && *deadline < until) until = *deadline;
            io.run_until(until);
            const bool cancelled = cancel != nullptr && cancel->load();
            const bool expired = deadline && std::chrono::steady_clock::now() >= *deadline;
            if (out || failure || io.stopped() || !(cancelled || expired)) continue;
            {
                // Time is up: closing the connection completes the pending operation with an error.
                asio::co_spawn(io, ldap_client.disconnect(), [](std::exception_ptr) {});
                stop_when_done = false;
                io.restart();
                io.run();
                if (failure) std::rethrow_exception(failure);
                if (cancelled && !expired) cancelled_now = true;
                return std::nullopt;
            }
        }
        if (failure) std::rethrow_exception(failure);
        return out;
    }

    asio::io_context io;
    asio::thread_pool pool;
    client ldap_client;
    bool client_alive = true;
    const std::atomic<bool>* cancel = nullptr;
    bool cancelled_now = false;  ///< the last run_to_end ended by cancellation
};

blocking_client::blocking_client(connection_settings settings)
    : state_(std::make_unique<state>(std::move(settings))) {}

blocking_client::~blocking_client() = default;

void blocking_client::set_cancel_flag(const std::atomic<bool>* flag) noexcept { state_->cancel = flag; }

namespace {
error ended(bool cancelled, std::string what) {
    if (cancelled) return error(error_kind::disconnected, -1, "cancelled: the daemon is stopping");
    return error(error_kind::timeout, -5, std::move(what));
}
}  // namespace

boost::system::result<void, error> blocking_client::connect() {
    auto r = state_->run_to_end([this]() { return state_->ldap_client.connect(); });
    if (!r) return ended(state_->cancelled_now, "connect did not complete");
    return *r;
}

boost::system::result<std::size_t, error> blocking_client::search(
    search_request request, const std::function<void(entry&&)>& on_entry,
    std::optional<std::chrono::steady_clock::time_point> deadline) {
    using out_t = boost::system::result<std::size_t, error>;
    auto r = state_->run_to_end(
        [&]() -> asio::awaitable<out_t> {
            auto cursor = state_->ldap_client.search(std::move(request));
            std::size_t n = 0;
            while (cursor.has_more()) {
                auto page = co_await cursor.next_page();
                if (!page) co_return page.error();
                for (auto& e : *page) {
                    on_entry(std::move(e));
                    ++n;
                }
            }
            co_return n;
        },
        deadline);
    if (!r) return ended(state_->cancelled_now, "the search did not end within the run's time limit");
    return *r;
}

boost::system::result<sync_refresh_result, error> blocking_client::sync_refresh(
    sync_refresh_request request, sync_entry_handler on_entry,
    std::optional<std::chrono::steady_clock::time_point> deadline) {
    auto r = state_->run_to_end(
        [&]() { return ldap::sync_refresh(state_->ldap_client, std::move(request), std::move(on_entry)); },
        deadline);
    if (!r) return ended(state_->cancelled_now, "the refresh did not end within the run's time limit");
    return *r;
}

boost::system::result<void, error> blocking_client::sync_persist(search_request search, std::string cookie,
                                                                 std::function<void()> on_change) {
    auto r = state_->run_to_end(
        [&]() {
            return ldap::sync_persist(state_->ldap_client, std::move(search), std::move(cookie),
                                      std::move(on_change));
        },
        std::nullopt);
    if (!r) return ended(state_->cancelled_now, "the persistent search ended");
    return *r;
}

boost::system::result<full_read_result, error> blocking_client::read_full(
    const source_query& query, incremental_method method, source_handlers handlers,
    std::optional<std::chrono::steady_clock::time_point> deadline) {
    auto r = state_->run_to_end(
        [&]() { return ldap::read_full(state_->ldap_client, query, method, std::move(handlers)); }, deadline);
    if (!r) return ended(state_->cancelled_now, "the read did not end within the run's time limit");
    return *r;
}

boost::system::result<incremental_result, error> blocking_client::read_incremental(
    const source_query& query, const incremental_state& previous, source_handlers handlers,
    std::optional<std::chrono::steady_clock::time_point> deadline) {
    auto r = state_->run_to_end(
        [&]() { return ldap::read_incremental(state_->ldap_client, query, previous, std::move(handlers)); },
        deadline);
    if (!r) return ended(state_->cancelled_now, "the read did not end within the run's time limit");
    return *r;
}

boost::system::result<std::optional<entry>, error> blocking_client::read(
    std::string dn, std::vector<std::string> attributes) {
    auto r =
        state_->run_to_end([&]() { return state_->ldap_client.read(std::move(dn), std::move(attributes)); });
    if (!r) return ended(state_->cancelled_now, "the read did not complete");
    return *r;
}

}  // namespace dirsync::ldap

namespace dirsync::ldap {

boost::system::result<void, error> blocking_client::add(entry e) {
    auto r = state_->run_to_end([&]() { return state_->ldap_client.add(std::move(e)); });
    if (!r) return ended(state_->cancelled_now, "the add did not complete");
    return *r;
}

boost::system::result<void, error> blocking_client::modify(std::string dn,
                                                           std::vector<modification> changes) {
    auto r =
        state_->run_to_end([&]() { return state_->ldap_client.modify(std::move(dn), std::move(changes)); });
    if (!r) return ended(state_->cancelled_now, "the modify did not complete");
    return *r;
}

boost::system::result<void, error> blocking_client::remove(std::string dn) {
    auto r = state_->run_to_end([&]() { return state_->ldap_client.remove(std::move(dn)); });
    if (!r) return ended(state_->cancelled_now, "the delete did not complete");
    return *r;
}

boost::system::result<void, error> blocking_client::rename(std::string dn, std::string new_rdn,
                                                           std::string new_superior) {
    auto r = state_->run_to_end([&]() {
        return state_->ldap_client.rename(std::move(dn), std::move(new_rdn), std::move(new_superior), true);
    });
    if (!r) return ended(state_->cancelled_now, "the rename did not complete");
    return *r;
}

}  // namespace dirsync::ldap
