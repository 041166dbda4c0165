#pragma once

#include "metrics/registry.hpp"

namespace dirsync::metrics {

/// Registers a collector writing the standard process metrics of the Prometheus clients, read from Linux
/// /proc at every scrape: process_cpu_seconds_total, process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_open_fds, process_max_fds, process_start_time_seconds. A value it
/// cannot read is left out; the collector never throws.
void add_process_collector(registry& r);

}  // namespace dirsync::metrics
