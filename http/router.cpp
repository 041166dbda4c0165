#include "http/router.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "common/ascii.hpp"
#include "http/query_string.hpp"

namespace dirsync::http {

namespace {

/// `path` without its leading and trailing '/', split at every '/'; no segments for "" or "/".
std::vector<std::string_view> split_segments(std::string_view path) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    std::vector<std::string_view> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

bool valid_prefix(std::string_view prefix) {
    if (prefix.empty()) return true;
    if (prefix.front() != '/' || prefix.back() == '/') return false;
    return prefix.find("//") == std::string_view::npos;
}

}  // namespace

std::string_view path_params::get(std::string_view name) const noexcept {
    for (const auto& [key, value] : values_)
        if (key == name) return value;
    return {};
}

struct router::mount::route_entry {
    std::string method;
    route_handler handler;
    route_options options;
};

struct router::mount::pattern_entry {
    struct segment {
        std::string text;  ///< the literal, or the capture's name
        bool capture = false;
    };
    std::string text;   ///< as registered, for messages
    std::string route;  ///< the mount's prefix and the pattern: the template response::route names
    std::vector<segment> segments;
    std::vector<route_entry> routes;  ///< in registration order

    bool same_shape(const std::vector<segment>& other) const {
        if (other.size() != segments.size()) return false;
        for (std::size_t i = 0; i < segments.size(); ++i)
            if (segments[i].capture != other[i].capture ||
                (!segments[i].capture && segments[i].text != other[i].text))
                return false;
        return true;
    }

    /// Whether `path` matches; captures are decoded into `params`.
    bool match(const std::vector<std::string_view>& path, bool fold_case, path_params& params) const;

    /// True when this pattern is more specific than `other` (both matching the same path): at the first
    /// position where they differ, this one has the literal.
    bool beats(const pattern_entry& other) const {
        for (std::size_t i = 0; i < segments.size(); ++i)
            if (segments[i].capture != other.segments[i].capture) return !segments[i].capture;
        return false;
    }

    /// The `Allow` value: the methods in registration order, HEAD after GET where GET serves it.
    std::string allow() const {
        std::string out;
        const bool has_head = std::any_of(routes.begin(), routes.end(),
                                          [](const route_entry& r) { return r.method == "HEAD"; });
        for (const auto& r : routes) {
            if (!out.empty()) out += ", ";
            out += r.method;
            if (r.method == "GET" && !has_head) out += ", HEAD";
        }
        return out;
    }

    const route_entry* find(std::string_view method) const {
        for (const auto& r : routes)
            if (r.method == method) return &r;
        if (method == "HEAD") return find("GET");
        return nullptr;
    }
};

bool router::mount::pattern_entry::match(const std::vector<std::string_view>& path, bool fold_case,
                                         path_params& params) const {
    if (path.size() != segments.size()) return false;
    params.values_.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& seg = segments[i];
        if (seg.capture) {
            if (path[i].empty()) return false;
            auto decoded = percent_decode(path[i], false);
            if (!decoded || decoded->empty()) return false;
            params.values_.emplace_back(seg.text, std::move(*decoded));
        } else if (fold_case ? !common::iequals_ascii(path[i], seg.text) : path[i] != seg.text) {
            return false;
        }
    }
    return true;
}

router::mount::mount(mount_point point) : point_(std::move(point)) {}

router::mount& router::mount::route(std::string_view method, std::string_view pattern, route_handler handler,
                                    route_options options) {
    if (method.empty() || !handler) throw std::invalid_argument("a route needs a method and a handler");
    std::vector<pattern_entry::segment> segments;
    if (!pattern.empty() && pattern.front() != '/')
        throw std::invalid_argument("route pattern '" + std::string(pattern) + "' must start with '/'");
    for (auto part : split_segments(pattern)) {
        if (part.empty())
            throw std::invalid_argument("route pattern '" + std::string(pattern) + "' has '//'");
        if (part.front() == '{') {
            if (part.size() < 3 || part.back() != '}')
                throw std::invalid_argument("malformed capture in route pattern '" + std::string(pattern) +
                                            "'");
            segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
        } else {
            segments.push_back({std::string(part), false});
        }
    }
    pattern_entry* entry = nullptr;
    for (auto& p : patterns_)
        if (p->same_shape(segments)) entry = p.get();
    if (entry == nullptr) {
        patterns_.push_back(std::make_unique<pattern_entry>());
        entry = patterns_.back().get();
        entry->text = std::string(pattern);
        entry->route = point_.prefix + (pattern == "/" ? std::string() : std::string(pattern));
        if (entry->route.empty()) entry->route = "/";
        entry->segments = std::move(segments);
    }
    if (std::any_of(entry->routes.begin(), entry->routes.end(),
                    [&](const route_entry& r) { return r.method == method; }))
        throw std::invalid_argument(std::string(method) + " " + point_.prefix + std::string(pattern) +
                                    " is routed twice");
    entry->routes.push_back({std::string(method), std::move(handler), options});
    return *this;
}

const router::mount::pattern_entry* router::mount::match(const std::vector<std::string_view>& segments,
                                                         path_params& params) const {
    const pattern_entry* best = nullptr;
    path_params candidate;
    for (const auto& p : patterns_) {
        if (!p->match(segments, point_.fold_case, candidate)) continue;
        if (best == nullptr || p->beats(*best)) {
            best = p.get();
            params = candidate;
        }
    }
    return best;
}

router::router(const bearer_authenticator& auth, error_formatter errors)
    : auth_(auth), errors_(errors ? std::move(errors) : error_formatter(plain_error)) {}

router::~router() = default;

router::mount& router::add_mount(mount_point point) {
    if (!valid_prefix(point.prefix))
        throw std::invalid_argument("mount prefix '" + point.prefix + "' must look like /a/b");
    if (point.admits && !point.refuse)
        throw std::invalid_argument("mount '" + point.prefix + "' admits some principals but has no refusal");
    for (const auto& m : mounts_)
        if (m->point_.prefix == point.prefix)
            throw std::invalid_argument("'" + point.prefix + "' mounted twice");
    mounts_.push_back(std::unique_ptr<mount>(new mount(std::move(point))));
    return *mounts_.back();
}

const router::mount* router::mount_for(std::string_view path) const noexcept {
    const mount* best = nullptr;
    for (const auto& m : mounts_) {
        const std::string& prefix = m->point_.prefix;
        if (!path.starts_with(prefix)) continue;
        if (path.size() != prefix.size() && path[prefix.size()] != '/') continue;
        if (best == nullptr || prefix.size() > best->point_.prefix.size()) best = m.get();
    }
    return best;
}

principal router::who_is(const mount& m, const request& req) const {
    if (m.point_.identify) return m.point_.identify(req);
    return auth_.authenticate(req.header("Authorization"));
}

std::optional<std::string> router::lane_of(const request& req) const {
    const std::string_view path = split_target(req.target).first;
    const mount* m = mount_for(path);
    if (m == nullptr || m->point_.on_io_thread) return std::nullopt;
    const principal who = who_is(*m, req);
    if (m->point_.admits && !m->point_.admits(who)) return std::nullopt;
    path_params params;
    if (const auto* pattern = m->match(split_segments(path.substr(m->point_.prefix.size())), params))
        if (const auto* r = pattern->find(req.method);
            r != nullptr &&
            (r->options.on_io_thread || (r->options.on_io_thread_when && r->options.on_io_thread_when(req))))
            return std::nullopt;
    switch (who.kind) {
        case principal::role::scim_client:
        case principal::role::tenant_admin:
            return "tenant:" + who.tenant;
        case principal::role::operator_admin:
            return "operator";
        case principal::role::anonymous:
            break;
    }
    return "anonymous";
}

response router::operator()(request& req) const {
    const auto [path, query] = split_target(req.target);
    const mount* m = mount_for(path);
    if (m == nullptr) return errors_(404, "no such endpoint: " + std::string(path));

    const principal who = who_is(*m, req);
    const mount_point& point = m->point_;
    if (point.admits && !point.admits(who)) {
        auto refused = point.refuse(req, who);
        refused.route = point.prefix;
        return refused;
    }

    path_params params;
    const mount::pattern_entry* best = m->match(split_segments(path.substr(point.prefix.size())), params);
    response res;
    if (best == nullptr) {
        res = errors_(404, "no such endpoint: " + std::string(path));
    } else if (const auto* r = best->find(req.method)) {
        res = r->handler(route_call{req, who, params, path, query});
        res.route = best->route;
    } else {
        const std::string allow = best->allow();
        res = errors_(405, "method " + req.method + " is not allowed here; allowed: " + allow);
        res.headers.push_back({"Allow", allow});
        res.route = best->route;
    }
    if (res.tenant.empty()) res.tenant = who.tenant;
    return res;
}

}  // namespace dirsync::http
