#include "metrics/registry.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "metrics/process.hpp"

namespace dirsync::metrics {
namespace {

constexpr int threads = 4;
constexpr int per_thread = 10000;

template <class F>
void run_threads(F body) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(body, t);
    for (auto& t : pool) t.join();
}

TEST(Registry, CounterFromThreadsIsExact) {
    registry r;
    auto& plain = r.add_counter("plain_total", "Plain.");
    auto& by_kind = r.counter_family("by_kind_total", "By kind.", {"kind"});
    run_threads([&](int t) {
        for (int i = 0; i < per_thread; ++i) {
            plain.inc();
            by_kind.with({"shared"}).inc(0.5);  // lookup and creation race on the same child
            by_kind.with({"own" + std::to_string(t)}).inc();
        }
    });
    EXPECT_EQ(plain.value(), threads * per_thread);
    EXPECT_EQ(by_kind.with({"shared"}).value(), threads * per_thread * 0.5);
    for (int t = 0; t < threads; ++t)
        EXPECT_EQ(by_kind.with({"own" + std::to_string(t)}).value(), per_thread);
}

TEST(Registry, GaugeFromThreadsIsExact) {
    registry r;
    auto& g = r.add_gauge("in_flight", "In flight.");
    g.set(10);
    run_threads([&](int t) {
        for (int i = 0; i < per_thread; ++i) g.add(t % 2 == 0 ? 1.5 : -0.5);
    });
    EXPECT_EQ(g.value(), 10 + 2 * per_thread * 1.5 - 2 * per_thread * 0.5);
}

TEST(Registry, HistogramFromThreadsIsExact) {
    registry r;
    auto& h = r.add_histogram("size_bytes", "Size.", {1, 2, 4});
    const double values[] = {0.5, 1, 1.5, 3, 100};  // one per bucket, and 1 on a bound (le is inclusive)
    run_threads([&](int) {
        for (int i = 0; i < per_thread; ++i) h.observe(values[i % 5]);
    });
    const std::uint64_t n = threads * per_thread / 5;
    EXPECT_EQ(h.cumulative_counts(), (std::vector<std::uint64_t>{2 * n, 3 * n, 4 * n, 5 * n}));
    EXPECT_EQ(h.sum(), n * (0.5 + 1 + 1.5 + 3 + 100));
}

TEST(Registry, CounterIgnoresNegativeAndNaN) {
    counter c;
    c.inc(2);
    c.inc(-1);
    c.inc(std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(c.value(), 2);
}

TEST(Registry, HistogramCountsNaNInInfBucketOnly) {
    histogram h({1});
    h.observe(std::numeric_limits<double>::quiet_NaN());
    h.observe(-5);
    EXPECT_EQ(h.cumulative_counts(), (std::vector<std::uint64_t>{1, 2}));
    EXPECT_TRUE(std::isnan(h.sum()));
}

TEST(Registry, ChildReferencesStayValid) {
    registry r;
    auto& f = r.gauge_family("g", "G.", {"k"});
    auto& first = f.with({"first"});
    first.set(7);
    for (int i = 0; i < 1000; ++i) f.with({std::to_string(i)});
    EXPECT_EQ(&f.with(label_values{"first"}), &first);
    EXPECT_EQ(first.value(), 7);
}

TEST(Registry, ExposesExactText) {
    registry r;
    auto& requests = r.add_counter("requests_total", "Requests served.");
    requests.inc();
    requests.inc(2);
    auto& temperature =
        r.gauge_family("room_temperature", "Temperature with \\ and\nnewline.", {"room", "floor"});
    temperature.with({"b\"q", "1"}).set(21.5);
    temperature.with({"a\\b\nc", "2"}).set(-3);
    r.gauge_family("unused", "A labelled family without children is left out.", {"x"});
    auto& special = r.gauge_family("special", "Special values.", {"v"});
    special.with({"tenth"}).set(0.1);
    special.with({"inf"}).set(std::numeric_limits<double>::infinity());
    special.with({"minf"}).set(-std::numeric_limits<double>::infinity());
    special.with({"nan"}).set(std::numeric_limits<double>::quiet_NaN());
    special.with({"huge"}).set(1e20);
    special.with({"big_int"}).set(4294967296);
    auto& latency = r.histogram_family("latency_seconds", "Latency.", {0.25, 1, 2.5}, {"method"});
    for (double v : {0.125, 0.5, 0.5, 8.0}) latency.with({"GET"}).observe(v);
    latency.with({"DELETE"}).observe(1);
    r.add_histogram("empty_seconds", "No observations.", {0.0005});

    EXPECT_EQ(r.expose(), R"(# HELP requests_total Requests served.
# TYPE requests_total counter
requests_total 3
# HELP room_temperature Temperature with \\ and\nnewline.
# TYPE room_temperature gauge
room_temperature{room="a\\b\nc",floor="2"} -3
room_temperature{room="b\"q",floor="1"} 21.5
# HELP special Special values.
# TYPE special gauge
special{v="big_int"} 4294967296
special{v="huge"} 1e+20
special{v="inf"} +Inf
special{v="minf"} -Inf
special{v="nan"} NaN
special{v="tenth"} 0.1
# HELP latency_seconds Latency.
# TYPE latency_seconds histogram
latency_seconds_bucket{method="DELETE",le="0.25"} 0
latency_seconds_bucket{method="DELETE",le="1"} 1
latency_seconds_bucket{method="DELETE",le="2.5"} 1
latency_seconds_bucket{method="DELETE",le="+Inf"} 1
latency_seconds_sum{method="DELETE"} 1
latency_seconds_count{method="DELETE"} 1
latency_seconds_bucket{method="GET",le="0.25"} 1
latency_seconds_bucket{method="GET",le="1"} 3
latency_seconds_bucket{method="GET",le="2.5"} 3
latency_seconds_bucket{method="GET",le="+Inf"} 4
latency_seconds_sum{method="GET"} 9.125
latency_seconds_count{method="GET"} 4
# HELP empty_seconds No observations.
# TYPE empty_seconds histogram
empty_seconds_bucket{le="0.0005"} 0
empty_seconds_bucket{le="+Inf"} 0
empty_seconds_sum 0
empty_seconds_count 0
)");
}

TEST(Registry, RejectsInvalidMetricNames) {
    for (const char* name : {"", "1abc", "a-b", "a b", "a.b", "caf\xc3\xa9"}) {
        registry r;
        EXPECT_THROW(r.add_counter(name, "x"), std::invalid_argument) << name;
    }
    registry r;
    for (const char* name : {"a", "_a", ":a:b", "A_1:"}) EXPECT_NO_THROW(r.add_gauge(name, "x")) << name;
}

TEST(Registry, RejectsInvalidLabelNames) {
    for (const char* label : {"", "1a", "a:b", "__x", "a-b"}) {
        registry r;
        EXPECT_THROW(r.counter_family("c", "x", {label}), std::invalid_argument) << label;
    }
    registry r;
    EXPECT_THROW(r.counter_family("dup", "x", {"a", "b", "a"}), std::invalid_argument);
    EXPECT_THROW(r.histogram_family("h", "x", {1}, {"le"}), std::invalid_argument);
    EXPECT_NO_THROW(r.counter_family("le_ok", "x", {"le", "_a", "a_1", "A"}));
    // A failed registration does not take the name.
    EXPECT_NO_THROW(r.counter_family("dup", "x", {"a"}));
}

TEST(Registry, RejectsDuplicateNames) {
    registry r;
    r.add_counter("x", "x");
    r.histogram_family("h", "h", {1}, {"k"});
    EXPECT_THROW(r.add_counter("x", "again"), std::invalid_argument);
    EXPECT_THROW(r.gauge_family("x", "other kind", {"k"}), std::invalid_argument);
    EXPECT_THROW(r.add_histogram("h", "h", {1}), std::invalid_argument);
}

TEST(Registry, RejectsInvalidBounds) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<std::vector<double>> bad = {{1, 1}, {2, 1}, {nan}, {inf}, {1, inf}, {-inf, 0}};
    for (const auto& bounds : bad) {
        registry r;
        EXPECT_THROW(r.add_histogram("h", "h", bounds), std::invalid_argument);
        EXPECT_THROW(histogram{bounds}, std::invalid_argument);
    }
    registry r;
    auto& only_inf = r.add_histogram("h", "h", {});
    only_inf.observe(3);
    EXPECT_EQ(r.expose(), "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 3\nh_count 1\n");
}

TEST(Registry, RejectsWrongLabelCount) {
    registry r;
    auto& two = r.counter_family("two", "x", {"a", "b"});
    EXPECT_THROW(two.with({"x"}), std::invalid_argument);
    EXPECT_THROW(two.with({}), std::invalid_argument);
    EXPECT_THROW(two.with(label_values{"x", "y", "z"}), std::invalid_argument);
    auto& none = r.gauge_family("none", "x");
    EXPECT_THROW(none.with({"x"}), std::invalid_argument);
    EXPECT_EQ(&none.with({}), &none.with(label_values{}));
}

TEST(Registry, CollectorsFollowFamiliesInOrder) {
    registry r;
    r.add_collector([](sample_writer& w) {
        w.family("first_collected", "First.", "gauge");
        w.sample({{"k", "v\"1"}, {"j", "x"}}, 2);
        w.sample({{"k", "a"}}, 1.5);
    });
    r.add_counter("stored_total", "Stored.").inc();
    int calls = 0;
    r.add_collector([&calls](sample_writer& w) {
        ++calls;
        w.family("second_collected_total", "Second.", "counter");
        w.sample(calls);
    });
    const std::string stored = "# HELP stored_total Stored.\n# TYPE stored_total counter\nstored_total 1\n";
    const std::string first =
        "# HELP first_collected First.\n# TYPE first_collected gauge\n"
        "first_collected{k=\"v\\\"1\",j=\"x\"} 2\nfirst_collected{k=\"a\"} 1.5\n";
    const auto second = [](int n) {
        return "# HELP second_collected_total Second.\n# TYPE second_collected_total counter\n"
               "second_collected_total " +
               std::to_string(n) + "\n";
    };
    EXPECT_EQ(r.expose(), stored + first + second(1));
    EXPECT_EQ(r.expose(), stored + first + second(2));  // collectors run on every scrape
}

TEST(Registry, CollectorMisuseThrows) {
    const std::vector<registry::collector> misuses = {
        [](sample_writer& w) { w.sample(1); },
        [](sample_writer& w) { w.family("h", "x", "histogram"); },
        [](sample_writer& w) { w.family("bad-name", "x", "gauge"); },
        [](sample_writer& w) {
            w.family("g", "x", "gauge");
            w.sample({{"__reserved", "v"}}, 1);
        },
    };
    for (const auto& misuse : misuses) {
        registry r;
        r.add_collector(misuse);
        EXPECT_ANY_THROW(r.expose());
    }
    registry r;
    r.add_collector([](sample_writer& w) { w.sample(1); });
    EXPECT_THROW(r.expose(), std::logic_error);
}

TEST(Registry, LatencyBuckets) {
    const auto bounds = latency_buckets();
    ASSERT_EQ(bounds.size(), 14u);
    EXPECT_EQ(bounds.front(), 0.0005);
    EXPECT_EQ(bounds.back(), 10);
    EXPECT_NO_THROW(histogram{bounds});
}

// The exposition, process metrics included, is accepted by the reference Python client's parser.
TEST(Registry, PrometheusClientParsesExposition) {
    if (std::system("/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "/usr/bin/python3 lacks prometheus_client (Debian: python3-prometheus-client)";
    registry r;
    r.add_counter("requests_total", "Requests \\ served\nsecond line.").inc(3);
    auto& temperature = r.gauge_family("room_temperature", "Temperature.", {"room"});
    temperature.with({"a\\b\"c\nd"}).set(-2.5);
    temperature.with({"inf"}).set(std::numeric_limits<double>::infinity());
    temperature.with({"nan"}).set(std::numeric_limits<double>::quiet_NaN());
    auto& latency = r.histogram_family("latency_seconds", "Latency.", latency_buckets(), {"method"});
    latency.with({"GET"}).observe(0.003);
    latency.with({"PUT"}).observe(20);
    r.add_histogram("empty_seconds", "Empty.", {1, 2});
    add_process_collector(r);
    r.add_collector([](sample_writer& w) {
        w.family("collected", "Collected.", "gauge");
        w.sample({{"k", "v"}}, 1e-7);
    });

    const auto path = std::filesystem::temp_directory_path() /
                      ("metrics_exposition_" + std::to_string(::getpid()) + ".txt");
    std::ofstream(path) << r.expose();
    const std::string command =
        "/usr/bin/python3 -c 'import sys; from prometheus_client.parser import "
        "text_string_to_metric_families as "
        "p; list(p(open(sys.argv[1]).read()))' " +
        path.string();
    const int status = std::system(command.c_str());
    std::filesystem::remove(path);
    EXPECT_EQ(status, 0) << r.expose();
}

}  // namespace
}  // namespace dirsync::metrics
