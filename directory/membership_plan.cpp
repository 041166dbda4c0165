#include "directory/membership_plan.hpp"

#include <unordered_map>
#include <unordered_set>

namespace dirsync::directory {

namespace {

struct entry {
    member_ref ref;
    bool present = false;
};

class overlay {
  public:
    entry& at(const std::string& id) {
        auto [it, added] = index_.try_emplace(id, entries_.size());
        if (added) entries_.push_back(entry{member_ref{id, std::nullopt, std::nullopt}, false});
        return entries_[it->second];
    }

    void add(const member_ref& r) {
        entry& e = at(r.id);
        e.present = true;
        if (r.type) e.ref.type = r.type;
        if (r.display) e.ref.display = r.display;
    }

    void remove(const std::string& id) {
        entry& e = at(id);
        e.present = false;
    }

    void remove_all() {
        cleared_ = true;
        entries_.clear();
        index_.clear();
    }

    void remove_matching(const std::function<bool(const group_member&)>& matches,
                         const stored_members& stored) {
        std::unordered_set<std::string> seen;
        if (!cleared_ && stored) {
            std::vector<std::string> hits;  // not inserted while visiting: `at` may reallocate
            stored([&](const group_member& s) {
                auto it = index_.find(s.id);
                if (it == index_.end()) {
                    if (matches(s)) hits.push_back(s.id);
                    return;
                }
                entry& e = entries_[it->second];
                seen.insert(s.id);
                if (!e.present) return;
                group_member effective{s.id, e.ref.type.value_or(s.type), s.display};
                if (matches(effective)) e.present = false;
            });
            for (const auto& id : hits) remove(id);
        }
        for (auto& e : entries_) {
            if (!e.present || seen.contains(e.ref.id)) continue;
            group_member m{e.ref.id, e.ref.type.value_or(member_type::user), e.ref.display};
            if (matches(m)) e.present = false;
        }
    }

    membership_delta take() && {
        membership_delta d;
        d.replace = cleared_;
        for (auto& e : entries_) {
            if (e.present)
                d.put.push_back(std::move(e.ref));
            else if (!cleared_)
                d.drop.push_back(std::move(e.ref.id));
        }
        return d;
    }

  private:
    bool cleared_ = false;
    std::vector<entry> entries_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

membership_delta fold_member_steps(std::span<const member_step> steps, const stored_members& stored) {
    overlay o;
    for (const auto& step : steps) {
        switch (step.what) {
            case member_step::kind::add:
                for (const auto& r : step.members) o.add(r);
                break;
            case member_step::kind::remove:
                for (const auto& r : step.members) o.remove(r.id);
                break;
            case member_step::kind::remove_all:
                o.remove_all();
                break;
            case member_step::kind::remove_matching:
                if (step.matches) o.remove_matching(step.matches, stored);
                break;
        }
    }
    return std::move(o).take();
}

}  // namespace dirsync::directory
