// libFuzzer target: resource::canonicalize (what every pushed and synced User goes through) on arbitrary
// JSON.
//
// The input is parsed as JSON (other inputs are ignored) and canonicalized as sent; an object is also tried
// with `schemas` set to the core and enterprise URNs, so the fuzzer gets past the schemas check quickly.
// Both under the built-in schemas and under one with an admin-declared extension of every attribute type.
// Invariants (a violation aborts, which libFuzzer records as a crash):
//  - canonicalize never throws and never crashes;
//  - its result is canonical: canonicalizing it again succeeds and changes nothing;
//  - the result holds no id, meta, groups or password and lists the core User URN first.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "resource/canonical.hpp"
#include "resource/schema.hpp"
#include "tests/fuzz/invariant.hpp"
#include "tests/fuzz/sample_resources.hpp"

namespace {

using namespace dirsync;
using nlohmann::json;

void check_canonicalize(const json& input, const resource::resource_schema& schema) {
    auto canonical = resource::canonicalize(input, schema);
    if (!canonical) return;

    const json& out = *canonical;
    for (const char* name : {"id", "meta", "groups", "password"})
        if (out.contains(name))
            dirsync::fuzz::invariant_failed("canonical form drops readOnly and writeOnly attributes",
                                            std::string(name) +
                                                " kept\ninput:  " + dirsync::fuzz::describe(input) +
                                                "\nresult: " + dirsync::fuzz::describe(out));
    const auto schemas = out.find("schemas");
    if (schemas == out.end() || !schemas->is_array() || schemas->empty() ||
        schemas->front() != std::string(resource::core_user_urn))
        dirsync::fuzz::invariant_failed(
            "canonical form lists the core URN first",
            "input:  " + dirsync::fuzz::describe(input) + "\nresult: " + dirsync::fuzz::describe(out));

    auto again = resource::canonicalize(out, schema);
    if (!again)
        dirsync::fuzz::invariant_failed("canonical form is accepted again",
                                        "input:  " + dirsync::fuzz::describe(input) +
                                            "\nresult: " + dirsync::fuzz::describe(out) +
                                            "\nerror:  " + again.error().message);
    if (*again != out)
        dirsync::fuzz::invariant_failed("canonicalize is idempotent",
                                        "input:  " + dirsync::fuzz::describe(input) +
                                            "\nonce:   " + dirsync::fuzz::describe(out) +
                                            "\ntwice:  " + dirsync::fuzz::describe(*again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const json input = json::parse(data, data + size, nullptr, false);
    if (input.is_discarded()) return 0;
    json with_schemas = input;
    if (input.is_object())
        with_schemas["schemas"] = {std::string(resource::core_user_urn),
                                   std::string(resource::enterprise_user_urn)};
    for (const resource::resource_schema* schema :
         {&resource::user_resource_schema(), &dirsync::fuzz::acme_user_schema()}) {
        check_canonicalize(input, *schema);
        if (input.is_object()) check_canonicalize(with_schemas, *schema);
    }
    return 0;
}
