#include "scim/resource_list.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "common/unavailable.hpp"

namespace dirsync::scim {

namespace {

using json = nlohmann::json;

/// One match of a sorted list: what it sorts by and how to read it again.
struct sorted_match {
    sort_key key;
    std::size_t part = 0;
    std::string id;
};

bool accepts(const list_query& q, const json& resource, const resource::resource_schema& schema) {
    return q.match == nullptr || matches(*q.match, resource, schema);
}

/// About the length of `v` as compact JSON text (strings counted unescaped), without serialising it.
std::size_t text_size(const json& v) {
    switch (v.type()) {
        case json::value_t::object: {
            std::size_t n = 2;
            for (auto it = v.begin(); it != v.end(); ++it) n += it.key().size() + 4 + text_size(it.value());
            return n;
        }
        case json::value_t::array: {
            std::size_t n = 2;
            for (const auto& item : v) n += 1 + text_size(item);
            return n;
        }
        case json::value_t::string:
            return v.get_ref<const std::string&>().size() + 2;
        default:
            return 8;
    }
}

/// The page being filled: resources until `count` (by the caller's positions) or the byte budget.
class page {
  public:
    explicit page(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    /// False once the budget is spent: nothing more goes in.
    bool open() const { return max_bytes_ == 0 || bytes_ < max_bytes_; }

    void add(json&& resource) {
        if (max_bytes_ != 0) bytes_ += text_size(resource);
        resources_.push_back(std::move(resource));
    }

    json take() { return std::move(resources_); }

  private:
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    json resources_ = json::array();
};

/// Watches a list's time limit and the server's stop request while resources are visited. Checking the clock
/// costs next to nothing against rendering a resource, but is done every `check_every` visits anyway.
class visit_budget {
  public:
    explicit visit_budget(const list_query& q)
        : limit_(q.time_limit),
          deadline_(q.time_limit.count() > 0 ? clock::now() + q.time_limit : clock::time_point::max()),
          stop_(q.stop) {}

    /// Counts one visit; false once the list must stop (then `spent()` or a throw says why).
    bool charge() {
        if (++visits_ % check_every != 0) return true;
        if (stop_.stop_requested())
            throw common::temporarily_unavailable("the server is shutting down; the list was not finished",
                                                  std::chrono::seconds(5), "a list cancelled at shutdown");
        if (clock::now() < deadline_) return true;
        spent_ = true;
        return false;
    }

    bool spent() const { return spent_; }

    error refusal() const {
        return too_many(
            "the filter or sort needed more than " + std::to_string(limit_.count()) +
            " ms, more than this server spends on one; narrow it with an eq on an indexed attribute "
            "(Users: id, userName, externalId, emails.value; Groups: id, displayName, externalId)");
    }

  private:
    using clock = std::chrono::steady_clock;
    static constexpr std::uint64_t check_every = 64;
    std::chrono::milliseconds limit_;
    clock::time_point deadline_;
    std::stop_token stop_;
    std::uint64_t visits_ = 0;
    bool spent_ = false;
};

}  // namespace

boost::system::result<json, error> list_resources(std::span<const list_part> parts, const list_query& q) {
    const std::int64_t first = q.start_index < 1 ? 1 : q.start_index;  // 1-based
    const std::int64_t count = q.count < 0 ? 0 : q.count;
    // Positions [first, last) are returned; computed without overflow for huge startIndex values.
    const std::int64_t last = first > std::numeric_limits<std::int64_t>::max() - count
                                  ? std::numeric_limits<std::int64_t>::max()
                                  : first + count;
    page resources(q.max_bytes);
    visit_budget budget(q);
    std::int64_t total = 0;

    if (q.sort == nullptr && q.match == nullptr) {
        for (const auto& part : parts) {
            const std::int64_t n = part.source->count();
            // This part holds positions [total + 1, total + n].
            const std::int64_t from = std::max(first, total + 1);
            const std::int64_t to = std::min(last, total + n + 1);
            if (from < to)
                if (resources.open())
                    part.source->list(from - total - 1, to - from, [&](json&& r) {
                        resources.add(part.shape->apply(std::move(r)));
                        return resources.open();
                    });
            total += n;
        }
    } else if (q.sort == nullptr) {
        for (const auto& part : parts) {
            const resource::resource_schema& schema = part.source->schema();
            if (budget.spent()) break;
            part.source->scan(*q.match, [&](json&& r) {
                if (!budget.charge()) return false;
                if (!matches(*q.match, r, schema)) return true;
                ++total;
                if (total >= first && total < last && resources.open())
                    resources.add(part.shape->apply(std::move(r)));
                return true;
            });
        }
    } else {
        static const filter everything;
        const bool page_wanted = count > 0;
        std::vector<sorted_match> found;
        for (std::size_t i = 0; i < parts.size() && !budget.spent(); ++i) {
            const resource::resource_schema& schema = parts[i].source->schema();
            parts[i].source->scan(q.match != nullptr ? *q.match : everything, [&](json&& r) {
                if (!budget.charge()) return false;
                if (!accepts(q, r, schema)) return true;
                ++total;
                if (page_wanted) {
                    const auto id = r.is_object() ? r.find("id") : r.end();
                    found.push_back(
                        {make_sort_key(*q.sort, r, schema), i,
                         id != r.end() && id->is_string() ? id->get<std::string>() : std::string()});
                }
                return true;
            });
        }
        if (budget.spent()) return budget.refusal();
        if (page_wanted && first <= static_cast<std::int64_t>(found.size())) {
            std::stable_sort(found.begin(), found.end(), [&](const sorted_match& a, const sorted_match& b) {
                return sorts_before(a.key, b.key, q.sort->direction);
            });
            const auto end = static_cast<std::size_t>(std::min<std::int64_t>(last - 1, total));
            for (auto k = static_cast<std::size_t>(first - 1);
                 k < end && k < found.size() && resources.open(); ++k) {
                const list_part& part = parts[found[k].part];
                auto r = part.source->find(found[k].id);
                if (!r || !accepts(q, *r, part.source->schema())) continue;
                resources.add(part.shape->apply(std::move(*r)));
            }
        }
    }

    if (budget.spent()) return budget.refusal();
    json page_resources = resources.take();
    const auto items = static_cast<std::int64_t>(page_resources.size());
    return json{{"schemas", json::array({std::string(list_response_message_urn)})},
                {"totalResults", total},
                {"itemsPerPage", items},
                {"startIndex", first},
                {"Resources", std::move(page_resources)}};
}

}  // namespace dirsync::scim
