#include "scim/unknown_attributes.hpp"

#include <cstddef>
#include <limits>
#include <set>
#include <string_view>

#include "common/casefold.hpp"
#include "scim/patch_path.hpp"
#include "scim/patch_request.hpp"
#include "scim/patch_target.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

/// Schema URIs a client lists without ever sending data under them, and which no configuration can declare
/// (they are not URNs).
constexpr std::string_view data_less_markers[] = {
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
};

bool starts_with_urn(std::string_view key) {
    return key.size() > 4 && common::equal_folded(key.substr(0, 4), "urn:");
}

bool is_marker(std::string_view uri) {
    for (auto m : data_less_markers)
        if (common::equal_folded(uri, m)) return true;
    return false;
}

class collector {
  public:
    explicit collector(const resource::resource_schema& schemas) : schemas_(schemas) {}

    std::vector<unknown_attribute> run(const json& resource) && {
        if (!resource.is_object()) return {};
        for (auto it = resource.begin(); it != resource.end(); ++it) {
            const std::string& key = it.key();
            if (common::equal_folded(key, "schemas")) {
                listed(it.value());
            } else if (starts_with_urn(key)) {
                const resource::schema* s = schemas_.find_schema(key);
                if (s == nullptr)
                    add(key, true);
                else if (it.value().is_object())
                    members(*s, it.value(), schemas_.is_core(s) ? std::string() : s->id + ":");
            } else {
                attribute(schemas_.core(), key, it.value(), key);
            }
        }
        return std::move(out_);
    }

  private:
    void listed(const json& urns) {
        if (!urns.is_array()) return;
        for (const auto& u : urns)
            if (u.is_string() && !schemas_.find_schema(u.get_ref<const std::string&>()) &&
                !is_marker(u.get_ref<const std::string&>()))
                add(u.get<std::string>(), true);
    }

    void members(const resource::schema& s, const json& object, const std::string& prefix) {
        for (auto it = object.begin(); it != object.end(); ++it)
            attribute(s, it.key(), it.value(), prefix + it.key());
    }

    void attribute(const resource::schema& s, const std::string& name, const json& value,
                   const std::string& path) {
        const resource::attribute* def = s.find_attribute(name);
        if (def == nullptr) {
            add(path, false);
            return;
        }
        if (def->type != resource::attribute_type::complex) return;
        const auto sub_attributes = [&](const json& v) {
            if (!v.is_object()) return;
            for (auto it = v.begin(); it != v.end(); ++it)
                if (def->find_sub_attribute(it.key()) == nullptr) add(path + "." + it.key(), false);
        };
        if (value.is_array()) {
            for (const auto& v : value) sub_attributes(v);
        } else {
            sub_attributes(value);
        }
    }

    void add(std::string path, bool schema) {
        if (!seen_.insert(common::fold_case(path)).second) return;
        out_.push_back(unknown_attribute{std::move(path), schema});
    }

    const resource::resource_schema& schemas_;
    std::vector<unknown_attribute> out_;
    std::set<std::string> seen_;
};

error refusal(const std::string& path, bool schema) {
    if (schema)
        return invalid_value("unknown schema '" + path +
                             "': this tenant accepts only the schemas it serves (strict_schema)");
    return invalid_value("unknown attribute '" + path +
                         "': this tenant accepts only the attributes its schemas declare (strict_schema)");
}

}  // namespace

std::vector<unknown_attribute> unknown_attributes(const json& resource,
                                                  const resource::resource_schema& schemas) {
    return collector(schemas).run(resource);
}

std::optional<error> refuse_unknown_attributes(const json& resource, const json* stored,
                                               const resource::resource_schema& schemas) {
    std::set<std::string> held;
    if (stored != nullptr)
        for (const auto& u : unknown_attributes(*stored, schemas)) held.insert(common::fold_case(u.path));
    for (const auto& u : unknown_attributes(resource, schemas))
        if (!held.contains(common::fold_case(u.path))) return refusal(u.path, u.schema);
    return std::nullopt;
}

std::optional<error> refuse_unknown_paths(const json& patch_request,
                                          const resource::resource_schema& schemas) {
    auto operations =
        read_patch_operations(patch_request, patch_limits{std::numeric_limits<std::size_t>::max()});
    if (!operations) return std::nullopt;
    const json& ops = **operations;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        auto op = read_patch_operation(ops[i]);
        if (!op || op->path == nullptr) continue;
        const std::string& text = op->path->get_ref<const std::string&>();
        auto path = parse_patch_path(text);
        if (!path) continue;
        auto target = resolve_patch_path(std::move(*path), schemas);
        if (!target) continue;
        if (target->owner == nullptr) {
            if (!target->container.empty()) return in_operation(i, refusal(target->to_string(), true));
            return in_operation(i, refusal(target->attribute, false));
        }
        if (target->names_schema()) continue;
        if (target->definition == nullptr) return in_operation(i, refusal(target->to_string(), false));
        if (!target->sub_attribute.empty() && target->sub_definition == nullptr)
            return in_operation(i, refusal(target->to_string(), false));
    }
    return std::nullopt;
}

}  // namespace dirsync::scim
