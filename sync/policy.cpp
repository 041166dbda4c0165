#include "sync/policy.hpp"

namespace dirsync::sync {

std::string_view to_string(match_key k) noexcept {
    switch (k) {
        case match_key::external_id:
            return "externalId";
        case match_key::user_name:
            return "userName";
        case match_key::email:
            return "emails";
    }
    return "externalId";
}

bool is_adoptable_source(std::string_view record_source) noexcept {
    return record_source == "scim" || record_source == "admin";
}

}  // namespace dirsync::sync
