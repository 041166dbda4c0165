#include "config/secret_reference.hpp"

#include <cstdlib>
#include <filesystem>

#include "config/local_file.hpp"
#include "config/wipe.hpp"

namespace dirsync::config {

namespace {

bool is_env_name(std::string_view name) {
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

bool is_credential_name(std::string_view name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
           name.find('\0') == std::string_view::npos;
}

}  // namespace

std::string_view to_string(secret_source_kind kind) noexcept {
    switch (kind) {
        case secret_source_kind::file:
            return "file";
        case secret_source_kind::env:
            return "env";
        case secret_source_kind::credential:
            return "credential";
    }
    return "file";
}

std::string secret_reference::describe() const {
    switch (kind) {
        case secret_source_kind::file:
            return "file '" + value + "'";
        case secret_source_kind::env:
            return "environment variable '" + value + "'";
        case secret_source_kind::credential:
            return "credential '" + value + "'";
    }
    return value;
}

boost::system::result<std::string, value_error> read_secret_source(secret_source_kind kind,
                                                                   const std::string& value,
                                                                   std::size_t max_bytes) {
    switch (kind) {
        case secret_source_kind::file:
            if (value.empty()) return value_error("empty file name");
            return read_file(value, max_bytes);
        case secret_source_kind::env: {
            if (!is_env_name(value))
                return value_error("'" + value + "' is not a valid environment variable name");
            const char* content = std::getenv(value.c_str());
            if (content == nullptr) return value_error("environment variable '" + value + "' is not set");
            return {boost::system::in_place_value, std::string(content)};
        }
        case secret_source_kind::credential: {
            if (!is_credential_name(value))
                return value_error("'" + value +
                                   "' is not a valid credential name (no '/', not '.' or '..')");
            const char* directory = std::getenv("CREDENTIALS_DIRECTORY");
            if (directory == nullptr || *directory == '\0')
                return value_error(
                    "credential '" + value +
                    "' needs $CREDENTIALS_DIRECTORY, which is not set (credentials are passed by "
                    "systemd with LoadCredential= or SetCredential=; outside the unit, give "
                    "--credentials-directory DIR)");
            return read_file(std::filesystem::path(directory) / value, max_bytes);
        }
    }
    return value_error("unknown secret source");
}

boost::system::result<std::string, value_error> resolve_secret(const secret_reference& reference) {
    auto content = read_secret_source(reference.kind, reference.value, max_secret_file_bytes);
    if (!content) return content.error();
    std::string& secret = *content;
    std::size_t end = secret.size();
    while (end > 0 && (secret[end - 1] == '\n' || secret[end - 1] == '\r')) --end;
    if (end == 0) {
        wipe(secret);
        return value_error(reference.describe() + " is empty");
    }
    // Overwrite the removed line breaks before shrinking (they are not secret, but keep one habit).
    for (std::size_t i = end; i < secret.size(); ++i) secret[i] = '\0';
    secret.resize(end);
    return content;
}

boost::system::result<void, value_error> check_secret(const secret_reference& reference) {
    auto secret = resolve_secret(reference);
    if (!secret) return secret.error();
    wipe(*secret);
    return {};
}

}  // namespace dirsync::config
