#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

namespace dirsync::common {

/// An infrastructure failure expected to clear without a change to the request: the disk is full, the
/// database is briefly out of reach. Thrown, like other infrastructure failures, and caught at the request
/// boundary, which answers 503 Service Unavailable with `Retry-After` and `public_message` instead of a
/// generic 500. Nothing of the failed request was kept. `what()` is the internal text, for the log only.
class temporarily_unavailable : public std::runtime_error {
  public:
    temporarily_unavailable(std::string public_message, std::chrono::seconds retry_after,
                            const std::string& internal)
        : std::runtime_error(internal),
          public_message_(std::move(public_message)),
          retry_after_(retry_after) {}

    /// Safe to send to a client: says what is unavailable and that the change was not made.
    const std::string& public_message() const noexcept { return public_message_; }
    std::chrono::seconds retry_after() const noexcept { return retry_after_; }

  private:
    std::string public_message_;
    std::chrono::seconds retry_after_;
};

}  // namespace dirsync::common
