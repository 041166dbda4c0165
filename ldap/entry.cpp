#include "ldap/entry.hpp"

#include "common/ascii.hpp"

namespace dirsync::ldap {

const std::vector<std::string>* entry::find(std::string_view name) const {
    auto it = attributes.find(lowercase_attribute(name));
    return it == attributes.end() ? nullptr : &it->second;
}

std::string_view entry::first(std::string_view name) const {
    const auto* values = find(name);
    return values && !values->empty() ? std::string_view(values->front()) : std::string_view();
}

}  // namespace dirsync::ldap
