// libFuzzer target: scim::parse_filter on arbitrary bytes.
//
// Invariants checked for every input (a violation aborts, which libFuzzer records as a crash):
//  - parse_filter never throws and never crashes;
//  - a parsed filter's canonical rendering parses again, to an equal filter, and renders identically;
//  - matches(), validate_filter() and the index finders never crash on a realistic User (under the built-in
//    schemas and under one with an admin-declared extension) or Group, and matches() answers the same for
//    the filter and its re-parse.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>

#include "scim/filter.hpp"
#include "tests/fuzz/invariant.hpp"
#include "tests/fuzz/sample_resources.hpp"

namespace {

using namespace dirsync;

constexpr std::string_view indexed[] = {
    "id", "userName", "externalId", "emails.value",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"};

void check_filter(std::string_view text) {
    const scim::filter_limits limits;
    auto parsed = scim::parse_filter(text, limits);
    if (!parsed) {
        if (parsed.error().position > text.size())
            dirsync::fuzz::invariant_failed("error position within the text",
                                            "position " + std::to_string(parsed.error().position) +
                                                " > size " + std::to_string(text.size()) + ": " +
                                                parsed.error().message);
        return;
    }
    const scim::filter& f = *parsed;

    // Round trip. The rendering may be longer than the text (numbers, escapes), so only the depth limit
    // stays.
    const std::string rendered = scim::to_string(f);
    scim::filter_limits unbounded_length = limits;
    unbounded_length.max_length = std::numeric_limits<std::size_t>::max();
    auto reparsed = scim::parse_filter(rendered, unbounded_length);
    if (!reparsed)
        dirsync::fuzz::invariant_failed("to_string(f) parses again",
                                        "input:    " + std::string(text) + "\nrendered: " + rendered +
                                            "\nerror:    " + reparsed.error().message);
    if (!(*reparsed == f))
        dirsync::fuzz::invariant_failed("parse(to_string(f)) == f",
                                        "input:    " + std::string(text) + "\nrendered: " + rendered +
                                            "\nre-rendered: " + scim::to_string(*reparsed));
    if (const std::string again = scim::to_string(*reparsed); again != rendered)
        dirsync::fuzz::invariant_failed("to_string is stable",
                                        "rendered: " + rendered + "\nthen:     " + again);

    // Evaluation against realistic resources.
    for (const resource::resource_schema* schema :
         {&resource::user_resource_schema(), &dirsync::fuzz::acme_user_schema()}) {
        const bool on_user = scim::matches(f, dirsync::fuzz::sample_user(), *schema);
        if (scim::matches(*reparsed, dirsync::fuzz::sample_user(), *schema) != on_user)
            dirsync::fuzz::invariant_failed("equal filters match alike", "input: " + std::string(text));
        (void)scim::validate_filter(f, *schema, false);
        (void)scim::validate_filter(f, *schema, true);
    }
    (void)scim::matches(f, dirsync::fuzz::sample_group(), resource::group_resource_schema());
    (void)scim::find_index_equality(f, indexed);
    (void)scim::find_index_alternatives(f, indexed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    check_filter(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
