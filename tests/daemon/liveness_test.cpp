#include "daemon/liveness.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "daemon/systemd_notify.hpp"
#include "http/server.hpp"
#include "store/database.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace dirsync::daemon {
namespace {

using namespace std::chrono_literals;

/// A real server whose only I/O thread runs the handlers (no workers), so a request to /block holds the
/// I/O loop until release() is called.
class blockable_server {
  public:
    blockable_server() {
        http::server_settings s;
        s.host = "127.0.0.1";
        s.port = 0;
        s.threads = 1;
        server_.emplace(std::move(s), [this](http::request& req) {
            if (req.target == "/block") {
                std::unique_lock lock(mutex_);
                blocked_ = true;
                changed_.notify_all();
                changed_.wait(lock, [this] { return released_; });
            }
            http::response res;
            res.body = "ok";
            return res;
        });
        server_->start();
        thread_ = std::thread([this] { server_->run(); });
    }
    ~blockable_server() {
        release();
        server_->request_stop();
        thread_.join();
    }
    http::server& get() { return *server_; }
    std::uint16_t port() const { return server_->local_port(); }
    /// Sends /block from a thread of its own and waits until the handler holds the I/O thread.
    void block() {
        client_ = std::thread([port = port()] { testing::http_client(port).request("GET", "/block"); });
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return blocked_; });
    }
    void release() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        changed_.notify_all();
        if (client_.joinable()) client_.join();
    }

  private:
    std::optional<http::server> server_;
    std::thread thread_, client_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool blocked_ = false, released_ = false;
};

TEST(Liveness, AnIoLoopHeldByAHandlerIsNotAlive) {
    testing::temp_dir dir;
    store::database db(dir.file("d.db"));
    blockable_server server;
    EXPECT_TRUE(alive_for_watchdog(server.get(), db, 400ms));
    server.block();
    EXPECT_FALSE(alive_for_watchdog(server.get(), db, 400ms));
    server.release();
    EXPECT_TRUE(alive_for_watchdog(server.get(), db, 400ms));
}

TEST(Liveness, AWriteHoldingTheStoreForTheWholeIntervalIsNotAlive) {
    testing::temp_dir dir;
    store::database db(dir.file("d.db"));
    blockable_server server;
    std::atomic<bool> inside{false}, leave{false};
    std::thread writer([&] {
        db.write([&](store::connection&) {
            inside = true;
            while (!leave) std::this_thread::sleep_for(5ms);
        });
    });
    while (!inside) std::this_thread::sleep_for(1ms);
    EXPECT_TRUE(alive_for_watchdog(server.get(), db, 400ms)) << "a write just begun is no reason";
    std::this_thread::sleep_for(450ms);
    EXPECT_FALSE(alive_for_watchdog(server.get(), db, 400ms));
    leave = true;
    writer.join();
    EXPECT_TRUE(alive_for_watchdog(server.get(), db, 400ms));
}

TEST(Liveness, ThePingerStopsFeedingSystemdWhileTheIoLoopIsHeld) {
    testing::temp_dir dir;
    const auto socket_path = dir.file("notify.sock");
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{0, 50'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto pings_during = [fd](std::chrono::milliseconds span) {
        int pings = 0;
        const auto until = std::chrono::steady_clock::now() + span;
        while (std::chrono::steady_clock::now() < until) {
            char buf[256];
            auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0 && std::string_view(buf, static_cast<std::size_t>(n)).find("WATCHDOG=1") !=
                             std::string_view::npos)
                ++pings;
        }
        return pings;
    };

    testing::scoped_env notify("NOTIFY_SOCKET", socket_path.c_str());
    testing::scoped_env usec("WATCHDOG_USEC", "200000");
    testing::scoped_env pid("WATCHDOG_PID", nullptr);
    store::database db(dir.file("d.db"));
    blockable_server server;
    watchdog_pinger pinger(
        [&](std::chrono::microseconds interval) { return alive_for_watchdog(server.get(), db, interval); });
    EXPECT_GE(pings_during(600ms), 3) << "healthy: a ping every 100 ms";
    server.block();
    pings_during(150ms);  // a ping decided before the block may still arrive
    EXPECT_EQ(pings_during(600ms), 0) << "held: systemd is not told the service is alive";
    server.release();
    EXPECT_GE(pings_during(600ms), 2);
    ::close(fd);
}

}  // namespace
}  // namespace dirsync::daemon
