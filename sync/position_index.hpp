#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace dirsync::sync {

/// Positions in a growing sequence of strings (a vector of records), found by the string at each position.
/// Unlike views of the strings, positions stay valid while the vector grows and moves its elements (a short
/// string lives inside its element). Open addressing in one array of 8-byte slots (a 32-bit hash and the
/// position): 100,000 positions take 2 MiB and no allocation each, where a node-based set takes about 3.
/// At most 2^32 - 2 positions. Not thread-safe.
class position_index {
  public:
    /// `text` gives the string at a position; it is called for positions given to insert only.
    explicit position_index(std::function<std::string_view(std::size_t)> text);

    /// Adds `position` unless its string is there already; the position that has it otherwise (and nothing
    /// is added).
    std::optional<std::size_t> insert(std::size_t position);
    /// The position whose string is `text`.
    std::optional<std::size_t> find(std::string_view text) const;
    /// Makes room for `n` positions without growing.
    void reserve(std::size_t n);
    /// Forgets every position and frees the memory.
    void release();
    std::size_t size() const noexcept { return size_; }

  private:
    static std::uint32_t hash_of(std::string_view text) noexcept;
    /// The slot `text` (of hash `h`) is in, or the empty slot where it would go.
    std::size_t slot_of(std::string_view text, std::uint32_t h) const;
    void grow_to(std::size_t slots);

    std::function<std::string_view(std::size_t)> text_;
    std::vector<std::uint64_t> slots_;  ///< 0: empty; else hash << 32 | (position + 1)
    std::size_t size_ = 0;
};

}  // namespace dirsync::sync
