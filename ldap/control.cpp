#include "ldap/control.hpp"

namespace dirsync::ldap {

const control* find_control(const std::vector<control>& controls, std::string_view oid) noexcept {
    for (const auto& c : controls)
        if (c.oid == oid) return &c;
    return nullptr;
}

}  // namespace dirsync::ldap
