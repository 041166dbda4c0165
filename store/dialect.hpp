#pragma once

#include <span>
#include <string>
#include <string_view>

#include "store/connection.hpp"

/// The few SQL expressions the two engines spell differently, for the table modules. Everything else the
/// store runs is written once, in SQL both engines accept.
namespace dirsync::store::dialect {

/// The JSON array text of `values` (each a JSON string), bound as the parameter of json_array_values: one
/// statement takes a list of any length.
std::string json_array_text(std::span<const std::string> values);

/// A table expression with one text column `value`: the strings of the JSON array `json` (a parameter such
/// as "?3", or a column).
inline std::string json_array_values(engine e, std::string_view json) {
    if (e == engine::postgresql)
        return "jsonb_array_elements_text(CAST(" + std::string(json) + " AS jsonb)) AS json_values(value)";
    return "json_each(" + std::string(json) + ") AS json_values";
}

/// The JSON array text of the `value`s an aggregate query selects (`[]` for none).
inline std::string json_array_of(engine e, std::string_view value) {
    if (e == engine::postgresql) return "COALESCE(CAST(jsonb_agg(" + std::string(value) + ") AS text), '[]')";
    return "json_group_array(" + std::string(value) + ")";
}

/// The integer member `name` of the JSON object in `column`; NULL when absent.
inline std::string json_integer_member(engine e, std::string_view column, std::string_view name) {
    if (e == engine::postgresql)
        return "CAST(CAST(" + std::string(column) + " AS jsonb) ->> '" + std::string(name) + "' AS bigint)";
    return "json_extract(" + std::string(column) + ", '$." + std::string(name) + "')";
}

/// `column` in a condition that must not choose the index: SQLite's unary `+` (its planner would otherwise
/// walk that column's index instead of the one a subquery gives); the column as is for PostgreSQL.
inline std::string not_indexed(engine e, std::string_view column) {
    return (e == engine::postgresql ? "" : "+") + std::string(column);
}

/// Asks the planner to read a table through `index`: SQLite's INDEXED BY, where its planner would pick a
/// worse one; nothing for PostgreSQL, whose planner weighs the indexes by their statistics.
inline std::string use_index(engine e, std::string_view index) {
    if (e == engine::postgresql) return " ";
    return " INDEXED BY " + std::string(index) + " ";
}

}  // namespace dirsync::store::dialect
