#include "sync/source_data.hpp"

#include <stdexcept>
#include <utility>

namespace dirsync::sync {

namespace {

/// Writes into `out` (replacing it) the stored text of `resource` with `active` set: what the directory
/// writes for a record whose status is disabled exactly when `active` is false (nlohmann's dump, compact).
void write_text_with_active(nlohmann::json& resource, bool active, std::string& out) {
    resource["active"] = active;
    out.clear();
    nlohmann::detail::serializer<nlohmann::json> dump(
        nlohmann::detail::output_adapter<char, std::string>(out), ' ');
    dump.dump(resource, false, false, 0);
}

std::string text_with_active(nlohmann::json resource, bool active) {
    std::string out;
    write_text_with_active(resource, active, out);
    return out;
}

bool has_digest(std::string_view text, const common::sha256_digest& digest) {
    return common::sha256(text) == digest;
}

}  // namespace

nlohmann::json parse_stored_resource(const std::string& text) {
    auto tree = nlohmann::json::parse(text);
    tree.erase("active");
    return tree;
}

void source_user::compact(const common::sha256_digest* stored_digest) {
    if (!text.empty() || stored_as_is) return;
    // Dumped into a buffer that stays with the thread (a dump grows its string by doubling), then copied
    // at its size, or not at all.
    thread_local std::string scratch;
    write_text_with_active(resource, !disabled, scratch);
    resource = nullptr;
    if (stored_digest && has_digest(scratch, *stored_digest)) {
        stored_as_is = true;
        return;
    }
    text.assign(scratch);
    // A run's first user may be its largest: a scratch buffer kept at that size is one per thread.
    if (scratch.capacity() > 1 << 16) std::string().swap(scratch);
}

namespace {

void require_text(const source_user& u) {
    if (u.stored_as_is)
        throw std::logic_error("the text of " + u.anchor + " was dropped: the directory stores it as it is");
}

}  // namespace

std::string source_user::stored_text() const {
    require_text(*this);
    return text.empty() ? text_with_active(resource, !disabled) : text;
}

bool source_user::stored_text_is(std::string_view stored) const {
    if (text.empty()) return stored_text() == stored;
    return text == stored;
}

bool source_user::stored_text_digest_is(const common::sha256_digest& digest) const {
    if (text.empty()) return has_digest(stored_text(), digest);
    return has_digest(text, digest);  // not through a conditional expression, which would copy `text`
}

nlohmann::json source_user::take_resource() {
    require_text(*this);
    if (text.empty()) return std::exchange(resource, nlohmann::json::object());
    auto tree = parse_stored_resource(text);
    text.clear();
    resource = nlohmann::json::object();
    return tree;
}

nlohmann::json source_user::resource_tree() const {
    require_text(*this);
    return text.empty() ? resource : parse_stored_resource(text);
}

}  // namespace dirsync::sync
