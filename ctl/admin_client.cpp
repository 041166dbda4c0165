#include "ctl/admin_client.hpp"

#include <cctype>
#include <cstdio>
#include <iostream>

namespace dirsync::ctl {

std::optional<std::string> flag_value(const std::vector<std::string>& args, std::size_t& i,
                                      std::string& error) {
    const std::string& a = args[i];
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) return a.substr(eq + 1);
    if (i + 1 >= args.size()) {
        error = a + " needs a value";
        return std::nullopt;
    }
    return args[++i];
}

bool take_connection_flag(const std::vector<std::string>& args, std::size_t& i, connection_flags& flags,
                          std::string& error) {
    const std::string& a = args[i];
    auto is = [&](std::string_view name) { return a == name || a.starts_with(std::string(name) + "="); };
    std::optional<std::string>* slot = nullptr;
    if (a == "--insecure") {
        flags.insecure = true;
        return true;
    }
    if (is("--url"))
        slot = &flags.url;
    else if (is("--token-file"))
        slot = &flags.token_file;
    else if (is("--config") || a == "-c")
        slot = &flags.config;
    else if (is("--ca-file"))
        slot = &flags.ca_file;
    else if (is("--credentials-directory"))
        slot = &flags.credentials_directory;
    if (!slot) return false;
    *slot = flag_value(args, i, error);
    return true;
}

bool take_output_flag(const std::vector<std::string>& args, std::size_t& i, bool& json, std::string& error) {
    const std::string& a = args[i];
    if (a == "--json") {
        json = true;
        return true;
    }
    if (a != "-o" && a != "--output" && !a.starts_with("--output=")) return false;
    auto format = flag_value(args, i, error);
    if (!format) return true;
    if (*format != "json" && *format != "table")
        error = "-o takes json or table, not '" + *format + "'";
    else
        json = *format == "json";
    return true;
}

std::optional<nlohmann::json> call(const connection& conn, std::string_view method, const std::string& target,
                                   const std::string& body, const std::string& acting_user) {
    std::vector<http::header_field> headers{{"Authorization", "Bearer " + conn.token},
                                            {"Accept", "application/json"}};
    if (!body.empty()) headers.push_back({"Content-Type", "application/json"});
    if (!acting_user.empty()) headers.push_back({"Dirsync-Acting-User", acting_user});
    auto result = http::send_request(conn.http, method, "/admin/v1" + target, headers, body);
    if (!result.answer) {
        std::cerr << "dirsyncctl: " << result.error << '\n';
        return std::nullopt;
    }
    auto json = nlohmann::json::parse(result.answer->body, nullptr, false);
    if (result.answer->status >= 300) {
        const bool shaped = json.is_object() && json.contains("detail") && json["detail"].is_string();
        std::string detail = shaped ? json["detail"].get<std::string>() : result.answer->body;
        std::string code = json.is_object() && json.contains("code") && json["code"].is_string()
                               ? " " + json["code"].get<std::string>()
                               : std::string();
        std::cerr << "dirsyncctl: the daemon answered " << result.answer->status << code << ": " << detail
                  << '\n';
        // A configuration's problems (reload): one file:line:column line each.
        if (json.is_object() && json.contains("errors") && json["errors"].is_array())
            for (const auto& e : json["errors"])
                if (e.is_object())
                    std::cerr << text(e, "file", "") << ':' << text(e, "line", "0") << ':'
                              << text(e, "column", "0") << ": " << text(e, "message", "") << '\n';
        return std::nullopt;
    }
    if (result.answer->body.empty()) return nlohmann::json();
    if (json.is_discarded()) {
        std::cerr << "dirsyncctl: the daemon's answer is not JSON\n";
        return std::nullopt;
    }
    return json;
}

std::string text(const nlohmann::json& j, const char* key, const char* fallback) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
    const auto& v = j[key];
    return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace dirsync::ctl
