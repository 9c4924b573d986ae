import PulseCore

/// The clock that stamps event_time: simulated time runs `speed` times faster than the wall clock
/// (`--speed N`), so hourly and daily windows close in minutes.
///
/// event time = start + (wall - wallStart) * speed. Driven with explicit wall times it is fully
/// deterministic; `eventTimeMicros()` reads CLOCK_MONOTONIC for live runs.
public struct SimulatedClock: Sendable {
    /// Simulated epoch micros at `wallStartMicros`.
    public let startEpochMicros: Int64
    /// Simulated seconds per wall second (> 0).
    public let speed: Double
    /// Monotonic wall micros the clock started at.
    public let wallStartMicros: Int64

    /// A clock starting at `startEpochMicros` when the monotonic wall clock reads `wallStartMicros`.
    public init(startEpochMicros: Int64, speed: Double, wallStartMicros: Int64) throws(ProducerError) {
        guard speed.isFinite, speed > 0 else {
            throw ProducerError("--speed must be a finite number > 0, got \(speed)")
        }
        self.startEpochMicros = startEpochMicros
        self.speed = speed
        self.wallStartMicros = wallStartMicros
    }

    /// A clock that starts now: simulated time begins at `startEpochMicros` (default: the real
    /// UTC time now) and advances `speed` times faster than the monotonic clock.
    public static func startingNow(speed: Double, startEpochMicros: Int64? = nil) throws(ProducerError)
        -> SimulatedClock
    {
        try SimulatedClock(
            startEpochMicros: startEpochMicros ?? WallClock.nowMicros(), speed: speed,
            wallStartMicros: WallClock.monotonicMicros())
    }

    /// Simulated epoch micros at a monotonic wall time.
    @inlinable
    public func eventTimeMicros(atWallMicros wall: Int64) -> Int64 {
        let elapsed = wall - wallStartMicros
        if speed == speed.rounded(), speed <= 1e6 {
            // Integral speeds stay exact in integer arithmetic.
            let (product, overflow) = elapsed.multipliedReportingOverflow(by: Int64(speed))
            if !overflow { return startEpochMicros &+ product }
        }
        return startEpochMicros &+ Int64((Double(elapsed) * speed).rounded(.down))
    }

    /// Simulated epoch micros now.
    public func eventTimeMicros() -> Int64 {
        eventTimeMicros(atWallMicros: WallClock.monotonicMicros())
    }

    /// The monotonic wall time at which simulated time reaches `eventTime` (for scheduling).
    public func wallMicros(atEventTime eventTime: Int64) -> Int64 {
        wallStartMicros + Int64((Double(eventTime - startEpochMicros) / speed).rounded(.up))
    }
}
