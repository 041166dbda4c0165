#include "daemon/command_line.hpp"

#include <iostream>

#include "config/load.hpp"
#include "sync/source_check.hpp"

namespace dirsync::daemon {

int usage_error(std::string_view command, std::string_view message) {
    const std::string name = command.empty() ? "dirsyncd" : "dirsyncd " + std::string(command);
    std::cerr << name << ": " << message << " (see " << name << " --help)\n";
    return 2;
}

std::optional<std::string> option_value(const std::vector<std::string>& args, std::size_t& i) {
    const std::string& a = args[i];
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) return a.substr(eq + 1);
    if (i + 1 >= args.size()) return std::nullopt;
    return args[++i];
}

std::optional<config::settings> load_checked_settings(const std::string& file) {
    config::load_options options;
    options.check = sync::check_sources;  // mapping rules are reported with every other problem
    auto settings = config::load_settings_file(file, options);
    if (settings) return std::move(*settings);
    const auto text = settings.error().to_string();
    std::cerr << text << (text.ends_with('\n') ? "" : "\n");
    return std::nullopt;
}

}  // namespace dirsync::daemon
