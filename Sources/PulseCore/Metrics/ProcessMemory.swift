import CGlibcExtras
import Glibc

/// Process-wide memory settings of the engine.
public enum ProcessMemory {
    /// Caps glibc's malloc arenas at two. glibc gives busy threads their own heaps (up to 8 per core),
    /// and each keeps the pages of the batches it freed: with the read-ahead, Bronze and file-writing
    /// threads that was ~20 MiB of the bench's peak for no speed. Call before starting threads.
    public static func limitMallocArenas() {
        _ = pulse_set_malloc_arena_max(2)
    }

    /// Gives the heap's free pages back to the kernel (`malloc_trim`): called after each compaction round,
    /// whose inputs are the largest transient allocations of a long run.
    public static func returnFreeMemory() {
        pulse_malloc_trim()
    }

    /// Resident memory of this process in MiB (VmRSS of /proc/self/status), 0 when unreadable.
    public static func residentMiB() -> Double {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
        else { return 0 }
        return kib / 1024
    }
}
