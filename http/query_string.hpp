#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dirsync::http {

/// Splits an origin-form target into its path and its raw query (without '?').
std::pair<std::string_view, std::string_view> split_target(std::string_view target) noexcept;

/// `s` percent-encoded for a path segment or a query value: every byte but RFC 3986's unreserved characters
/// (letters, digits, '-', '.', '_', '~') becomes %XX.
std::string percent_encode(std::string_view s);

/// Percent-decodes `s`; in a query, '+' stands for a space. nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

/// The decoded parameters of a query string, in order. Names compare case-insensitively (clients differ
/// on `startIndex` vs `startindex`).
class query_params {
  public:
    /// Parses `a=b&c=d`. nullopt when a name or value has a malformed percent escape.
    static std::optional<query_params> parse(std::string_view raw_query);

    /// The value of the last parameter named `name`, if any.
    std::optional<std::string_view> get(std::string_view name) const;

    /// Every value of the parameters named `name`, in order (a form's checkboxes of one name).
    std::vector<std::string_view> all(std::string_view name) const;

    /// Every parameter, in order.
    const std::vector<std::pair<std::string, std::string>>& items() const noexcept { return items_; }

  private:
    std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace dirsync::http
