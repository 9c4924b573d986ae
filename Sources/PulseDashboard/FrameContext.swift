/// What every view of one frame reads: the engine's snapshot and the wall clock at composition time.
struct FrameContext: Sendable {
    var snapshot: DashboardSnapshot
    var wallNowMicros: Int64

    /// Wall seconds since the run started.
    var uptimeSeconds: Int64 { max(0, (wallNowMicros - snapshot.wallStartedMicros) / 1_000_000) }
}
