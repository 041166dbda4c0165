#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dirsync::common {

/// Limits applied while a JSON document from outside the process (a request body, a source's answer) is
/// parsed, before anything else looks at it.
struct json_input_limits {
    /// Deepest nesting of objects and arrays; the document itself is level 1. Everything that walks a
    /// document recursively (serialisation included) is safe up to this depth.
    std::size_t max_depth = 32;
};

/// Why a JSON document was refused.
enum class json_input_problem {
    syntax,               ///< not JSON (RFC 8259), or not UTF-8
    too_deep,             ///< nested deeper than json_input_limits::max_depth
    number_out_of_range,  ///< a number outside the range of a double, such as 1e999
    duplicate_key,        ///< two names of one object equal when compared ASCII case-insensitively
};

/// A refused document. `message` is safe to send to a client: it quotes no more than a short, cut name from
/// the input. `attribute` is the dotted path of object names to the offending value ("name.givenName"; array
/// levels add nothing), empty at the top level, cut to a bounded length.
struct json_input_error {
    json_input_problem problem = json_input_problem::syntax;
    std::string message;
    std::string attribute;
    std::size_t byte = 0;  ///< offset of the problem in the input, where known (syntax errors)
};

/// Parses `text` as one JSON value under `limits`. Never throws for bad input and never recurses per level
/// of the input.
boost::system::result<nlohmann::json, json_input_error> parse_json_input(std::string_view text,
                                                                         const json_input_limits& limits);

}  // namespace dirsync::common
