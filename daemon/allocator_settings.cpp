// jemalloc's settings for dirsyncd, read by jemalloc when the process starts (built only when dirsyncd links
// jemalloc, DIRSYNC_JEMALLOC). The MALLOC_CONF environment variable adds to them or overrides them, for
// diagnosis (MALLOC_CONF=stats_print:true prints the allocator's statistics at exit).

// background_thread: a thread of jemalloc's returns freed pages to the system as they age (dirty_decay_ms,
// 10 s by default) even when nothing allocates any more: a daemon that reconciled 100,000 entries and then
// waits for the next run gives the run's memory back within seconds instead of holding it until the next
// allocation wakes the allocator.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's (man 3 jemalloc, "TUNING").
const char* malloc_conf = "background_thread:true";
}
