import Glibc

/// Real time in microseconds, for stamps and rates; the simulated event clock lives in PulseProducers.
public enum WallClock {
    /// Microseconds since the Unix epoch (CLOCK_REALTIME).
    public static func nowMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    /// Milliseconds since the Unix epoch (CLOCK_REALTIME): Delta's modificationTime and commit timestamps.
    public static func nowMilliseconds() -> Int64 { nowMicros() / 1000 }

    /// Monotonic microseconds, for schedules that must not jump with the wall clock (the simulated clock).
    public static func monotonicMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    /// Monotonic seconds, for measuring durations that must not jump with the wall clock.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
