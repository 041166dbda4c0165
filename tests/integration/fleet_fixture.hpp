#pragma once

// Two real dirsyncd processes on one store (a PostgreSQL database: tests/support/test_store.hpp), as behind a
// load balancer: the fixture `Base` starts the first, this the second with the same configuration.

#include <cstddef>
#include <iostream>
#include <memory>
#include <string>

#include "tests/integration/daemon_fixture.hpp"

namespace dirsync::testing {

template <class Base>
class FleetTest : public Base {
  protected:
    std::unique_ptr<daemon_process> second_;

    void SetUp() override {
        Base::SetUp();
        if (this->HasFatalFailure()) return;
        second_ =
            std::make_unique<daemon_process>(this->dir_.file("dirsyncd.yaml"), this->dir_.file("second.log"));
        second_->start();
    }

    void TearDown() override {
        if (this->HasFailure() && second_)
            std::cerr << "--- second dirsyncd log ---\n" << second_->log() << "---\n";
        Base::TearDown();
    }

    /// Instance `i` (0 or 1, then round-robin): the first is the fixture's daemon_.
    daemon_process& instance(std::size_t i) { return i % 2 ? *second_ : *this->daemon_; }
    std::uint16_t instance_port(std::size_t i) const { return i % 2 ? second_->port() : this->port(); }

    /// DaemonTest::call on instance `i`.
    http_result call_on(std::size_t i, const std::string& token, const std::string& method,
                        const std::string& target, const std::string& body = {}) {
        return DaemonTest::call_at(instance_port(i), token, method, target, body);
    }
};

}  // namespace dirsync::testing
