#pragma once

// Internal to config/: the reader of the `sources:` section, called from load.cpp. Not installed, not for
// other modules (they use config/settings.hpp).

#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "config/yaml_reader.hpp"

namespace dirsync::config {

/// What the sources reader needs from the rest of the document.
struct source_section_context {
    /// The whole configuration text, to tell where inside a scalar an expression's characters are.
    std::string_view yaml_text;
    /// The tenants read so far (`tenant:` must name one of them).
    const std::vector<tenant_settings>& tenants;
};

/// Reads `sources:` (a list of sources) into `out`, reporting every problem to `sink`. Every item is
/// appended, even one with problems, so that later checks (sync's mapping rules) can still report theirs.
void read_sources(diagnostics_sink& sink, const yaml_field& field, const source_section_context& context,
                  std::vector<source_settings>& out);

}  // namespace dirsync::config
