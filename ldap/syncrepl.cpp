#include "ldap/syncrepl.hpp"

#include <lber.h>
#include <ldap.h>

#include <memory>
#include <stdexcept>

namespace dirsync::ldap {
namespace {

using boost::system::result;

constexpr ber_tag_t tag_boolean = 0x01U;
constexpr ber_tag_t tag_octets = 0x04U;
constexpr ber_tag_t tag_enumerated = 0x0aU;
constexpr ber_tag_t tag_sequence = 0x30U;
constexpr ber_tag_t tag_set = 0x31U;
constexpr std::size_t uuid_size = 16;

struct ber_free_all {
    void operator()(BerElement* b) const noexcept { ber_free(b, 1); }
};
struct ber_free_struct {
    void operator()(BerElement* b) const noexcept { ber_free(b, 0); }
};

/// Builds one BER value with ber_printf; `bytes()` flattens it.
class ber_writer {
  public:
    ber_writer() : ber_(ber_alloc_t(LBER_USE_DER)) {
        if (!ber_) throw std::bad_alloc();
    }
    template <class... Args>
    void print(const char* format, Args... args) {
        if (ber_printf(ber_.get(), format, args...) == -1)
            throw std::runtime_error(std::string("liblber could not encode '") + format + "'");
    }
    std::string bytes() {
        berval flat{0, nullptr};
        if (ber_flatten2(ber_.get(), &flat, 0) != 0) throw std::runtime_error("liblber could not flatten");
        return std::string(flat.bv_val ? flat.bv_val : "", flat.bv_len);
    }

  private:
    std::unique_ptr<BerElement, ber_free_all> ber_;
};

berval as_berval(const std::string& s) {
    return berval{static_cast<ber_len_t>(s.size()), const_cast<char*>(s.data())};
}

/// Strict reading of one BER value with liblber: every element is checked for its tag and its length, and
/// a constructed element must be consumed exactly (no trailing bytes, nothing missing).
class ber_reader {
  public:
    ber_reader(std::string_view bytes, std::string_view what)
        : data_{static_cast<ber_len_t>(bytes.size()), const_cast<char*>(bytes.data())},
          ber_(ber_alloc_t(LBER_USE_DER)),
          what_(what) {
        if (!ber_) throw std::bad_alloc();
        ber_init2(ber_.get(), &data_, LBER_USE_DER);
    }

    /// Bytes not read yet.
    ber_len_t remaining() const {
        ber_len_t n = 0;
        ber_get_option(ber_.get(), LBER_OPT_REMAINING_BYTES, &n);
        return n;
    }

    /// The tag of the next element, or LBER_DEFAULT when the bytes before `end` (a value of remaining()) are
    /// exhausted.
    ber_tag_t peek(ber_len_t end) const {
        if (remaining() <= end) return LBER_DEFAULT;
        ber_len_t len = 0;
        return ber_peek_tag(ber_.get(), &len);
    }

    /// Enters a constructed element with `tag`; returns the value of remaining() at its end.
    result<ber_len_t, error> enter(ber_tag_t tag, std::string_view name) {
        ber_len_t len = 0;
        const ber_len_t before = remaining();
        const ber_tag_t got = ber_skip_tag(ber_.get(), &len);
        if (got == LBER_DEFAULT) return fail("truncated " + std::string(name));
        if (got != tag) return unexpected(got, name);
        const ber_len_t after = remaining();
        if (len > after || after > before)
            return fail("the length of " + std::string(name) + " exceeds the value");
        return after - len;
    }

    result<std::string, error> octets(std::string_view name) {
        if (auto tag = next_tag(name); !tag || *tag != tag_octets)
            return tag ? unexpected(*tag, name) : result<std::string, error>(tag.error());
        berval bv{0, nullptr};
        if (ber_get_stringbv(ber_.get(), &bv, LBER_BV_NOTERM) == LBER_DEFAULT)
            return fail("cannot read " + std::string(name));
        return std::string(bv.bv_val ? bv.bv_val : "", bv.bv_len);
    }

    /// An OCTET STRING under an implicit context tag (newcookie [0]).
    result<std::string, error> tagged_octets(ber_tag_t tag, std::string_view name) {
        if (auto got = next_tag(name); !got || *got != tag)
            return got ? unexpected(*got, name) : result<std::string, error>(got.error());
        berval bv{0, nullptr};
        if (ber_get_stringbv(ber_.get(), &bv, LBER_BV_NOTERM) == LBER_DEFAULT)
            return fail("cannot read " + std::string(name));
        return std::string(bv.bv_val ? bv.bv_val : "", bv.bv_len);
    }

    result<bool, error> boolean(std::string_view name) {
        ber_len_t len = 0;
        const ber_tag_t tag = ber_peek_tag(ber_.get(), &len);
        if (tag == LBER_DEFAULT) return fail("truncated " + std::string(name));
        if (tag != tag_boolean) return unexpected(tag, name);
        if (len != 1) return fail(std::string(name) + " is not a one-byte BOOLEAN");
        ber_int_t value = 0;
        if (ber_get_boolean(ber_.get(), &value) == LBER_DEFAULT)
            return fail("cannot read " + std::string(name));
        return value != 0;
    }

    result<ber_int_t, error> enumerated(std::string_view name) {
        ber_len_t len = 0;
        const ber_tag_t tag = ber_peek_tag(ber_.get(), &len);
        if (tag == LBER_DEFAULT) return fail("truncated " + std::string(name));
        if (tag != tag_enumerated) return unexpected(tag, name);
        if (len == 0 || len > 4) return fail(std::string(name) + " has a bad length");
        ber_int_t value = 0;
        if (ber_get_enum(ber_.get(), &value) == LBER_DEFAULT) return fail("cannot read " + std::string(name));
        return value;
    }

    /// Error unless remaining() == end: the constructed element ending there was consumed exactly.
    result<void, error> finish(ber_len_t end, std::string_view name) const {
        if (remaining() != end) return fail("unexpected data at the end of " + std::string(name));
        return {};
    }

    error fail(std::string message) const {
        return error(error_kind::protocol, LDAP_DECODING_ERROR, "malformed " + what_ + ": " + message);
    }

  private:
    result<ber_tag_t, error> next_tag(std::string_view name) const {
        ber_len_t len = 0;
        const ber_tag_t tag = ber_peek_tag(ber_.get(), &len);
        if (tag == LBER_DEFAULT) return fail("truncated " + std::string(name));
        return tag;
    }
    error unexpected(ber_tag_t tag, std::string_view name) const {
        return fail("expected " + std::string(name) + ", found tag 0x" + hex(tag));
    }
    static std::string hex(ber_tag_t tag) {
        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        for (int shift = 28; shift >= 0; shift -= 4) {
            const auto d = (tag >> shift) & 0xfU;
            if (d != 0 || !out.empty() || shift < 8) out += digits[d];
        }
        return out;
    }

    berval data_;
    std::unique_ptr<BerElement, ber_free_struct> ber_;
    std::string what_;
};

result<std::string, error> read_uuid(ber_reader& r, std::string_view name) {
    auto uuid = r.octets(name);
    if (!uuid) return uuid.error();
    if (uuid->size() != uuid_size)
        return r.fail(std::string(name) + " is " + std::to_string(uuid->size()) + " bytes long, not 16");
    return uuid;
}

/// Reads `cookie syncCookie OPTIONAL` at the current position.
result<std::optional<std::string>, error> read_optional_cookie(ber_reader& r, ber_len_t end) {
    if (r.peek(end) != tag_octets) return std::optional<std::string>();
    auto cookie = r.octets("cookie");
    if (!cookie) return cookie.error();
    return std::optional<std::string>(std::move(*cookie));
}

/// Reads an optional BOOLEAN at the current position; `fallback` when absent.
result<bool, error> read_optional_boolean(ber_reader& r, ber_len_t end, std::string_view name,
                                          bool fallback) {
    if (r.peek(end) != tag_boolean) return fallback;
    return r.boolean(name);
}

}  // namespace

std::string_view to_string(sync_state_kind state) noexcept {
    switch (state) {
        case sync_state_kind::present:
            return "present";
        case sync_state_kind::add:
            return "add";
        case sync_state_kind::modify:
            return "modify";
        case sync_state_kind::deleted:
            return "delete";
    }
    return "unknown";
}

std::string encode_sync_request(const sync_request_value& value) {
    ber_writer w;
    w.print("{e", static_cast<ber_int_t>(value.mode));
    if (value.cookie) {
        berval cookie = as_berval(*value.cookie);
        w.print("O", &cookie);
    }
    if (value.reload_hint) w.print("b", static_cast<ber_int_t>(1));
    w.print("}");
    return w.bytes();
}

result<sync_request_value, error> decode_sync_request(std::string_view ber) {
    ber_reader r(ber, "Sync Request Control value");
    auto end = r.enter(tag_sequence, "syncRequestValue SEQUENCE");
    if (!end) return end.error();
    sync_request_value out;
    auto mode = r.enumerated("mode");
    if (!mode) return mode.error();
    if (*mode != 1 && *mode != 3) return r.fail("unknown mode " + std::to_string(*mode));
    out.mode = static_cast<sync_mode>(*mode);
    auto cookie = read_optional_cookie(r, *end);
    if (!cookie) return cookie.error();
    out.cookie = std::move(*cookie);
    auto hint = read_optional_boolean(r, *end, "reloadHint", false);
    if (!hint) return hint.error();
    out.reload_hint = *hint;
    if (auto done = r.finish(*end, "syncRequestValue"); !done) return done.error();
    if (auto all = r.finish(0, "the value"); !all) return all.error();
    return out;
}

std::string encode_sync_state(const sync_state_value& value) {
    ber_writer w;
    berval uuid = as_berval(value.entry_uuid);
    w.print("{eO", static_cast<ber_int_t>(value.state), &uuid);
    if (value.cookie) {
        berval cookie = as_berval(*value.cookie);
        w.print("O", &cookie);
    }
    w.print("}");
    return w.bytes();
}

result<sync_state_value, error> decode_sync_state(std::string_view ber) {
    ber_reader r(ber, "Sync State Control value");
    auto end = r.enter(tag_sequence, "syncStateValue SEQUENCE");
    if (!end) return end.error();
    sync_state_value out;
    auto state = r.enumerated("state");
    if (!state) return state.error();
    if (*state < 0 || *state > 3) return r.fail("unknown state " + std::to_string(*state));
    out.state = static_cast<sync_state_kind>(*state);
    auto uuid = read_uuid(r, "entryUUID");
    if (!uuid) return uuid.error();
    out.entry_uuid = std::move(*uuid);
    auto cookie = read_optional_cookie(r, *end);
    if (!cookie) return cookie.error();
    out.cookie = std::move(*cookie);
    if (auto done = r.finish(*end, "syncStateValue"); !done) return done.error();
    if (auto all = r.finish(0, "the value"); !all) return all.error();
    return out;
}

std::string encode_sync_done(const sync_done_value& value) {
    ber_writer w;
    w.print("{");
    if (value.cookie) {
        berval cookie = as_berval(*value.cookie);
        w.print("O", &cookie);
    }
    if (value.refresh_deletes) w.print("b", static_cast<ber_int_t>(1));
    w.print("}");
    return w.bytes();
}

result<sync_done_value, error> decode_sync_done(std::string_view ber) {
    ber_reader r(ber, "Sync Done Control value");
    auto end = r.enter(tag_sequence, "syncDoneValue SEQUENCE");
    if (!end) return end.error();
    sync_done_value out;
    auto cookie = read_optional_cookie(r, *end);
    if (!cookie) return cookie.error();
    out.cookie = std::move(*cookie);
    auto deletes = read_optional_boolean(r, *end, "refreshDeletes", false);
    if (!deletes) return deletes.error();
    out.refresh_deletes = *deletes;
    if (auto done = r.finish(*end, "syncDoneValue"); !done) return done.error();
    if (auto all = r.finish(0, "the value"); !all) return all.error();
    return out;
}

std::string encode_sync_info(const sync_info_value& value) {
    ber_writer w;
    switch (value.kind) {
        case sync_info_kind::new_cookie: {
            berval cookie = as_berval(value.cookie.value_or(std::string()));
            w.print("tO", LDAP_TAG_SYNC_NEW_COOKIE, &cookie);
            break;
        }
        case sync_info_kind::refresh_delete:
        case sync_info_kind::refresh_present: {
            w.print("t{", value.kind == sync_info_kind::refresh_delete ? LDAP_TAG_SYNC_REFRESH_DELETE
                                                                       : LDAP_TAG_SYNC_REFRESH_PRESENT);
            if (value.cookie) {
                berval cookie = as_berval(*value.cookie);
                w.print("O", &cookie);
            }
            if (!value.refresh_done) w.print("b", static_cast<ber_int_t>(0));
            w.print("}");
            break;
        }
        case sync_info_kind::sync_id_set: {
            w.print("t{", LDAP_TAG_SYNC_ID_SET);
            if (value.cookie) {
                berval cookie = as_berval(*value.cookie);
                w.print("O", &cookie);
            }
            if (value.refresh_deletes) w.print("b", static_cast<ber_int_t>(1));
            w.print("[");
            for (const auto& uuid : value.uuids) {
                berval u = as_berval(uuid);
                w.print("O", &u);
            }
            w.print("]}");
            break;
        }
    }
    return w.bytes();
}

result<sync_info_value, error> decode_sync_info(std::string_view ber) {
    ber_reader r(ber, "Sync Info Message value");
    sync_info_value out;
    const ber_tag_t tag = r.peek(0);
    switch (tag) {
        case LDAP_TAG_SYNC_NEW_COOKIE: {
            out.kind = sync_info_kind::new_cookie;
            auto cookie = r.tagged_octets(LDAP_TAG_SYNC_NEW_COOKIE, "newcookie");
            if (!cookie) return cookie.error();
            out.cookie = std::move(*cookie);
            break;
        }
        case LDAP_TAG_SYNC_REFRESH_DELETE:
        case LDAP_TAG_SYNC_REFRESH_PRESENT: {
            const bool is_delete = tag == LDAP_TAG_SYNC_REFRESH_DELETE;
            out.kind = is_delete ? sync_info_kind::refresh_delete : sync_info_kind::refresh_present;
            const std::string_view name = is_delete ? "refreshDelete" : "refreshPresent";
            auto end = r.enter(tag, name);
            if (!end) return end.error();
            auto cookie = read_optional_cookie(r, *end);
            if (!cookie) return cookie.error();
            out.cookie = std::move(*cookie);
            auto done = read_optional_boolean(r, *end, "refreshDone", true);
            if (!done) return done.error();
            out.refresh_done = *done;
            if (auto finished = r.finish(*end, name); !finished) return finished.error();
            break;
        }
        case LDAP_TAG_SYNC_ID_SET: {
            out.kind = sync_info_kind::sync_id_set;
            auto end = r.enter(tag, "syncIdSet");
            if (!end) return end.error();
            auto cookie = read_optional_cookie(r, *end);
            if (!cookie) return cookie.error();
            out.cookie = std::move(*cookie);
            auto deletes = read_optional_boolean(r, *end, "refreshDeletes", false);
            if (!deletes) return deletes.error();
            out.refresh_deletes = *deletes;
            auto set_end = r.enter(tag_set, "syncUUIDs SET");
            if (!set_end) return set_end.error();
            if (*set_end < *end) return r.fail("syncUUIDs extend beyond syncIdSet");
            while (r.remaining() > *set_end) {
                auto uuid = read_uuid(r, "syncUUID");
                if (!uuid) return uuid.error();
                out.uuids.push_back(std::move(*uuid));
            }
            if (auto finished = r.finish(*set_end, "syncUUIDs"); !finished) return finished.error();
            if (auto finished = r.finish(*end, "syncIdSet"); !finished) return finished.error();
            break;
        }
        case LBER_DEFAULT:
            return r.fail("empty value");
        default:
            return r.fail("unknown syncInfoValue alternative");
    }
    if (auto all = r.finish(0, "the value"); !all) return all.error();
    return out;
}

std::optional<std::string> format_sync_uuid(std::string_view bytes) {
    if (bytes.size() != uuid_size) return std::nullopt;
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < uuid_size; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        const auto b = static_cast<unsigned char>(bytes[i]);
        out += digits[b >> 4];
        out += digits[b & 0xfU];
    }
    return out;
}

}  // namespace dirsync::ldap
