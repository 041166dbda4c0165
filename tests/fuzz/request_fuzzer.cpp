// libFuzzer target: whole SCIM requests through the router and scim::service, over a real SQLite store.
//
// The input is one request:
//   <selector byte><target>\n<body>
// The selector picks the method (low 3 bits: GET POST PUT PATCH DELETE HEAD, POST .search style by target),
// whether If-Match / Prefer headers are sent (bits 3, 4), and whether the token is the tenant's (bit 5 clear)
// or none at all. In the target and the body, "{u}" and "{g}" stand for the id of a seeded user and group of
// the tenant, so the fuzzer reaches the paths that need an existing resource. Requests act as tenant "acme";
// tenant "other" holds one user that no request may see or change.
//
// Invariants (a violation aborts, which libFuzzer records as a crash):
//  - nothing throws out of the router, and no answer is a 500 (bad input is 4xx; a 503 only for storage);
//  - every answer of 400 and above is a SCIM Error: JSON with the Error schema and `status` equal to the
//    HTTP status, as application/scim+json;
//  - every 2xx that has a body is JSON;
//  - the other tenant's user is untouched (checked every 64 inputs, and after each unauthenticated one).
// The store is a file on /dev/shm (or /tmp), recreated every few thousand inputs so that it stays small.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/sha256.hpp"
#include "directory/directory.hpp"
#include "http/bearer_authenticator.hpp"
#include "http/router.hpp"
#include "scim/error.hpp"
#include "scim/service.hpp"
#include "store/database.hpp"
#include "tests/fuzz/invariant.hpp"

namespace {

using namespace dirsync;
using nlohmann::json;

constexpr std::string_view token = "acme-fuzz-token";
constexpr std::size_t inputs_per_store = 4000;

std::string store_path() {
    const std::filesystem::path dir = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    return (dir / ("dirsync-request-fuzzer-" + std::to_string(::getpid()) + ".db")).string();
}

void remove_store(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
}

/// The daemon's SCIM side, as daemon/app.cpp wires it, with seeded records.
struct fixture {
    std::string path = store_path();
    std::unique_ptr<store::database> db;
    std::unique_ptr<directory::tenant_directory> dir;
    http::bearer_authenticator auth{{{http::principal::scim_client("acme"), common::sha256(token)},
                                     {http::principal::scim_client("other"), common::sha256("other-token")}}};
    std::unique_ptr<scim::service> service;
    std::unique_ptr<http::router> router;
    std::string user_id, group_id, other_id;
    json other_user;

    fixture() {
        remove_store(path);
        db = std::make_unique<store::database>(path, 4);
        dir = std::make_unique<directory::tenant_directory>(*db);
        dir->configure_tenants({{"acme", "Acme", std::nullopt}, {"other", "Other", 2}});
        scim::service_settings settings;
        settings.search_time_limit = std::chrono::milliseconds(2'000);
        // A cheap hash: the fuzzer is after the paths around the hash, not scrypt's cost.
        settings.password_hasher = [](std::string_view, std::string_view password) {
            return "$fuzz$" + std::to_string(password.size());
        };
        service = std::make_unique<scim::service>(*dir, std::move(settings));
        router = std::make_unique<http::router>(auth, [](unsigned status, std::string_view detail) {
            return scim::error_response(status, detail);
        });
        service->add_routes(*router);

        user_id =
            seed("acme", "POST", "/scim/v2/Users",
                 R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",)"
                 R"("name":{"givenName":"Barbara"},"emails":[{"value":"b@example.com","primary":true}]})");
        group_id =
            seed("acme", "POST", "/scim/v2/Groups",
                 R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins",)"
                 R"("members":[{"value":")" +
                     user_id + R"("}]})");
        other_id = seed("other", "POST", "/scim/v2/Users",
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen"})");
        other_user = read_other();
    }

    ~fixture() {
        router.reset();
        service.reset();
        dir.reset();
        db.reset();
        remove_store(path);
    }

    http::response send(std::string_view tenant_token, std::string method, std::string target,
                        std::string body, std::vector<http::header_field> headers = {}) {
        http::request req;
        req.method = std::move(method);
        req.target = std::move(target);
        req.body = std::move(body);
        req.headers = std::move(headers);
        req.headers.push_back({"Host", "fuzz.example"});
        if (!tenant_token.empty())
            req.headers.push_back({"Authorization", "Bearer " + std::string(tenant_token)});
        if (!req.body.empty()) req.headers.push_back({"Content-Type", "application/scim+json"});
        return (*router)(req);
    }

    std::string seed(std::string_view tenant, const char* method, const char* target,
                     const std::string& body) {
        auto res = send(tenant == "acme" ? token : "other-token", method, target, body);
        auto j = json::parse(res.body, nullptr, false);
        if (res.status != 201 || !j.is_object() || !j.contains("id"))
            dirsync::fuzz::invariant_failed("the fuzzer's seed records are created", res.body);
        return j["id"].get<std::string>();
    }

    json read_other() {
        auto res = send("other-token", "GET", "/scim/v2/Users/" + other_id, {});
        if (res.status != 200) dirsync::fuzz::invariant_failed("the other tenant's user stays", res.body);
        return json::parse(res.body, nullptr, false);
    }
};

std::string substitute(std::string text, const fixture& f) {
    for (auto [key, value] : {std::pair<std::string_view, const std::string*>{"{u}", &f.user_id},
                              std::pair<std::string_view, const std::string*>{"{g}", &f.group_id}}) {
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value->size()))
            text.replace(at, key.size(), *value);
    }
    return text;
}

void check_answer(const http::response& res, const std::string& method, const std::string& target,
                  const std::string& body) {
    auto context = [&] { return method + " " + target + "\n" + body + "\n-> " + res.body; };
    if (res.status < 200 || res.status > 599 || res.status == 500)
        dirsync::fuzz::invariant_failed("no request gets a 500 or an invalid status",
                                        std::to_string(res.status) + " for " + context());
    if (res.status >= 400) {
        auto j = json::parse(res.body, nullptr, false);
        if (!j.is_object() || !j.contains("schemas") ||
            j["schemas"] != json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}) ||
            !j.contains("status") || j["status"] != std::to_string(res.status) ||
            res.content_type.rfind("application/scim+json", 0) != 0)
            dirsync::fuzz::invariant_failed("every error is a SCIM Error", context());
    } else if (!res.body.empty() && json::parse(res.body, nullptr, false).is_discarded()) {
        dirsync::fuzz::invariant_failed("every successful body is JSON", context());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::unique_ptr<fixture> f;
    static std::size_t inputs = 0;
    if (!f || inputs % inputs_per_store == 0) {
        f.reset();
        f = std::make_unique<fixture>();
    }
    ++inputs;
    if (size == 0) return 0;

    static constexpr const char* methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "GET", "POST"};
    const std::uint8_t selector = data[0];
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto newline = rest.find('\n');
    std::string target = substitute(std::string(rest.substr(0, newline)), *f);
    std::string body = newline == std::string_view::npos
                           ? std::string()
                           : substitute(std::string(rest.substr(newline + 1)), *f);
    if (target.empty() || target.front() != '/') target = "/scim/v2/" + target;

    std::vector<http::header_field> headers;
    if (selector & 0x08) headers.push_back({"If-Match", "W/\"1\""});
    if (selector & 0x10) headers.push_back({"Prefer", "return=minimal"});
    const bool anonymous = (selector & 0x20) != 0;
    const std::string method = methods[selector & 0x07];

    http::response res;
    try {
        res = f->send(anonymous ? std::string_view() : token, method, target, body, std::move(headers));
    } catch (const std::exception& e) {
        dirsync::fuzz::invariant_failed("nothing throws out of the router",
                                        method + " " + target + "\n" + body + "\nthrew: " + e.what());
    }
    check_answer(res, method, target, body);
    const bool under_scim =
        target.rfind("/scim/v2", 0) == 0 && (target.size() == 8 || target[8] == '/' || target[8] == '?');
    if (anonymous && under_scim && res.status != 401)
        dirsync::fuzz::invariant_failed("a request without a token is 401 everywhere under /scim/v2",
                                        method + " " + target + " -> " + std::to_string(res.status));
    if (anonymous || inputs % 64 == 0) {
        if (f->read_other() != f->other_user)
            dirsync::fuzz::invariant_failed("another tenant's user is untouched",
                                            method + " " + target + "\n" + body);
    }
    return 0;
}
