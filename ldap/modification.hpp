#pragma once

#include <string>
#include <vector>

namespace dirsync::ldap {

/// One change of a Modify request (RFC 4511 §4.6).
struct modification {
    enum class operation {
        add,      ///< add `values` to the attribute (creating it)
        remove,   ///< remove `values` from it; no values: remove the attribute
        replace,  ///< replace all its values by `values`; no values: remove the attribute
    };
    operation op = operation::replace;
    std::string attribute;            ///< attribute description, e.g. "mail"
    std::vector<std::string> values;  ///< raw bytes

    friend bool operator==(const modification&, const modification&) = default;
};

}  // namespace dirsync::ldap
