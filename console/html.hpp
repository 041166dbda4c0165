#pragma once

// Internal to dirsync_console: text into HTML, and the few fragments every page repeats.

#include <initializer_list>
#include <string>
#include <string_view>

namespace dirsync::console {

/// `text` safe inside an element or a quoted attribute value: & < > " ' as character references. Invalid
/// UTF-8 is replaced (U+FFFD), so a page never carries bytes a browser would guess about.
std::string escape(std::string_view text);

/// A link: <a href="href">text</a>, both escaped.
std::string link(std::string_view href, std::string_view text);

/// A table's heading cell: its label, and whether the column holds numbers (right-aligned).
struct column {
    std::string_view label;
    bool numeric = false;
};

/// Opens a table with id `id` and a header row of `columns`, up to and including <tbody>; close it with
/// "</tbody></table>".
std::string table_start(std::string_view id, std::initializer_list<column> columns);

/// A count with its noun: "1 user", "3 users" (plural by adding "s" unless `plural` is given).
std::string counted(long long n, std::string_view noun, std::string_view plural = {});

}  // namespace dirsync::console
