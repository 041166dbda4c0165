#include "sync/plan_text.hpp"

#include <string>

namespace dirsync::sync {

namespace {

std::string value_text(const nlohmann::json& v) {
    if (v.is_null()) return "(none)";
    return v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
}

}  // namespace

void print_plan(std::FILE* out, const nlohmann::json& plan, bool dry_run) {
    const auto totals = plan.value("totals", nlohmann::json::object());
    auto section = [&](const char* key) -> nlohmann::json {
        if (!plan.contains(key) || !plan[key].is_array()) return nlohmann::json::array();
        const auto shown = plan[key].size();
        if (auto total = totals.value(key, shown); total > shown)
            std::fprintf(out, "  (%zu %s; the first %zu follow)\n", total, key, shown);
        return plan[key];
    };
    const char* verb = dry_run ? "would " : "";
    for (const auto& c : section("creates")) {
        std::string extra;
        if (auto roles = c.value("roles", nlohmann::json::array()); roles.is_array() && !roles.empty()) {
            extra = " roles";
            for (const auto& r : roles) extra += " " + (r.is_string() ? r.get<std::string>() : r.dump());
        }
        if (c.value("status", std::string()) == "requested") extra += " (waits for a seat)";
        std::fprintf(
            out, "  %screate  %s (%s)%s\n", verb,
            c.value("resource", nlohmann::json::object()).value("userName", std::string("?")).c_str(),
            c.value("dn", std::string()).c_str(), extra.c_str());
    }
    for (const auto& u : section("updates")) {
        std::fprintf(out, "  %s%-7s %s (%s)\n", verb, u.value("kind", std::string("update")).c_str(),
                     u.value("userName", std::string("?")).c_str(), u.value("dn", std::string()).c_str());
        auto before_after = [out](const char* name, const nlohmann::json& change) {
            std::fprintf(out, "      %s: %s -> %s\n", name,
                         value_text(change.value("before", nlohmann::json())).c_str(),
                         value_text(change.value("after", nlohmann::json())).c_str());
        };
        if (u.contains("changes") && u["changes"].is_object())
            for (const auto& [name, change] : u["changes"].items()) before_after(name.c_str(), change);
        if (u.contains("status")) before_after("status", u["status"]);
        if (u.contains("roles")) before_after("roles", u["roles"]);
    }
    for (const auto& o : section("orphans"))
        std::fprintf(out, "  %sorphan  %s\n", verb, o.value("userName", std::string("?")).c_str());
    for (const auto& o : section("disables"))
        std::fprintf(out, "  %sdisable %s (orphan past disable_after)\n", verb,
                     o.value("userName", std::string("?")).c_str());
    for (const auto& o : section("deletes"))
        std::fprintf(out, "  %sdelete  %s (orphan past delete_after)\n", verb,
                     o.value("userName", std::string("?")).c_str());
    for (const auto& g : section("group_creates"))
        std::fprintf(
            out, "  %screate group %s\n", verb,
            g.value("resource", nlohmann::json::object()).value("displayName", std::string("?")).c_str());
    for (const auto& g : section("group_updates"))
        std::fprintf(out, "  %supdate group %s (+%zu -%zu members)\n", verb,
                     g.value("displayName", std::string("?")).c_str(),
                     g.value("add", nlohmann::json::array()).size(),
                     g.value("remove", nlohmann::json::array()).size());
    if (auto notes = plan.value("notes", nlohmann::json::array()); notes.is_array())
        for (const auto& n : notes)
            std::fprintf(out, "  note: %s\n",
                         n.is_string() ? n.get<std::string>().c_str() : n.dump().c_str());
    for (const auto& s : section("skipped"))
        std::fprintf(out, "  skipped %s\n", s.is_string() ? s.get<std::string>().c_str() : s.dump().c_str());
}

}  // namespace dirsync::sync
