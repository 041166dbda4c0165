#include "console/status.hpp"

#include "common/ascii.hpp"
#include "console/html.hpp"
#include "directory/user_status.hpp"

namespace dirsync::console {

const std::vector<std::string_view>& shown_statuses() {
    static const std::vector<std::string_view> statuses = [] {
        std::vector<std::string_view> out;
        for (auto s : directory::all_user_statuses()) out.push_back(directory::to_string(s));
        return out;
    }();
    return statuses;
}

std::string status_label(std::string_view status) {
    std::string out(status);
    for (auto& c : out)
        if (c == '_') c = ' ';
    if (!out.empty()) out[0] = common::ascii_upper(out[0]);
    return out;
}

std::string status_badge(std::string_view status) {
    return "<span class=\"status status-" + escape(status) + "\">" + escape(status_label(status)) + "</span>";
}

}  // namespace dirsync::console
