#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/settings.hpp"
#include "sync/entry_mapper.hpp"

namespace dirsync::sync {

/// Compiles the mapping rules of every source in `s` (source_mapper::compile) and appends the problems
/// found, with their file positions, to `out`. Meant for config::load_options::check, so that a bad
/// expression is reported with every other configuration problem at load:
///
///     config::load_options options;
///     options.check = sync::check_sources;
///     auto settings = config::load_settings_file(path, options);
void check_sources(const config::settings& s, std::vector<config::diagnostic>& out);

/// Compiles the rules of one source of `s`; nullopt with the problems in `out` (for the daemon, which
/// checked them at load already).
std::optional<source_mapper> compile_source(const config::settings& s, const config::source_settings& source,
                                            std::vector<config::diagnostic>& out);

}  // namespace dirsync::sync
