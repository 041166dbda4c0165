// Sync sources: their last runs with counts, a blocked run's reason with Release (confirmed), runs started
// by hand (a dry run or a real one), and a dry run's plan.
#include "console/html.hpp"
#include "console/page.hpp"

namespace dirsync::console {

namespace {

using json = nlohmann::json;

/// The counts of a run worth a glance: "read 100, created 3, updated 2, orphaned 1" (zeros left out).
std::string counts_summary(const json& counts) {
    static constexpr const char* shown[] = {"read",
                                            "created",
                                            "updated",
                                            "adopted",
                                            "requested",
                                            "orphaned",
                                            "disabled",
                                            "deleted",
                                            "skipped",
                                            "failed",
                                            "groups_created",
                                            "groups_updated",
                                            "memberships_added",
                                            "memberships_removed"};
    std::string out;
    for (const char* name : shown) {
        const auto it = counts.find(name);
        if (it == counts.end() || !it->is_number_integer() || it->get<long long>() == 0) continue;
        std::string label(name);
        for (auto& ch : label)
            if (ch == '_') ch = ' ';
        out += (out.empty() ? "" : ", ") + label + " " + std::to_string(it->get<long long>());
    }
    return out.empty() ? "nothing to do" : out;
}

std::string run_status(const json& run) {
    if (!run.is_object()) return "<span class=\"muted\">never run</span>";
    const std::string status = run.value("status", "");
    std::string out = "<span class=\"run-" + escape(status) + "\">" + escape(status) + "</span>";
    if (status == "blocked" && at(run, "released_by").is_string()) out += " (released)";
    if (run.value("dry_run", false)) out += " <span class=\"muted\">(dry run)</span>";
    return out;
}

std::string run_link(const page_call& c, const json& run) {
    const auto id = std::to_string(run.value("id", 0));
    return link(c.url("/sync/runs/" + id), "#" + id);
}

std::string sources_table(const page_call& c, const json& sources, std::string_view only_tenant) {
    std::string out =
        table_start("sources", {{"Source"}, {"Tenant"}, {"Type"}, {"Last run"}, {"Counts"}, {"Next run"}});
    std::size_t n = 0;
    for (const auto& s : sources) {
        const std::string tenant = s.value("tenant", "");
        if (!only_tenant.empty() && tenant != only_tenant) continue;
        ++n;
        const auto& last = at(s, "last_run");
        out += "<tr><th scope=\"row\">" +
               link(c.url("/sync/sources/" + encode(s.value("name", ""))), s.value("name", "")) +
               "</th><td>" + link(c.tenant_url(tenant), tenant) + "</td><td>" + escape(s.value("type", "")) +
               "</td><td>" + run_status(last) +
               (s.value("blocked", false) ? " <strong class=\"run-blocked\">blocked</strong>" : "") +
               (last.is_object() ? " " + run_link(c, last) + " " + escape(when(at(last, "started"))) : "") +
               "</td><td>" + (last.is_object() ? escape(counts_summary(at(last, "counts"))) : "") +
               "</td><td>" + escape(when(at(s, "next_run"))) + "</td></tr>";
    }
    out += "</tbody></table>";
    if (n == 0)
        return "<p id=\"no-sources\">No source feeds " +
               std::string(only_tenant.empty() ? "any tenant you administer" : "this tenant") + ".</p>";
    return out;
}

http::response all_sources(const page_call& c) {
    auto a = c.api.get("/sync/sources");
    if (!a.ok()) return failure_page(c, a);
    return render(c, {"Sync sources", sources_table(c, a.body, {})});
}

http::response tenant_sources(const page_call& c) {
    const std::string tenant(c.param("tenant"));
    auto t = c.api.get("/tenants/" + encode(tenant));  // 404 for a tenant not the caller's
    if (!t.ok()) return failure_page(c, t, tenant);
    auto a = c.api.get("/sync/sources");
    if (!a.ok()) return failure_page(c, a, tenant);
    return render(c, {"Sync sources of " + tenant, sources_table(c, a.body, tenant), 200, tenant});
}

http::response source(const page_call& c, unsigned status = 200, std::string error = {}) {
    const std::string name(c.param("name"));
    auto s = c.api.get("/sync/sources/" + encode(name));
    if (!s.ok()) return failure_page(c, s);
    auto runs = c.api.get("/sync/sources/" + encode(name) + "/runs?limit=20");
    const std::string tenant = s.body.value("tenant", "");
    const std::string here = c.url("/sync/sources/" + encode(name));
    std::string body = "<dl class=\"facts\"><dt>Tenant</dt><dd>" + link(c.tenant_url(tenant), tenant) +
                       "</dd><dt>Type</dt><dd>" + escape(s.body.value("type", "")) +
                       "</dd><dt>Address</dt><dd><code>" + escape(s.body.value("url", "")) +
                       "</code></dd><dt>Next run</dt><dd>" + escape(when(at(s.body, "next_run"))) + " (" +
                       escape(s.body.value("next_mode", "")) + ")</dd><dt>Running now</dt><dd>" +
                       (at(s.body, "running_run").is_null() ? std::string("no")
                                                            : "run #" + text_of(at(s.body, "running_run"))) +
                       "</dd></dl>";
    body += "<div class=\"actions\">" + form_start(c, here + "/run", {}, "inline") +
            "<input type=\"hidden\" name=\"dry_run\" value=\"yes\"><button type=\"submit\" "
            "id=\"dry-run\">Dry run "
            "now</button></form>" +
            form_start(c, here + "/run", "Run " + name + " now? Its changes are applied to " + tenant + ".",
                       "inline") +
            "<input type=\"hidden\" name=\"dry_run\" value=\"no\"><button type=\"submit\" id=\"run\">Run "
            "now</button>"
            "</form></div>" +
            error_note("run-error", error);
    body += "<h2>Runs</h2>";
    if (!runs.ok()) {
        body += error_note("runs-error", runs.detail());
    } else if (runs.body.empty()) {
        body += "<p class=\"muted\">No run yet.</p>";
    } else {
        body += table_start("runs",
                            {{"Run"}, {"Started"}, {"Mode"}, {"Status"}, {"Counts"}, {"Blocked because"}});
        for (const auto& run : runs.body) {
            const auto id = std::to_string(run.value("id", 0));
            body += "<tr><th scope=\"row\">" + run_link(c, run) + "</th><td>" +
                    escape(when(at(run, "started"))) + "</td><td>" + escape(run.value("mode", "")) +
                    " <span class=\"muted\">(" + escape(run.value("trigger", "")) + ")</span></td><td>" +
                    run_status(run) + "</td><td>" + escape(counts_summary(at(run, "counts"))) + "</td><td>";
            if (at(run, "blocked_reason").is_string()) {
                body += "<span class=\"blocked-reason\">" +
                        escape(at(run, "blocked_reason").get<std::string>()) + "</span>";
                if (at(run, "released_by").is_string())
                    body += " <span class=\"muted\">released by " +
                            escape(at(run, "released_by").get<std::string>()) + "</span>";
                else if (!run.value("dry_run", false))
                    body += " " +
                            form_start(c, here + "/runs/" + id + "/release",
                                       "Release run #" + id + "? The next run may then do what it planned.",
                                       "inline") +
                            "<button type=\"submit\" id=\"release-" + id + "\">Release</button></form>";
            }
            body += "</td></tr>";
        }
        body += "</tbody></table>";
    }
    return render(c, {"Source " + name, std::move(body), status, tenant});
}

http::response source_page(const page_call& c) { return source(c); }

http::response start_run(const page_call& c) {
    const std::string name(c.param("name"));
    const bool dry = c.field("dry_run") != "no";
    if (!dry && !confirmed(c))
        return confirmation(c, "Run " + name + " now? Its changes are applied.", "Run now",
                            c.url("/sync/sources/" + encode(name)));
    auto a = c.api.send("POST", "/sync/sources/" + encode(name) + "/runs", {{"dry_run", dry}});
    if (a.ok())
        return redirect_with_notice(c, c.url("/sync/sources/" + encode(name)),
                                    std::string(dry ? "Dry run" : "Run") + " #" + text_of(at(a.body, "run")) +
                                        " started; reload to see it finish.");
    if (a.status == 404) return failure_page(c, a);
    return source(c, a.status, a.detail());
}

http::response release(const page_call& c) {
    const std::string name(c.param("name"));
    const std::string id(c.param("run"));
    if (!confirmed(c))
        return confirmation(c, "Release run #" + id + "? The next run may then do what it planned.",
                            "Release", c.url("/sync/sources/" + encode(name)));
    auto a = c.api.send("POST", "/sync/sources/" + encode(name) + "/runs/" + encode(id) + "/release");
    if (a.ok())
        return redirect_with_notice(c, c.url("/sync/sources/" + encode(name)),
                                    "Run #" + id + " released: the next run applies what it planned.");
    if (a.status == 404 && a.code() != "not_found") return failure_page(c, a);
    return source(c, a.status, a.detail());
}

std::string plan_list(const json& plan, const char* member, const char* heading) {
    const auto it = plan.find(member);
    if (it == plan.end() || !it->is_array() || it->empty()) return {};
    std::string out = "<h3>" + std::string(heading) + "</h3><ul class=\"plan\" id=\"plan-" + member + "\">";
    for (const auto& e : *it) {
        std::string name = e.value("userName", "");
        if (name.empty() && e.contains("resource") && at(e, "resource").is_object())
            name = at(e, "resource").value("userName", at(e, "resource").value("displayName", ""));
        if (name.empty()) name = e.value("displayName", e.value("anchor", ""));
        out += "<li>" + escape(name);
        if (e.contains("status") && at(e, "status").is_object())
            out += " <span class=\"muted\">" + escape(at(e, "status").value("before", "")) + " &rarr; " +
                   escape(at(e, "status").value("after", "")) + "</span>";
        if (e.contains("changes") && at(e, "changes").is_array())
            out += " <span class=\"muted\">(" +
                   counted(static_cast<long long>(at(e, "changes").size()), "change") + ")</span>";
        out += "</li>";
    }
    return out + "</ul>";
}

http::response run(const page_call& c) {
    const std::string id(c.param("run"));
    auto a = c.api.get("/sync/runs/" + encode(id));
    if (!a.ok()) return failure_page(c, a);
    const auto& r = a.body;
    const std::string source_name = r.value("source", "");
    std::string body =
        "<dl class=\"facts\" id=\"run\"><dt>Source</dt><dd>" +
        link(c.url("/sync/sources/" + encode(source_name)), source_name) + "</dd><dt>Status</dt><dd>" +
        run_status(r) + "</dd><dt>Mode</dt><dd>" + escape(r.value("mode", "")) + "</dd><dt>Trigger</dt><dd>" +
        escape(r.value("trigger", "")) + "</dd><dt>Started</dt><dd>" + escape(when(at(r, "started"))) +
        "</dd><dt>Ended</dt><dd>" + escape(when(at(r, "ended"))) + "</dd><dt>Counts</dt><dd>" +
        escape(counts_summary(at(r, "counts"))) + "</dd>";
    if (at(r, "blocked_reason").is_string())
        body += "<dt>Blocked because</dt><dd class=\"blocked-reason\">" +
                escape(at(r, "blocked_reason").get<std::string>()) + "</dd>";
    if (at(r, "released_by").is_string())
        body += "<dt>Released by</dt><dd>" + escape(at(r, "released_by").get<std::string>()) + " at " +
                escape(when(at(r, "released"))) + "</dd>";
    body += "</dl>";
    if (r.contains("errors") && at(r, "errors").is_array() && !at(r, "errors").empty()) {
        body += "<h2>Errors</h2><ul id=\"errors\">";
        for (const auto& e : at(r, "errors")) body += "<li>" + escape(text_of(e)) + "</li>";
        body += "</ul>";
    }
    if (r.value("has_plan", false)) {
        auto plan = c.api.get("/sync/runs/" + encode(id) + "/plan");
        body += "<h2>Plan</h2>";
        if (!plan.ok()) {
            body += error_note("plan-error", plan.detail());
        } else {
            body += "<p id=\"plan-counts\">" + escape(counts_summary(at(plan.body, "counts"))) + "</p>";
            if (at(plan.body, "blocked").is_string())
                body += "<p class=\"run-blocked\">Would be blocked: " +
                        escape(at(plan.body, "blocked").get<std::string>()) + "</p>";
            body += plan_list(plan.body, "creates", "Creates") + plan_list(plan.body, "updates", "Updates") +
                    plan_list(plan.body, "orphans", "Orphans") +
                    plan_list(plan.body, "disables", "Disables") + plan_list(plan.body, "deletes", "Deletes");
            if (plan.body.value("truncated", false))
                body +=
                    "<p class=\"muted\">Each list shows its first entries; the counts above are "
                    "complete.</p>";
        }
    }
    return render(c, {"Run #" + id, std::move(body), 200, r.value("tenant", "")});
}

}  // namespace

void add_sync_pages(page_table& t) {
    t.get("/sync", all_sources);
    t.get("/tenants/{tenant}/sync", tenant_sources);
    t.get("/sync/sources/{name}", source_page);
    t.post("/sync/sources/{name}/run", start_run);
    t.post("/sync/sources/{name}/runs/{run}/release", release);
    t.get("/sync/runs/{run}", run);
}

}  // namespace dirsync::console
