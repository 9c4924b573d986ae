import Synchronization

/// Connection state of the Kafka clients as the user should see it: connected, or retrying since
/// when and why. librdkafka reconnects by itself; this only makes its errors visible, and the requests
/// a stalled broker leaves unanswered (it reports no error for those until its 60 s request timeout).
public final class BrokerHealth: Sendable {
    /// What the dashboard and the status line show about the broker.
    public struct Status: Sendable, Equatable {
        public var lastError: String?
        public var failingSinceMicros: Int64?
        public var errorCount: Int
        public var isHealthy: Bool { failingSinceMicros == nil }
    }

    /// A blocking request in flight: what it asks and since when the broker has been silent.
    private struct Wait {
        var what: String
        var sinceMicros: Int64
        var startedMicros: Int64
    }

    private struct State {
        var status = Status(lastError: nil, failingSinceMicros: nil, errorCount: 0)
        var waits: [Int: Wait] = [:]
        var nextWait = 0
    }

    private let state = Mutex(State())
    /// How long a request may go unanswered before the broker shows as failing.
    private let stallMicros: Int64

    public init(stallSeconds: Double = 5) {
        stallMicros = Int64(stallSeconds * 1e6)
    }

    /// The state now: a request unanswered for longer than the stall time counts as a failure that
    /// began when the broker last answered.
    public var status: Status {
        let now = WallClock.nowMicros()
        return state.withLock { state in
            var status = state.status
            if let oldest = state.waits.values.min(by: { $0.startedMicros < $1.startedMicros }),
                now - oldest.startedMicros >= stallMicros
            {
                status.failingSinceMicros = min(status.failingSinceMicros ?? .max, oldest.sinceMicros)
                status.lastError = "no answer to \(oldest.what) for \((now - oldest.startedMicros) / 1_000_000) s"
            }
            return status
        }
    }

    /// Records a client-level error (transport, all brokers down, ...). `since` is when the failure began
    /// when the caller knows it is earlier than now (the last answer before a stalled broker went silent);
    /// a spell starts at the earliest such time.
    public func recordFailure(_ message: String, atMicros now: Int64 = WallClock.nowMicros(), since: Int64? = nil) {
        let began = min(now, since ?? now)
        state.withLock {
            $0.status.lastError = message
            $0.status.errorCount += 1
            if $0.status.failingSinceMicros.map({ began < $0 }) ?? true { $0.status.failingSinceMicros = began }
        }
    }

    /// Records that a request succeeded, which ends a failure spell.
    public func recordSuccess() {
        state.withLock {
            if $0.status.failingSinceMicros != nil { $0.status.failingSinceMicros = nil }
        }
    }

    /// Runs `request`, a blocking call to the broker, and shows it as a broker failure while it goes
    /// unanswered beyond the stall time; `since` is when the broker last answered.
    public func awaitingAnswer<T>(_ what: String, since: Int64, _ request: () throws -> T) rethrows -> T {
        let started = WallClock.nowMicros()
        let token = state.withLock {
            $0.nextWait += 1
            $0.waits[$0.nextWait] = Wait(what: what, sinceMicros: min(since, started), startedMicros: started)
            return $0.nextWait
        }
        defer { _ = state.withLock { $0.waits.removeValue(forKey: token) } }
        return try request()
    }
}
