#include "sync/source_data.hpp"

#include <utility>

namespace dirsync::sync {

namespace {

/// The stored text of `resource` with `active` set: what the directory writes for a record whose status
/// is disabled exactly when `active` is false.
std::string text_with_active(nlohmann::json resource, bool active) {
    resource["active"] = active;
    return resource.dump();
}

}  // namespace

nlohmann::json parse_stored_resource(const std::string& text) {
    auto tree = nlohmann::json::parse(text);
    tree.erase("active");
    return tree;
}

void source_user::compact() {
    if (!text.empty()) return;
    text = text_with_active(std::move(resource), !disabled);
    text.shrink_to_fit();  // the dump grew it by doubling: up to twice what it holds, times every user
    resource = nullptr;
}

std::string source_user::stored_text() const {
    return text.empty() ? text_with_active(resource, !disabled) : text;
}

nlohmann::json source_user::take_resource() {
    if (text.empty()) return std::exchange(resource, nlohmann::json::object());
    auto tree = parse_stored_resource(text);
    text.clear();
    resource = nlohmann::json::object();
    return tree;
}

nlohmann::json source_user::resource_tree() const {
    return text.empty() ? resource : parse_stored_resource(text);
}

}  // namespace dirsync::sync
