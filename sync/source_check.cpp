#include "sync/source_check.hpp"

#include "config/schema_section.hpp"

namespace dirsync::sync {

void check_sources(const config::settings& s, std::vector<config::diagnostic>& out) {
    if (s.sources.empty()) return;
    const auto schemas = config::served_schemas(s.schemas);
    for (const auto& source : s.sources)
        source_mapper::compile(source, schemas->users(), schemas->groups(), s.source_file, out);
}

std::optional<source_mapper> compile_source(const config::settings& s, const config::source_settings& source,
                                            std::vector<config::diagnostic>& out) {
    const auto schemas = config::served_schemas(s.schemas);
    return source_mapper::compile(source, schemas->users(), schemas->groups(), s.source_file, out);
}

}  // namespace dirsync::sync
