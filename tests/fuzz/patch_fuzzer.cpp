// libFuzzer target: scim::apply_patch with arbitrary PATCH bodies.
//
// The input is parsed as JSON (other inputs are ignored); a JSON array is also tried as the Operations of a
// PatchOp request so the fuzzer reaches the operations quickly. Each body is applied to a realistic User
// (under the built-in schemas and under one with an admin-declared extension) and to a Group. Invariants (a
// violation aborts, which libFuzzer records as a crash):
//  - apply_patch never throws and never crashes, whatever it answers;
//  - a successful patch leaves id, meta and (for the User) the readOnly groups as they were, and adds no
//    other spelling of them (RFC 7644 §3.5.2: readOnly attributes are ignored or refused, never written);
//  - resource::canonicalize never throws or crashes on a patched User.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/casefold.hpp"
#include "resource/canonical.hpp"
#include "scim/patch.hpp"
#include "tests/fuzz/invariant.hpp"
#include "tests/fuzz/sample_resources.hpp"

namespace {

using namespace dirsync;
using nlohmann::json;

void check_read_only_kept(const json& before, const json& after, const json& body,
                          std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) {
        const auto was = before.find(name);
        const auto now = after.find(name);
        const bool same = (was == before.end()) ? (now == after.end()) : (now != after.end() && *was == *now);
        if (!same)
            dirsync::fuzz::invariant_failed("a successful PATCH leaves readOnly attributes alone",
                                            std::string(name) +
                                                " changed\nbody:   " + dirsync::fuzz::describe(body) +
                                                "\nresult: " + dirsync::fuzz::describe(after));
        for (const auto& [key, value] : after.items())
            if (key != name && common::equal_folded(key, name))
                dirsync::fuzz::invariant_failed("a successful PATCH leaves readOnly attributes alone",
                                                "added \"" + key +
                                                    "\"\nbody:   " + dirsync::fuzz::describe(body) +
                                                    "\nresult: " + dirsync::fuzz::describe(after));
    }
}

void check_patch(const json& body) {
    const json& user = dirsync::fuzz::sample_user();
    for (const resource::resource_schema* schema :
         {&resource::user_resource_schema(), &dirsync::fuzz::acme_user_schema()}) {
        if (auto patched = scim::apply_patch(user, body, *schema)) {
            check_read_only_kept(user, *patched, body, {"id", "meta", "groups"});
            (void)resource::canonicalize(*patched, *schema);
        }
    }

    const json& group = dirsync::fuzz::sample_group();
    if (auto patched = scim::apply_patch(group, body, resource::group_resource_schema()))
        check_read_only_kept(group, *patched, body, {"id", "meta"});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const json body = json::parse(data, data + size, nullptr, false);
    if (body.is_discarded()) return 0;
    check_patch(body);
    if (body.is_array())
        check_patch(
            json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}, {"Operations", body}});
    return 0;
}
