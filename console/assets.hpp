#pragma once

// Internal to dirsync_console: the style sheet and script, compiled into the binary from console/assets/
// (cmake/embed_assets.cmake writes assets.cpp), so the console needs no files installed and nothing external.

#include <string_view>

namespace dirsync::console {

struct asset {
    std::string_view name;  ///< "console.css"
    std::string_view content_type;
    std::string_view body;
};

/// The asset named `name`, or nullptr.
const asset* find_asset(std::string_view name) noexcept;

}  // namespace dirsync::console
