#include "ldap/source_query.hpp"

#include <nlohmann/json.hpp>

#include "common/base64.hpp"
#include "ldap/filter_escape.hpp"
#include "ldap/generalized_time.hpp"
#include "ldap/guid.hpp"

namespace dirsync::ldap {
namespace {

enum class anchor_form { guid_bytes, uuid_text, unique_id_text, verbatim };

anchor_form form_of(std::string_view anchor_attribute) {
    const std::string a = lowercase_attribute(anchor_attribute);
    if (a == "objectguid" || a == "ms-ds-consistencyguid") return anchor_form::guid_bytes;
    if (a == "entryuuid" || a == "ipauniqueid") return anchor_form::uuid_text;
    if (a == "nsuniqueid") return anchor_form::unique_id_text;
    return anchor_form::verbatim;
}

/// 389-DS's nsUniqueId: four groups of eight hex digits, "66446001-1dd211b2-8c0bd7f9-d4de0000".
bool is_unique_id(std::string_view text) {
    if (text.size() != 35) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i % 9 == 8) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

bool printable_ascii(std::string_view s) {
    for (char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

void put_cookie(nlohmann::json& j, const char* name, const std::optional<std::string>& cookie) {
    if (!cookie) return;
    if (printable_ascii(*cookie))
        j[name] = *cookie;
    else
        j[std::string(name) + "_base64"] = common::encode_base64(*cookie);
}

/// Reads `name` or `name`_base64; false when present but malformed.
bool get_cookie(const nlohmann::json& j, const std::string& name, std::optional<std::string>& out) {
    if (auto it = j.find(name); it != j.end()) {
        if (!it->is_string()) return false;
        out = it->get<std::string>();
    }
    if (auto it = j.find(name + "_base64"); it != j.end()) {
        if (!it->is_string() || out) return false;
        auto decoded = common::decode_base64(it->get<std::string>());
        if (!decoded) return false;
        out = std::move(*decoded);
    }
    return true;
}

}  // namespace

std::string_view to_string(directory_flavour flavour) noexcept {
    switch (flavour) {
        case directory_flavour::openldap:
            return "openldap";
        case directory_flavour::active_directory:
            return "active_directory";
        case directory_flavour::ds389:
            return "389ds";
        case directory_flavour::freeipa:
            return "freeipa";
        case directory_flavour::generic:
            return "generic";
    }
    return "generic";
}

std::optional<directory_flavour> parse_flavour(std::string_view name) {
    const std::string n = lowercase_attribute(name);
    if (n == "openldap") return directory_flavour::openldap;
    if (n == "active_directory" || n == "ad") return directory_flavour::active_directory;
    if (n == "389ds" || n == "389-ds") return directory_flavour::ds389;
    if (n == "freeipa") return directory_flavour::freeipa;
    if (n == "generic") return directory_flavour::generic;
    return std::nullopt;
}

std::string_view default_anchor_attribute(directory_flavour flavour) noexcept {
    switch (flavour) {
        case directory_flavour::active_directory:
            return "objectGUID";
        case directory_flavour::ds389:
            return "nsUniqueId";
        case directory_flavour::freeipa:
            return "ipaUniqueID";
        case directory_flavour::openldap:
        case directory_flavour::generic:
            return "entryUUID";
    }
    return "entryUUID";
}

std::string_view to_string(incremental_method method) noexcept {
    switch (method) {
        case incremental_method::syncrepl:
            return "syncrepl";
        case incremental_method::usn:
            return "usn";
        case incremental_method::timestamp:
            return "timestamp";
    }
    return "timestamp";
}

std::optional<incremental_method> parse_incremental_method(std::string_view name) {
    const std::string n = lowercase_attribute(name);
    if (n == "syncrepl") return incremental_method::syncrepl;
    if (n == "usn") return incremental_method::usn;
    if (n == "timestamp") return incremental_method::timestamp;
    return std::nullopt;
}

incremental_method default_incremental_method(directory_flavour flavour) noexcept {
    switch (flavour) {
        case directory_flavour::openldap:
            return incremental_method::syncrepl;
        case directory_flavour::active_directory:
            return incremental_method::usn;
        case directory_flavour::ds389:
        case directory_flavour::freeipa:
        case directory_flavour::generic:
            return incremental_method::timestamp;
    }
    return incremental_method::timestamp;
}

std::optional<std::string> extract_anchor(const entry& e, std::string_view anchor_attribute) {
    const auto* values = e.find(anchor_attribute);
    if (!values || values->size() != 1) return std::nullopt;
    const std::string& value = values->front();
    switch (form_of(anchor_attribute)) {
        case anchor_form::guid_bytes:
            return format_guid(value);
        case anchor_form::uuid_text:
            return format_uuid(value);
        case anchor_form::unique_id_text:
            if (!is_unique_id(value)) return std::nullopt;
            return lowercase_attribute(value);
        case anchor_form::verbatim:
            if (value.empty()) return std::nullopt;
            return value;
    }
    return std::nullopt;
}

std::optional<std::string> anchor_filter(std::string_view anchor_attribute, std::string_view anchor) {
    std::string value;
    switch (form_of(anchor_attribute)) {
        case anchor_form::guid_bytes: {
            auto bytes = parse_guid(anchor);
            if (!bytes) return std::nullopt;
            value = escape_filter_bytes(*bytes);
            break;
        }
        case anchor_form::uuid_text: {
            auto uuid = format_uuid(anchor);
            if (!uuid) return std::nullopt;
            value = *uuid;
            break;
        }
        case anchor_form::unique_id_text:
            if (!is_unique_id(anchor)) return std::nullopt;
            value = std::string(anchor);
            break;
        case anchor_form::verbatim:
            if (anchor.empty()) return std::nullopt;
            value = escape_filter_value(anchor);
            break;
    }
    return "(" + std::string(anchor_attribute) + "=" + value + ")";
}

std::string parenthesized_filter(std::string_view filter) {
    std::size_t start = 0;
    std::size_t end = filter.size();
    while (start < end && filter[start] == ' ') ++start;
    while (end > start && filter[end - 1] == ' ') --end;
    filter = filter.substr(start, end - start);
    if (filter.empty()) return "(objectClass=*)";
    if (filter.front() == '(') return std::string(filter);
    return "(" + std::string(filter) + ")";
}

std::string and_filters(const std::vector<std::string>& filters) {
    if (filters.size() == 1) return parenthesized_filter(filters.front());
    std::string out = "(&";
    for (const auto& f : filters) out += parenthesized_filter(f);
    out += ")";
    return out;
}

std::string source_query::effective_anchor_attribute() const {
    return anchor_attribute.empty() ? std::string(default_anchor_attribute(flavour)) : anchor_attribute;
}

void to_json(nlohmann::json& j, const incremental_state& state) {
    j = nlohmann::json::object();
    j["method"] = std::string(to_string(state.method));
    put_cookie(j, "users_cookie", state.users_cookie);
    put_cookie(j, "groups_cookie", state.groups_cookie);
    if (!state.domain_controllers.empty()) {
        auto& dcs = j["domain_controllers"] = nlohmann::json::object();
        for (const auto& [host, mark] : state.domain_controllers)
            dcs[host] = nlohmann::json{{"invocation_id", mark.invocation_id}, {"usn", mark.usn}};
    }
    if (state.since) j["since"] = *state.since;
}

std::optional<incremental_state> parse_incremental_state(const nlohmann::json& j) {
    if (!j.is_object()) return std::nullopt;
    incremental_state out;
    auto method = j.find("method");
    if (method == j.end() || !method->is_string()) return std::nullopt;
    auto parsed = parse_incremental_method(method->get<std::string>());
    if (!parsed) return std::nullopt;
    out.method = *parsed;
    if (!get_cookie(j, "users_cookie", out.users_cookie)) return std::nullopt;
    if (!get_cookie(j, "groups_cookie", out.groups_cookie)) return std::nullopt;
    if (auto dcs = j.find("domain_controllers"); dcs != j.end()) {
        if (!dcs->is_object()) return std::nullopt;
        for (const auto& [host, mark] : dcs->items()) {
            if (!mark.is_object()) return std::nullopt;
            auto usn = mark.find("usn");
            auto invocation = mark.find("invocation_id");
            if (usn == mark.end() || !usn->is_number_unsigned()) return std::nullopt;
            dc_high_water w;
            w.usn = usn->get<std::uint64_t>();
            if (invocation != mark.end()) {
                if (!invocation->is_string()) return std::nullopt;
                w.invocation_id = invocation->get<std::string>();
            }
            out.domain_controllers[lowercase_attribute(host)] = std::move(w);
        }
    }
    if (auto since = j.find("since"); since != j.end()) {
        if (!since->is_string() || !parse_generalized_time(since->get<std::string>())) return std::nullopt;
        out.since = since->get<std::string>();
    }
    return out;
}

}  // namespace dirsync::ldap
