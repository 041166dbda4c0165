#include "ctl/connection.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

#include "config/address.hpp"
#include "config/secret_reference.hpp"
#include "config/wipe.hpp"

namespace dirsync::ctl {

namespace {

constexpr const char* default_config = "/etc/dirsyncd/dirsyncd.yaml";

std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

std::optional<std::string> read_token(const config::secret_reference& ref, std::string& error) {
    auto secret = config::resolve_secret(ref);
    if (!secret) {
        error = "cannot read the admin token: " + secret.error().message;
        return std::nullopt;
    }
    std::string token = std::move(*secret);
    auto first = token.find_first_not_of(" \t\r\n");
    auto last = token.find_last_not_of(" \t\r\n");
    std::string trimmed = first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
    config::wipe(token);
    if (trimmed.empty()) {
        error = "the admin token at " + ref.describe() + " is empty";
        return std::nullopt;
    }
    return trimmed;
}

/// Only what dirsyncctl needs from the daemon's configuration: where it listens and where an admin token
/// is kept. The daemon validates the whole file; this reads it leniently so that an operator who cannot read
/// every file the daemon reads can still use dirsyncctl.
struct config_hints {
    std::optional<std::string> url;
    std::optional<config::secret_reference> token;
};

std::optional<config_hints> read_config(const std::string& file, std::string& error) {
    config_hints out;
    YAML::Node root;
    try {
        root = YAML::LoadFile(file);
    } catch (const YAML::BadFile&) {
        error = "cannot read the configuration " + file;
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        error = file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": " + e.msg;
        return std::nullopt;
    }
    try {
        std::string listen = "127.0.0.1:8080";
        bool tls = false;
        if (auto server = root["server"]; server && server.IsMap()) {
            if (auto l = server["listen"]; l && l.IsScalar()) listen = l.as<std::string>();
            tls = server["tls"] && server["tls"].IsMap();
        }
        auto address = config::parse_listen_address(listen);
        if (!address) {
            error = file + ": server.listen: " + address.error().message;
            return std::nullopt;
        }
        std::string host = address->host;
        if (host == "0.0.0.0") host = "127.0.0.1";
        if (host == "::") host = "::1";
        if (host.find(':') != std::string::npos) host = "[" + host + "]";
        out.url = std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(address->port);
        if (auto tokens = root["admin_tokens"]; tokens && tokens.IsSequence()) {
            for (const auto& item : tokens) {
                if (!item.IsMap()) continue;
                if (auto f = item["file"]; f && f.IsScalar()) {
                    out.token =
                        config::secret_reference{config::secret_source_kind::file, f.as<std::string>()};
                } else if (auto c = item["credential"]; c && c.IsScalar()) {
                    out.token =
                        config::secret_reference{config::secret_source_kind::credential, c.as<std::string>()};
                } else if (auto e = item["env"]; e && e.IsScalar()) {
                    out.token =
                        config::secret_reference{config::secret_source_kind::env, e.as<std::string>()};
                }
                if (out.token) break;
            }
        }
    } catch (const YAML::Exception& e) {
        error = file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": " + e.msg;
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::optional<connection> resolve_connection(const connection_flags& flags, std::string& error) {
    connection out;
    // What systemd gives the unit as $CREDENTIALS_DIRECTORY (config::resolve_secret reads it there); the
    // CLI is single-threaded, so setting it here races nothing.
    if (flags.credentials_directory)
        ::setenv("CREDENTIALS_DIRECTORY", flags.credentials_directory->c_str(), 1);
    std::optional<config_hints> hints;
    std::optional<std::string> config_file = flags.config ? flags.config : env("DIRSYNCD_CONFIG");
    if (!config_file && std::filesystem::exists(default_config)) config_file = default_config;
    auto need_config = [&]() -> bool {
        if (hints) return true;
        if (!config_file) return false;
        hints = read_config(*config_file, error);
        return hints.has_value();
    };

    if (flags.url) {
        out.http.base_url = *flags.url;
    } else if (auto u = env("DIRSYNCD_URL")) {
        out.http.base_url = *u;
    } else if (need_config()) {
        out.http.base_url = *hints->url;
    } else {
        if (error.empty())
            error = "cannot find the daemon: give --url, set DIRSYNCD_URL, or give --config (no " +
                    std::string(default_config) + ")";
        return std::nullopt;
    }
    if (!http::parse_base_url(out.http.base_url)) {
        error = "not an http:// or https:// URL: " + out.http.base_url;
        return std::nullopt;
    }

    std::optional<std::string> token;
    if (flags.token_file) {
        token = read_token({config::secret_source_kind::file, *flags.token_file}, error);
    } else if (auto t = env("DIRSYNCD_ADMIN_TOKEN")) {
        token = std::move(*t);
    } else if (auto tf = env("DIRSYNCD_ADMIN_TOKEN_FILE")) {
        token = read_token({config::secret_source_kind::file, *tf}, error);
    } else if (need_config() && hints->token) {
        token = read_token(*hints->token, error);
    } else if (error.empty()) {
        error =
            "no admin token: give --token-file, set DIRSYNCD_ADMIN_TOKEN(_FILE), or list one as file: or "
            "credential: under admin_tokens in the configuration";
    }
    if (!token) return std::nullopt;
    out.token = std::move(*token);
    if (flags.ca_file) out.http.ca_file = *flags.ca_file;
    out.http.verify_peer = !flags.insecure;
    return out;
}

}  // namespace dirsync::ctl
