#include "ldap/detail/message.hpp"

namespace dirsync::ldap::detail {

int result_code(LDAP* ld) noexcept {
    int code = LDAP_OTHER;
    if (ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code) != LDAP_OPT_SUCCESS) return LDAP_OTHER;
    return code;
}

std::string diagnostic_message(LDAP* ld) {
    char* raw = nullptr;
    if (ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &raw) != LDAP_OPT_SUCCESS) return {};
    ldap_string text(raw);
    return text ? std::string(text.get()) : std::string();
}

std::string describe(int code, std::string_view diagnostic) {
    std::string out = code_string(code) + " (" + std::to_string(code) + ")";
    if (!diagnostic.empty()) {
        out += ": ";
        out += diagnostic;
    }
    return out;
}

boost::system::result<entry, error> parse_entry(LDAP* ld, LDAPMessage* message) {
    const auto decoding_error = [](std::string what) {
        return error(error_kind::protocol, LDAP_DECODING_ERROR,
                     "cannot decode a search result entry: " + what);
    };
    // The controls first: reading attribute values in place NUL-terminates each one inside the message's
    // buffer, which overwrites the tag of the controls that follow the last value.
    LDAPControl** raw_controls = nullptr;
    int rc = ldap_get_entry_controls(ld, message, &raw_controls);
    controls_ptr controls(raw_controls);
    if (rc != LDAP_SUCCESS) return decoding_error("its controls: " + describe(rc, {}));
    BerElement* raw_ber = nullptr;
    berval dn{};
    rc = ldap_get_dn_ber(ld, message, &raw_ber, &dn);
    ber_ptr ber(raw_ber);
    if (rc != LDAP_SUCCESS || !ber) return decoding_error(describe(rc, {}));

    entry out;
    out.dn.assign(dn.bv_val ? dn.bv_val : "", dn.bv_len);
    for (;;) {
        berval name{};
        berval* raw_values = nullptr;
        rc = ldap_get_attribute_ber(ld, message, ber.get(), &name, &raw_values);
        berval_array values(raw_values);
        if (rc != LDAP_SUCCESS) return decoding_error("entry '" + out.dn + "': " + describe(rc, {}));
        if (name.bv_val == nullptr) break;
        auto& target = out.attributes[lowercase_attribute(std::string_view(name.bv_val, name.bv_len))];
        for (berval* v = values.get(); v && v->bv_val; ++v) target.emplace_back(v->bv_val, v->bv_len);
    }
    out.controls = to_controls(controls.get());
    return out;
}

std::vector<control> to_controls(LDAPControl** controls, std::string_view skip_oid) {
    std::vector<control> out;
    for (LDAPControl** c = controls; c && *c; ++c) {
        const LDAPControl& l = **c;
        const std::string_view oid = l.ldctl_oid ? std::string_view(l.ldctl_oid) : std::string_view();
        if (!skip_oid.empty() && oid == skip_oid) continue;
        control copy;
        copy.oid = std::string(oid);
        if (l.ldctl_value.bv_val) copy.value.emplace(l.ldctl_value.bv_val, l.ldctl_value.bv_len);
        copy.critical = l.ldctl_iscritical != 0;
        out.push_back(std::move(copy));
    }
    return out;
}

boost::system::result<intermediate_response, error> parse_intermediate(LDAP* ld, LDAPMessage* message) {
    char* raw_oid = nullptr;
    berval* raw_data = nullptr;
    LDAPControl** raw_controls = nullptr;
    const int rc = ldap_parse_intermediate(ld, message, &raw_oid, &raw_data, &raw_controls, 0);
    ldap_string oid(raw_oid);
    berval_ptr data(raw_data);
    controls_ptr controls(raw_controls);
    if (rc != LDAP_SUCCESS)
        return error(error_kind::protocol, rc, "cannot decode an intermediate response: " + describe(rc, {}));
    intermediate_response out;
    if (oid) out.oid = oid.get();
    if (data && data->bv_val) out.value.emplace(data->bv_val, data->bv_len);
    out.controls = to_controls(controls.get());
    return out;
}

boost::system::result<operation_result, error> parse_result(LDAP* ld, LDAPMessage* message) {
    int code = LDAP_SUCCESS;
    char* matched = nullptr;
    char* diagnostic = nullptr;
    char** referrals = nullptr;
    LDAPControl** controls = nullptr;
    const int rc = ldap_parse_result(ld, message, &code, &matched, &diagnostic, &referrals, &controls, 0);
    ldap_string matched_owner(matched);
    ldap_string diagnostic_owner(diagnostic);
    string_array referrals_owner(referrals);
    controls_ptr controls_owner(controls);
    if (rc != LDAP_SUCCESS)
        return error(error_kind::protocol, rc, "cannot decode an LDAP result: " + describe(rc, {}));
    operation_result out;
    out.code = code;
    if (diagnostic) out.diagnostic = diagnostic;
    if (matched) out.matched_dn = matched;
    out.controls = std::move(controls_owner);
    return out;
}

}  // namespace dirsync::ldap::detail
