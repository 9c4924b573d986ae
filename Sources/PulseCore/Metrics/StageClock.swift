/// Where a micro-batch's time goes, stage by stage, on the engine's thread: laps of a monotonic clock.
/// Summed over a run in `PipelineMetricsSnapshot.stageSeconds`, which `make bench` prints, so a profile's
/// split is visible without a profiler.
struct StageClock {
    private var last = WallClock.monotonicSeconds()
    private(set) var laps: [(stage: String, seconds: Double)] = []

    /// Ends the current stage, named `stage`, and starts the next.
    mutating func lap(_ stage: String) {
        let now = WallClock.monotonicSeconds()
        laps.append((stage, now - last))
        last = now
    }

    /// Adds the time of a stage that ran on another thread (not part of this thread's laps).
    mutating func record(_ stage: String, seconds: Double) {
        laps.append((stage, seconds))
    }
}
