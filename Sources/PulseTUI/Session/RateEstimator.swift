/// Events per second of a counter, measured from step to step.
///
/// Counters here grow in steps: a table's rows and the engine's records read jump once per micro-batch. Read
/// over a fixed window shorter than the gap between steps, such a counter shows 0 or a multiple of its rate (a
/// 2 s trigger read every second showed `cons 20/s` for 10 records a second). Measured between the instants
/// it changed, over the last `window` seconds, it shows the rate the steps add up to; when the steps stop, the
/// silence counts, so the rate falls to 0.
struct RateEstimator: Sendable {
    /// Seconds of steps the rate is measured over.
    let window: Double
    /// When the counter took each value, oldest first: the newest change at or before the window's start and
    /// every change since.
    private(set) var changes: [(seconds: Double, value: Int64)] = []

    init(window: Double = 10) {
        self.window = window
    }

    /// Notes the counter's `value` read at `seconds` (a monotonic clock).
    mutating func observe(_ value: Int64, at seconds: Double) {
        if let last = changes.last {
            if last.value == value { return }
            // A counter that went down was replaced (a restarted table): measure afresh.
            if value < last.value { changes.removeAll() }
        }
        changes.append((seconds, value))
        while changes.count > 2, changes[1].seconds <= seconds - window { changes.removeFirst() }
    }

    /// The rate at `now`: nil until the counter has changed or been watched for 3 s, 0 while it stands still.
    func perSecond(at now: Double) -> Double? {
        guard let first = changes.first, let last = changes.last else { return nil }
        if changes.count == 1 { return now - first.seconds >= 3 ? 0 : nil }
        let span = last.seconds - first.seconds
        guard span > 0 else { return nil }
        let silence = now - last.seconds
        if silence > window { return 0 }
        // Silent for well over the usual gap between changes: the flow stopped or slowed, and the silence counts.
        let typicalGap = span / Double(changes.count - 1)
        let end = silence > 2 * typicalGap + 0.5 ? now : last.seconds
        return Double(last.value - first.value) / (end - first.seconds)
    }
}

/// Rate estimators by name ("produced:bike", "read:weather", "rows:bronze/bike"), fed from the same snapshots.
struct RateBoard: Sendable {
    let window: Double
    private var estimators: [String: RateEstimator] = [:]

    init(window: Double = 10) {
        self.window = window
    }

    mutating func observe(_ name: String, _ value: Int64, at seconds: Double) {
        estimators[name, default: RateEstimator(window: window)].observe(value, at: seconds)
    }

    func perSecond(_ name: String, at now: Double) -> Double? {
        estimators[name]?.perSecond(at: now)
    }
}
