#include "sync/position_index.hpp"

#include <bit>
#include <stdexcept>
#include <utility>

namespace dirsync::sync {

namespace {

constexpr std::uint64_t no_position = 0xffffffffu;

std::uint32_t hash_part(std::uint64_t slot) noexcept { return static_cast<std::uint32_t>(slot >> 32); }
std::size_t position_part(std::uint64_t slot) noexcept {
    return static_cast<std::size_t>(slot & 0xffffffffu) - 1;
}

}  // namespace

position_index::position_index(std::function<std::string_view(std::size_t)> text) : text_(std::move(text)) {}

std::uint32_t position_index::hash_of(std::string_view text) noexcept {
    const std::uint64_t h = std::hash<std::string_view>{}(text);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

std::size_t position_index::slot_of(std::string_view text, std::uint32_t h) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const std::uint64_t s = slots_[i];
        if (s == 0 || (hash_part(s) == h && text_(position_part(s)) == text)) return i;
    }
}

void position_index::grow_to(std::size_t slots) {
    std::vector<std::uint64_t> old(slots, 0);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t s : old) {
        if (s == 0) continue;
        std::size_t i = hash_part(s) & mask;
        while (slots_[i] != 0) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

void position_index::reserve(std::size_t n) {
    // At most half full: probes stay short.
    const std::size_t wanted = std::bit_ceil(std::max<std::size_t>(2 * n, 16));
    if (wanted > slots_.size()) grow_to(wanted);
}

std::optional<std::size_t> position_index::insert(std::size_t position) {
    if (position >= no_position - 1) throw std::length_error("position_index: too many positions");
    if (2 * (size_ + 1) > slots_.size()) reserve(std::max<std::size_t>(size_ + 1, 2 * size_));
    const std::string_view text = text_(position);
    const std::uint32_t h = hash_of(text);
    const std::size_t i = slot_of(text, h);
    if (slots_[i] != 0) return position_part(slots_[i]);
    slots_[i] = static_cast<std::uint64_t>(h) << 32 | (position + 1);
    ++size_;
    return std::nullopt;
}

std::optional<std::size_t> position_index::find(std::string_view text) const {
    if (slots_.empty()) return std::nullopt;
    const std::size_t i = slot_of(text, hash_of(text));
    if (slots_[i] == 0) return std::nullopt;
    return position_part(slots_[i]);
}

void position_index::release() {
    std::vector<std::uint64_t>().swap(slots_);
    size_ = 0;
}

}  // namespace dirsync::sync
