#include "metrics/registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>
#include <type_traits>

namespace dirsync::metrics {

static_assert(std::atomic<double>::is_always_lock_free);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool valid_metric_name(std::string_view name) {
    if (name.empty() || !(is_alpha(name[0]) || name[0] == ':')) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return is_alpha(c) || is_digit(c) || c == ':'; });
}

bool valid_label_name(std::string_view name) {
    if (name.empty() || !is_alpha(name[0]) || name.starts_with("__")) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return is_alpha(c) || is_digit(c); });
}

void check_metric_name(std::string_view name) {
    if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name: " + std::string(name));
}

void check_label_name(std::string_view name) {
    if (!valid_label_name(name)) throw std::invalid_argument("invalid label name: " + std::string(name));
}

void check_upper_bounds(const std::vector<double>& bounds) {
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i - 1] < bounds[i])))
            throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
    }
}

std::vector<double> checked_upper_bounds(std::vector<double> bounds) {
    check_upper_bounds(bounds);
    return bounds;
}

void append_value(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
    } else if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
    } else {
        char buf[32];
        constexpr double exact_integers = 9007199254740992.0;  // 2^53
        const auto r = std::trunc(v) == v && std::fabs(v) < exact_integers
                           ? std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v))
                           : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
        out.append(buf, r.ptr);
    }
}

void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
    for (char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"' && escape_quote) {
            out += "\\\"";
        } else {
            out += c;
        }
    }
}

void append_header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped(out, help, false);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void append_label(std::string& out, bool& first, std::string_view name, std::string_view value) {
    out += first ? '{' : ',';
    first = false;
    out += name;
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
}

/// `name{labels[,le="le"]} value`; `le` empty for none.
void append_sample(std::string& out, std::string_view name, const std::vector<std::string>& label_names,
                   const label_values& values, std::string_view le, double value) {
    out += name;
    bool first = true;
    for (std::size_t i = 0; i < label_names.size(); ++i) append_label(out, first, label_names[i], values[i]);
    if (!le.empty()) append_label(out, first, "le", le);
    if (!first) out += '}';
    out += ' ';
    append_value(out, value);
    out += '\n';
}

template <class Metric>
constexpr std::string_view type_name() {
    if constexpr (std::is_same_v<Metric, counter>) {
        return "counter";
    } else if constexpr (std::is_same_v<Metric, gauge>) {
        return "gauge";
    } else {
        return "histogram";
    }
}

}  // namespace

void counter::inc(double by) noexcept {
    if (by >= 0) value_.fetch_add(by, std::memory_order_relaxed);
}

double counter::value() const noexcept { return value_.load(std::memory_order_relaxed); }

void gauge::set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }

void gauge::add(double d) noexcept { value_.fetch_add(d, std::memory_order_relaxed); }

double gauge::value() const noexcept { return value_.load(std::memory_order_relaxed); }

histogram::histogram(std::vector<double> upper_bounds)
    : upper_bounds_(checked_upper_bounds(std::move(upper_bounds))),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_.size() + 1)) {}

void histogram::observe(double v) noexcept {
    const std::size_t i = std::isnan(v) ? upper_bounds_.size()
                                        : std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), v) -
                                              upper_bounds_.begin();
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::cumulative_counts() const {
    std::vector<std::uint64_t> counts(upper_bounds_.size() + 1);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < counts.size(); ++i)
        counts[i] = total += buckets_[i].load(std::memory_order_relaxed);
    return counts;
}

double histogram::sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

template <class Metric>
family<Metric>::family(std::string name, std::string help, std::vector<std::string> label_names,
                       std::vector<double> upper_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      upper_bounds_(std::move(upper_bounds)) {}

template <class Metric>
Metric& family<Metric>::with(const label_values& values) {
    if (values.size() != label_names_.size())
        throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                                    " label values, not " + std::to_string(values.size()));
    std::lock_guard lock(mutex_);
    auto& child = children_[values];
    if (!child) {
        if constexpr (std::is_same_v<Metric, histogram>) {
            child = std::make_unique<histogram>(upper_bounds_);
        } else {
            child = std::make_unique<Metric>();
        }
    }
    return *child;
}

template <class Metric>
Metric& family<Metric>::with(std::initializer_list<std::string_view> values) {
    return with(label_values(values.begin(), values.end()));
}

template <class Metric>
void family<Metric>::write(std::string& out) const {
    // Children are never removed and map nodes never move: format from a snapshot, outside the lock.
    std::vector<std::pair<const label_values*, const Metric*>> children;
    {
        std::lock_guard lock(mutex_);
        children.reserve(children_.size());
        for (const auto& [values, child] : children_) children.emplace_back(&values, child.get());
    }
    if (children.empty()) return;
    append_header(out, name_, help_, type_name<Metric>());
    for (const auto& [values, child] : children) {
        if constexpr (std::is_same_v<Metric, histogram>) {
            const auto counts = child->cumulative_counts();
            std::string le;
            for (std::size_t i = 0; i < upper_bounds_.size(); ++i) {
                le.clear();
                append_value(le, upper_bounds_[i]);
                append_sample(out, name_ + "_bucket", label_names_, *values, le,
                              static_cast<double>(counts[i]));
            }
            append_sample(out, name_ + "_bucket", label_names_, *values, "+Inf",
                          static_cast<double>(counts.back()));
            append_sample(out, name_ + "_sum", label_names_, *values, {}, child->sum());
            append_sample(out, name_ + "_count", label_names_, *values, {},
                          static_cast<double>(counts.back()));
        } else {
            append_sample(out, name_, label_names_, *values, {}, child->value());
        }
    }
}

template class family<counter>;
template class family<gauge>;
template class family<histogram>;

void sample_writer::family(std::string_view name, std::string_view help, std::string_view type) {
    check_metric_name(name);
    if (type != "counter" && type != "gauge")
        throw std::invalid_argument("collector family type must be counter or gauge: " + std::string(type));
    name_ = name;
    append_header(out_, name, help, type);
}

void sample_writer::sample(const std::vector<std::pair<std::string_view, std::string_view>>& labels,
                           double value) {
    if (name_.empty()) throw std::logic_error("sample_writer::sample before sample_writer::family");
    out_ += name_;
    bool first = true;
    for (const auto& [name, label_value] : labels) {
        check_label_name(name);
        append_label(out_, first, name, label_value);
    }
    if (!first) out_ += '}';
    out_ += ' ';
    append_value(out_, value);
    out_ += '\n';
}

void sample_writer::sample(double value) { sample({}, value); }

template <class Metric>
family<Metric>& registry::add_family(std::string name, std::string help, std::vector<std::string> label_names,
                                     std::vector<double> upper_bounds) {
    check_metric_name(name);
    std::set<std::string_view> seen;
    for (const auto& label : label_names) {
        check_label_name(label);
        if (!seen.insert(label).second) throw std::invalid_argument("duplicate label name: " + label);
        if (std::is_same_v<Metric, histogram> && label == "le")
            throw std::invalid_argument("histogram label name le is reserved: " + name);
    }
    check_upper_bounds(upper_bounds);
    const bool label_less = label_names.empty();

    std::lock_guard lock(mutex_);
    for (const auto& f : families_) {
        if (std::visit([&](const auto& p) { return p->name() == name; }, f))
            throw std::invalid_argument("duplicate metric name: " + name);
    }
    std::unique_ptr<family<Metric>> created(new family<Metric>(
        std::move(name), std::move(help), std::move(label_names), std::move(upper_bounds)));
    if (label_less) created->with(label_values{});
    auto& result = *created;
    families_.emplace_back(std::move(created));
    return result;
}

family<counter>& registry::counter_family(std::string name, std::string help,
                                          std::vector<std::string> label_names) {
    return add_family<counter>(std::move(name), std::move(help), std::move(label_names), {});
}

family<gauge>& registry::gauge_family(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
    return add_family<gauge>(std::move(name), std::move(help), std::move(label_names), {});
}

family<histogram>& registry::histogram_family(std::string name, std::string help,
                                              std::vector<double> upper_bounds,
                                              std::vector<std::string> label_names) {
    return add_family<histogram>(std::move(name), std::move(help), std::move(label_names),
                                 std::move(upper_bounds));
}

counter& registry::add_counter(std::string name, std::string help) {
    return counter_family(std::move(name), std::move(help)).with(label_values{});
}

gauge& registry::add_gauge(std::string name, std::string help) {
    return gauge_family(std::move(name), std::move(help)).with(label_values{});
}

histogram& registry::add_histogram(std::string name, std::string help, std::vector<double> upper_bounds) {
    return histogram_family(std::move(name), std::move(help), std::move(upper_bounds)).with(label_values{});
}

void registry::add_collector(collector c) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(c));
}

std::string registry::expose() const {
    std::string out;
    std::vector<collector> collectors;
    {
        std::lock_guard lock(mutex_);
        for (const auto& f : families_) std::visit([&](const auto& p) { p->write(out); }, f);
        collectors = collectors_;
    }
    sample_writer writer(out);
    for (const auto& c : collectors) c(writer);
    return out;
}

std::vector<double> latency_buckets() {
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace dirsync::metrics
