import CGlibcExtras

/// Process-wide memory settings of the engine.
public enum ProcessMemory {
    /// Caps glibc's malloc arenas at two. glibc gives busy threads their own heaps (up to 8 per core),
    /// and each keeps the pages of the batches it freed: with the read-ahead, Bronze and file-writing
    /// threads that was ~20 MiB of the bench's peak for no speed. Call before starting threads.
    public static func limitMallocArenas() {
        _ = pulse_set_malloc_arena_max(2)
    }
}
