#include "scim/resource_list.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/unavailable.hpp"

namespace dirsync::scim {
namespace {

using nlohmann::json;

/// An in-memory resource_collection that records which access paths were used.
class memory_source final : public resource_collection {
  public:
    memory_source(const resource::resource_schema& schema, std::vector<json> items)
        : schema_(schema), items_(std::move(items)) {}

    const resource::resource_schema& schema() const override { return schema_; }
    std::int64_t count() const override {
        ++counts;
        return static_cast<std::int64_t>(items_.size());
    }
    void list(std::int64_t offset, std::int64_t limit, const resource_visitor& visit) const override {
        lists.emplace_back(offset, limit);
        for (auto i = offset; i < offset + limit && i < static_cast<std::int64_t>(items_.size()); ++i)
            if (!visit(json(items_[static_cast<std::size_t>(i)]))) return;
    }
    void scan(const filter&, const resource_visitor& visit) const override {
        ++scans;
        for (const auto& item : items_)
            if (!visit(json(item))) return;
    }
    std::optional<json> find(std::string_view id) const override {
        ++finds;
        for (const auto& item : items_)
            if (item["id"].get<std::string>() == id) return item;
        return std::nullopt;
    }

    std::vector<json>& items() { return items_; }

    mutable int counts = 0;
    mutable int scans = 0;
    mutable int finds = 0;
    mutable std::vector<std::pair<std::int64_t, std::int64_t>> lists;

  private:
    const resource::resource_schema& schema_;
    std::vector<json> items_;
};

std::vector<json> users(int n) {
    // userNames in an order unlike creation order: u0 -> "m", u1 -> "b", ...
    static const char* names[] = {"m", "b", "x", "a", "k", "B", "c"};
    std::vector<json> out;
    for (int i = 0; i < n; ++i) {
        json u = {{"schemas", {std::string(resource::core_user_urn)}},
                  {"id", "u" + std::to_string(i)},
                  {"userName", std::string(names[i % 7]) + (i >= 7 ? std::to_string(i) : "")},
                  {"active", i % 2 == 0}};
        out.push_back(std::move(u));
    }
    return out;
}

std::vector<std::string> ids(const json& response) {
    std::vector<std::string> out;
    for (const auto& r : response["Resources"]) out.push_back(r["id"]);
    return out;
}

struct fixture {
    memory_source source{resource::user_resource_schema(), users(7)};
    projection shape{resource::user_resource_schema()};

    json run(list_query q) {
        const list_part parts[] = {{&source, &shape}};
        return list_resources(parts, q).value();
    }
};

TEST(ResourceListPaging, UnsortedUnfilteredReadsOnlyThePage) {
    fixture f;
    auto r = f.run({nullptr, nullptr, 3, 2});
    EXPECT_EQ(r["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:ListResponse"}));
    EXPECT_EQ(r["totalResults"], 7);
    EXPECT_EQ(r["itemsPerPage"], 2);
    EXPECT_EQ(r["startIndex"], 3);
    EXPECT_EQ(ids(r), (std::vector<std::string>{"u2", "u3"}));
    EXPECT_EQ(f.source.scans, 0);
    ASSERT_EQ(f.source.lists.size(), 1u);
    EXPECT_EQ(f.source.lists[0], (std::pair<std::int64_t, std::int64_t>{2, 2}));
}

TEST(ResourceListPaging, CountZeroAndBeyondTheEnd) {
    fixture f;
    auto zero = f.run({nullptr, nullptr, 1, 0});
    EXPECT_EQ(zero["totalResults"], 7);
    EXPECT_EQ(zero["itemsPerPage"], 0);
    EXPECT_TRUE(zero["Resources"].empty());
    EXPECT_TRUE(f.source.lists.empty());
    auto beyond = f.run({nullptr, nullptr, 100, 10});
    EXPECT_EQ(beyond["totalResults"], 7);
    EXPECT_EQ(beyond["startIndex"], 100);
    EXPECT_TRUE(beyond["Resources"].empty());
    auto tail = f.run({nullptr, nullptr, 6, 10});
    EXPECT_EQ(ids(tail), (std::vector<std::string>{"u5", "u6"}));
    EXPECT_EQ(tail["itemsPerPage"], 2);
    auto huge = f.run({nullptr, nullptr, INT64_MAX, 1000});
    EXPECT_TRUE(huge["Resources"].empty());
}

TEST(ResourceListPaging, FilteredStreamsOnce) {
    fixture f;
    auto active = parse_filter("active eq true");
    ASSERT_TRUE(active);
    auto r = f.run({&*active, nullptr, 2, 2});
    EXPECT_EQ(r["totalResults"], 4);  // u0 u2 u4 u6
    EXPECT_EQ(ids(r), (std::vector<std::string>{"u2", "u4"}));
    EXPECT_EQ(f.source.scans, 1);
    EXPECT_EQ(f.source.finds, 0);
}

TEST(ResourceListPaging, APageStopsAtItsByteBudgetAndPagingStaysCorrect) {
    // Each user is padded to about 1,000 bytes; a budget of 2,500 bytes holds three (the third crosses it).
    fixture f;
    for (auto& u : f.source.items()) u["nickName"] = std::string(1000, 'n');
    auto active = parse_filter("active eq true");
    auto spec = parse_sort_spec("userName", std::nullopt);
    ASSERT_TRUE(active);
    ASSERT_TRUE(spec);
    const filter* const matches[] = {nullptr, &*active};
    const sort_spec* const sorts[] = {nullptr, &*spec};
    for (const filter* match : matches) {
        for (const sort_spec* sort : sorts) {
            const int total = match != nullptr ? 4 : 7;
            std::vector<std::string> seen;
            for (std::int64_t start = 1; start <= total;) {
                list_query q{match, sort, start, 100};
                q.max_bytes = 2500;
                auto page = f.run(q);
                EXPECT_EQ(page["totalResults"], total);
                const auto items = page["itemsPerPage"].get<std::int64_t>();
                ASSERT_GE(items, 1);
                EXPECT_LE(items, 3);
                EXPECT_EQ(page["Resources"].size(), static_cast<std::size_t>(items));
                for (auto& id : ids(page)) seen.push_back(id);
                start += items;
            }
            list_query everything{match, sort, 1, 100};
            EXPECT_EQ(seen, ids(f.run(everything))) << "every match once, in order, across the pages";
        }
    }
    list_query one_big{nullptr, nullptr, 1, 100};
    one_big.max_bytes = 10;  // smaller than any resource: still one per page
    EXPECT_EQ(f.run(one_big)["itemsPerPage"], 1);
}

TEST(ResourceListSorted, PagesAreConsistent) {
    fixture f;
    auto spec = parse_sort_spec("userName", std::nullopt);
    ASSERT_TRUE(spec);
    // Case-insensitive: "b" (u1) and "B" (u5) tie and keep list order.
    const std::vector<std::string> ascending = {"u3", "u1", "u5", "u6", "u4", "u0", "u2"};
    std::vector<std::string> paged;
    for (int start = 1; start <= 7; start += 3) {
        auto page = f.run({nullptr, &*spec, start, 3});
        EXPECT_EQ(page["totalResults"], 7);
        for (auto& id : ids(page)) paged.push_back(id);
    }
    EXPECT_EQ(paged, ascending);

    spec->direction = sort_direction::descending;
    auto all = f.run({nullptr, &*spec, 1, 100});
    EXPECT_EQ(ids(all), (std::vector<std::string>{"u2", "u0", "u4", "u6", "u1", "u5", "u3"}));
}

TEST(ResourceListSorted, MissingValuesAndFilter) {
    fixture f;
    f.source.items()[4].erase("userName");
    auto spec = parse_sort_spec("userName", std::nullopt);
    auto active = parse_filter("active eq true");
    ASSERT_TRUE(spec && active);
    auto asc = f.run({&*active, &*spec, 1, 10});  // u0 "m", u2 "x", u4 none, u6 "c"
    EXPECT_EQ(asc["totalResults"], 4);
    EXPECT_EQ(ids(asc), (std::vector<std::string>{"u6", "u0", "u2", "u4"}));
    spec->direction = sort_direction::descending;
    auto desc = f.run({&*active, &*spec, 1, 10});
    EXPECT_EQ(ids(desc), (std::vector<std::string>{"u4", "u2", "u0", "u6"}));
    auto counted = f.run({&*active, &*spec, 1, 0});
    EXPECT_EQ(counted["totalResults"], 4);
    EXPECT_TRUE(counted["Resources"].empty());
}

TEST(ResourceListSorted, ResourceGoneBeforeThePageIsRead) {
    fixture f;
    auto spec = parse_sort_spec("userName", std::nullopt);
    ASSERT_TRUE(spec);
    struct vanishing final : resource_collection {
        const memory_source& inner;
        explicit vanishing(const memory_source& m) : inner(m) {}
        const resource::resource_schema& schema() const override { return inner.schema(); }
        std::int64_t count() const override { return inner.count(); }
        void list(std::int64_t o, std::int64_t l, const resource_visitor& v) const override {
            inner.list(o, l, v);
        }
        void scan(const filter& x, const resource_visitor& v) const override { inner.scan(x, v); }
        std::optional<json> find(std::string_view id) const override {
            if (id == "u3") return std::nullopt;
            return inner.find(id);
        }
    } gone(f.source);
    const list_part parts[] = {{&gone, &f.shape}};
    auto r = list_resources(parts, {nullptr, &*spec, 1, 2}).value();
    EXPECT_EQ(r["totalResults"], 7);
    EXPECT_EQ(r["itemsPerPage"], 1);
    EXPECT_EQ(ids(r), std::vector<std::string>{"u1"});
}

TEST(ResourceListParts, ConcatenatedAndProjected) {
    memory_source a(resource::user_resource_schema(), users(3));
    std::vector<json> groups = {
        {{"schemas", {std::string(resource::core_group_urn)}}, {"id", "g0"}, {"displayName", "a"}},
        {{"schemas", {std::string(resource::core_group_urn)}}, {"id", "g1"}, {"displayName", "Z"}}};
    memory_source b(resource::group_resource_schema(), groups);
    const std::vector<std::string> only_id = {"id"};
    auto user_shape = projection::make(resource::user_resource_schema(), only_id, {});
    projection group_shape(resource::group_resource_schema());
    ASSERT_TRUE(user_shape);
    const list_part parts[] = {{&a, &*user_shape}, {&b, &group_shape}};

    auto page = list_resources(parts, {nullptr, nullptr, 3, 2}).value();  // across the boundary
    EXPECT_EQ(page["totalResults"], 5);
    EXPECT_EQ(ids(page), (std::vector<std::string>{"u2", "g0"}));
    EXPECT_EQ(page["Resources"][0],
              json({{"schemas", {std::string(resource::core_user_urn)}}, {"id", "u2"}}));
    EXPECT_EQ(page["Resources"][1]["displayName"], "a");

    // Sorted across resource types: userName is unknown to Groups, whose resources sort last.
    auto spec = parse_sort_spec("userName", std::string_view("ascending"));
    ASSERT_TRUE(spec);
    auto sorted = list_resources(parts, {nullptr, &*spec, 1, 10}).value();
    EXPECT_EQ(ids(sorted), (std::vector<std::string>{"u1", "u0", "u2", "g0", "g1"}));
    auto by_display = parse_sort_spec("displayName", std::string_view("descending"));
    ASSERT_TRUE(by_display);
    auto mixed = list_resources(parts, {nullptr, &*by_display, 1, 10}).value();
    EXPECT_EQ(ids(mixed), (std::vector<std::string>{"u0", "u1", "u2", "g1", "g0"}));
}

/// A source whose scan takes `per_item` for every resource, like a scan of a large tenant from the store.
class slow_source final : public resource_collection {
  public:
    slow_source(memory_source& inner, std::chrono::microseconds per_item)
        : inner_(inner), per_item_(per_item) {}
    const resource::resource_schema& schema() const override { return inner_.schema(); }
    std::int64_t count() const override { return inner_.count(); }
    void list(std::int64_t o, std::int64_t l, const resource_visitor& v) const override {
        inner_.list(o, l, v);
    }
    void scan(const filter& x, const resource_visitor& v) const override {
        ++visited;
        inner_.scan(x, [&](json&& r) {
            std::this_thread::sleep_for(per_item_);
            return v(std::move(r));
        });
    }
    std::optional<json> find(std::string_view id) const override { return inner_.find(id); }
    mutable int visited = 0;

  private:
    memory_source& inner_;
    std::chrono::microseconds per_item_;
};

TEST(ResourceListBudget, AScanPastTheTimeLimitIsRefusedWithTooMany) {
    memory_source many(resource::user_resource_schema(), users(2000));
    slow_source slow(many, std::chrono::microseconds(100));  // 0.2 s for the whole scan
    projection shape{resource::user_resource_schema()};
    const list_part parts[] = {{&slow, &shape}};
    auto f = parse_filter("active eq true");
    ASSERT_TRUE(f);
    auto spec = parse_sort_spec("userName", std::string_view("ascending"));
    ASSERT_TRUE(spec);

    const sort_spec* const sorts[] = {nullptr, &*spec};
    for (const sort_spec* sort : sorts) {
        list_query q{&*f, sort, 1, 10};
        q.time_limit = std::chrono::milliseconds(20);
        const auto started = std::chrono::steady_clock::now();
        auto r = list_resources(parts, q);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().status, 400u);
        EXPECT_EQ(r.error().scim_type, "tooMany");
        EXPECT_NE(r.error().detail.find("indexed attribute"), std::string::npos);
        // Abandoned soon after the limit, not at the end of the scan.
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
    }

    list_query unlimited{&*f, nullptr, 1, 10};  // the same scan without a limit finishes
    auto r = list_resources(parts, unlimited);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)["totalResults"], 1000);
}

TEST(ResourceListBudget, AStopRequestAbandonsTheScanAsUnavailable) {
    memory_source many(resource::user_resource_schema(), users(500));
    projection shape{resource::user_resource_schema()};
    const list_part parts[] = {{&many, &shape}};
    auto f = parse_filter("active eq true");
    ASSERT_TRUE(f);
    std::stop_source stop;
    stop.request_stop();
    list_query q{&*f, nullptr, 1, 10};
    q.stop = stop.get_token();
    EXPECT_THROW(list_resources(parts, q), common::temporarily_unavailable);
}

}  // namespace
}  // namespace dirsync::scim
