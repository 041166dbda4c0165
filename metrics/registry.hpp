#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dirsync::metrics {

/// Label values of one child, in the order of its family's label names.
using label_values = std::vector<std::string>;

/// A monotonic count. Lock-free and thread-safe.
class counter {
  public:
    counter() = default;
    counter(const counter&) = delete;
    counter& operator=(const counter&) = delete;

    /// Adds `by`. A negative or NaN `by` is ignored: a counter never goes down.
    void inc(double by = 1) noexcept;
    double value() const noexcept;

  private:
    std::atomic<double> value_{0};
};

/// A value that goes up and down. Lock-free and thread-safe.
class gauge {
  public:
    gauge() = default;
    gauge(const gauge&) = delete;
    gauge& operator=(const gauge&) = delete;

    void set(double v) noexcept;
    void add(double d) noexcept;
    double value() const noexcept;

  private:
    std::atomic<double> value_{0};
};

/// Counts observations into buckets `value <= upper bound`; the `+Inf` bucket is implicit. observe() is
/// lock-free and thread-safe. A NaN observation counts in the `+Inf` bucket only (and makes the sum NaN).
class histogram {
  public:
    /// Throws std::invalid_argument unless `upper_bounds` are finite and strictly increasing (may be empty).
    explicit histogram(std::vector<double> upper_bounds);
    histogram(const histogram&) = delete;
    histogram& operator=(const histogram&) = delete;

    void observe(double v) noexcept;

    /// The finite upper bounds, without `+Inf`.
    const std::vector<double>& upper_bounds() const noexcept { return upper_bounds_; }
    /// Cumulative counts, one per upper bound, then the `+Inf` bucket (which equals the count they sum to).
    std::vector<std::uint64_t> cumulative_counts() const;
    double sum() const noexcept;

  private:
    std::vector<double> upper_bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  ///< not cumulative; upper_bounds_.size() + 1
    std::atomic<double> sum_{0};
};

/// One metric name with fixed label names; its children (one per distinct label values) are created on
/// first use and live as long as the registry. Thread-safe.
template <class Metric>
class family {
  public:
    family(const family&) = delete;
    family& operator=(const family&) = delete;

    /// The child for `values`, created on first use; the reference stays valid for the registry's life.
    /// Takes a mutex: keep the reference rather than calling this on a hot path.
    /// Throws std::invalid_argument if `values` does not have one value per label name.
    Metric& with(const label_values& values);
    Metric& with(std::initializer_list<std::string_view> values);

    const std::string& name() const noexcept { return name_; }

  private:
    friend class registry;
    family(std::string name, std::string help, std::vector<std::string> label_names,
           std::vector<double> upper_bounds);
    /// Appends this family in text exposition format; nothing if it has no child yet.
    void write(std::string& out) const;

    const std::string name_;
    const std::string help_;
    const std::vector<std::string> label_names_;
    const std::vector<double> upper_bounds_;  ///< histograms only
    mutable std::mutex mutex_;
    std::map<label_values, std::unique_ptr<Metric>> children_;
};

extern template class family<counter>;
extern template class family<gauge>;
extern template class family<histogram>;

/// Writes scrape-time families for a collector, one family at a time, into the exposition. Names are
/// validated like the registry's; a misuse is a bug and throws (std::invalid_argument, std::logic_error).
/// Names are not checked against the registry's families: a collector must not reuse one.
class sample_writer {
  public:
    sample_writer(const sample_writer&) = delete;
    sample_writer& operator=(const sample_writer&) = delete;

    /// Starts a family: writes `# HELP` and `# TYPE`. `type` is "counter" or "gauge".
    void family(std::string_view name, std::string_view help, std::string_view type);
    /// A sample of the current family, named as the family. Throws std::logic_error before family().
    void sample(const std::vector<std::pair<std::string_view, std::string_view>>& labels, double value);
    void sample(double value);

  private:
    friend class registry;
    explicit sample_writer(std::string& out) : out_(out) {}

    std::string& out_;
    std::string name_;  ///< of the current family; empty before the first
};

/// The metrics of one process and their Prometheus text exposition (format 0.0.4). Thread-safe: families
/// may be registered, updated and exposed from any thread.
///
/// Metric names must match `[a-zA-Z_:][a-zA-Z0-9_:]*` and be unique in the registry; label names must match
/// `[a-zA-Z_][a-zA-Z0-9_]*`, not start with `__`, and be unique in their family (`le` is reserved for
/// histograms). A registration that breaks a rule throws std::invalid_argument.
class registry {
  public:
    /// Writes scrape-time values (read from the store, /proc, ...). Runs on the thread calling expose(),
    /// without the registry's lock held; it may throw, which expose() passes on.
    using collector = std::function<void(sample_writer&)>;

    registry() = default;
    registry(const registry&) = delete;
    registry& operator=(const registry&) = delete;

    family<counter>& counter_family(std::string name, std::string help,
                                    std::vector<std::string> label_names = {});
    family<gauge>& gauge_family(std::string name, std::string help,
                                std::vector<std::string> label_names = {});
    /// `upper_bounds`: finite and strictly increasing; `+Inf` is added here.
    family<histogram>& histogram_family(std::string name, std::string help, std::vector<double> upper_bounds,
                                        std::vector<std::string> label_names = {});

    /// A label-less metric: its family's only child, exposed from the start (as 0).
    counter& add_counter(std::string name, std::string help);
    gauge& add_gauge(std::string name, std::string help);
    histogram& add_histogram(std::string name, std::string help, std::vector<double> upper_bounds);

    /// Calls `c` on every expose(), in registration order, after the registered families.
    void add_collector(collector c);

    /// The whole text exposition: families in registration order, children sorted by label values, then the
    /// collectors' output.
    std::string expose() const;

  private:
    template <class Metric>
    family<Metric>& add_family(std::string name, std::string help, std::vector<std::string> label_names,
                               std::vector<double> upper_bounds);

    using family_ptr = std::variant<std::unique_ptr<family<counter>>, std::unique_ptr<family<gauge>>,
                                    std::unique_ptr<family<histogram>>>;

    mutable std::mutex mutex_;
    std::vector<family_ptr> families_;  ///< in registration order
    std::vector<collector> collectors_;
};

/// Histogram bounds for request latencies, in seconds: 0.5 ms to 10 s.
std::vector<double> latency_buckets();

}  // namespace dirsync::metrics
