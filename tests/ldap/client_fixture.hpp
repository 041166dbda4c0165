#pragma once

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ldap/client.hpp"
#include "tests/support/slapd_fixture.hpp"

namespace dirsync::ldap::test {

namespace asio = boost::asio;

/// A slapd (started in SetUp with `slapd_options()`), an io_context run by the test thread while it awaits,
/// and a two-thread blocking pool. Members are declared so that the pool is joined before the io_context
/// goes: the client's contract.
class ClientTest : public ::testing::Test {
  protected:
    asio::io_context io_;
    asio::thread_pool pool_{2};
    std::unique_ptr<testing::slapd_server> slapd_;
    std::unique_ptr<client> client_;

    virtual testing::slapd_options server_options() const { return {}; }

    void SetUp() override { slapd_ = std::make_unique<testing::slapd_server>(server_options()); }

    void TearDown() override {
        if (HasFailure() && slapd_) std::cerr << "--- slapd log ---\n" << slapd_->log() << "---\n";
        client_.reset();
        io_.restart();
        io_.run_for(std::chrono::seconds(2));  // lets the client's disconnect run; returns once out of work
    }

    /// Simple bind as the reader over plain ldap://, short timeouts.
    connection_settings reader_settings() const {
        connection_settings s;
        s.url = slapd_->ldap_url();
        s.bind_dn = testing::slapd_server::reader_dn;
        s.bind_password = secret(testing::slapd_server::reader_password);
        s.network_timeout = std::chrono::seconds(2);
        s.connect_timeout = std::chrono::seconds(5);
        s.operation_timeout = std::chrono::seconds(5);
        return s;
    }

    /// A subtree search under `base` for `filter` returning `attributes` (empty: all user attributes).
    static search_request request(std::string base, std::string filter = "(objectClass=*)",
                                  std::vector<std::string> attributes = {}) {
        search_request r;
        r.base = std::move(base);
        r.filter = std::move(filter);
        r.attributes = std::move(attributes);
        return r;
    }

    client& make_client(connection_settings s) {
        client_ = std::make_unique<client>(io_.get_executor(), pool_, std::move(s));
        return *client_;
    }

    /// Runs `a` on the io_context until it completes (rethrowing its exception); fails the test and throws
    /// after `limit`.
    template <class T>
    T run(asio::awaitable<T> a, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        std::optional<T> out;
        std::exception_ptr failure;
        bool done = false;
        asio::co_spawn(io_, std::move(a), [&](std::exception_ptr e, T value) {
            failure = e;
            if (!e) out.emplace(std::move(value));
            done = true;
        });
        run_until(done, limit);
        if (failure) std::rethrow_exception(failure);
        return std::move(*out);
    }

    void run(asio::awaitable<void> a, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        std::exception_ptr failure;
        bool done = false;
        asio::co_spawn(io_, std::move(a), [&](std::exception_ptr e) {
            failure = e;
            done = true;
        });
        run_until(done, limit);
        if (failure) std::rethrow_exception(failure);
    }

    /// Runs the io_context for `d` (lets the reader notice things).
    void run_for(std::chrono::milliseconds d) {
        io_.restart();
        io_.run_for(d);
    }

    /// Connects `c`, failing the test with the error's message on failure.
    void connect_or_fail(client& c) {
        auto r = run(c.connect());
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }

  private:
    void run_until(const bool& done, std::chrono::milliseconds limit) {
        io_.restart();
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done) {
            if (std::chrono::steady_clock::now() >= deadline) {
                ADD_FAILURE() << "the operation did not complete within " << limit.count() << " ms";
                throw std::runtime_error("operation hung");
            }
            io_.run_one_for(std::chrono::milliseconds(50));
            if (io_.stopped()) io_.restart();
        }
    }
};

}  // namespace dirsync::ldap::test
