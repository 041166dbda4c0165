#include "sync/record_condition.hpp"

#include <optional>

#include "scim/filter.hpp"
#include "sync/ldap_filter_match.hpp"

namespace dirsync::sync {

namespace detail {

struct record_condition_state {
    std::string text;
    std::optional<entry_filter> ldap;
    std::optional<scim::filter> scim;
    const resource::resource_schema* schema = nullptr;
    std::vector<std::string> no_attributes;
};

}  // namespace detail

boost::system::result<record_condition, record_condition::error> record_condition::compile(
    std::string_view text, config::record_language language, const resource::resource_schema& schema) {
    auto s = std::make_shared<detail::record_condition_state>();
    s->text = std::string(text);
    s->schema = &schema;
    switch (language) {
        case config::record_language::ldap: {
            auto compiled = entry_filter::compile(text);
            if (!compiled) return error{compiled.error().position, compiled.error().message};
            s->ldap = std::move(*compiled);
            break;
        }
        case config::record_language::scim: {
            auto parsed = scim::parse_filter(text);
            if (!parsed) return error{parsed.error().position, parsed.error().message};
            s->scim = std::move(*parsed);
            break;
        }
    }
    return record_condition(std::move(s));
}

bool record_condition::matches(const source_record& r) const {
    const auto& s = *state_;
    if (s.ldap) return s.ldap->matches(r);
    const nlohmann::json* resource = r.resource();
    return resource != nullptr && scim::matches(*s.scim, *resource, *s.schema);
}

const std::vector<std::string>& record_condition::attributes() const noexcept {
    return state_->ldap ? state_->ldap->attributes() : state_->no_attributes;
}

const std::string& record_condition::text() const noexcept { return state_->text; }

}  // namespace dirsync::sync
