#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "scim/error.hpp"
#include "scim/patch.hpp"

namespace dirsync::scim {

/// The PatchOp message URN (RFC 7644 §3.5.2).
inline constexpr std::string_view patch_op_urn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

enum class patch_op { add, replace, remove };

/// "add", "replace" or "remove".
std::string_view to_string(patch_op op) noexcept;

/// One operation of a PATCH request, its shape checked. Pointers refer into the request.
struct patch_operation {
    patch_op op = patch_op::add;
    const nlohmann::json* path = nullptr;   ///< a string, or nullptr when absent or null
    const nlohmann::json* value = nullptr;  ///< nullptr when absent (only allowed for remove)
};

/// Checks the request envelope (an object listing the PatchOp URN, `Operations` a non-empty array within
/// `limits`) and returns the `Operations` array. Member names and `op` values are case-insensitive.
boost::system::result<const nlohmann::json*, error> read_patch_operations(const nlohmann::json& patch_request,
                                                                          const patch_limits& limits);

/// Checks one operation's shape: an object with `op` add/replace/remove (any case), `path` a string when
/// given, and `value` present unless removing. 400 invalidSyntax / invalidValue otherwise.
boost::system::result<patch_operation, error> read_patch_operation(const nlohmann::json& operation);

/// `e` with its detail prefixed by "Operations[i]: ", so the client knows which operation failed.
error in_operation(std::size_t index, error e);

}  // namespace dirsync::scim
