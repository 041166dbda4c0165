#pragma once

#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <string_view>

#include "http/router.hpp"

namespace dirsync::console {

/// One answer of the admin API: its status and its JSON body (null when it had none or was not JSON).
struct api_answer {
    unsigned status = 0;
    nlohmann::json body;

    bool ok() const noexcept { return status >= 200 && status < 300; }
    /// The refusal's words (`detail`), as the API gives them; empty on success.
    std::string detail() const;
    /// The refusal's machine-readable `code`; empty on success.
    std::string code() const;
};

/// The console's only way to the tenants' records: requests to the admin API (/admin/v1), made in-process
/// through the daemon's own router with the session's token, so every rule, check and audit entry is the
/// API's own. Not thread-safe; one per console request.
class api_client {
  public:
    /// `api` answers /admin/v1 and must outlive the client. `token` and `acting_user` (may be empty) are
    /// sent as Authorization and Dirsync-Acting-User; `request_id` names the calls in logs as the browser's
    /// request; `stop` is passed on.
    api_client(const http::router& api, std::string token, std::string acting_user, std::string request_id,
               std::stop_token stop);

    /// GET `target` below /admin/v1 ("/tenants/acme/users?status=active"); the caller encodes it.
    api_answer get(std::string_view target) const;
    /// `method` on `target` with `body` as JSON (no body when null).
    api_answer send(std::string_view method, std::string_view target,
                    const nlohmann::json& body = nullptr) const;

    /// Whether an answer was 401: the session's token is no longer an admin token (a reload removed it).
    bool refused_token() const noexcept { return refused_token_; }

  private:
    const http::router& api_;
    std::string token_;
    std::string acting_user_;
    std::string request_id_;
    std::stop_token stop_;
    mutable bool refused_token_ = false;
};

/// `segment` percent-encoded for one path segment or query value of a target.
std::string encode(std::string_view segment);

}  // namespace dirsync::console
