import Synchronization

/// Connection state of the Kafka clients as the user should see it: connected, or retrying since
/// when and why. librdkafka reconnects by itself; this only makes its errors visible.
public final class BrokerHealth: Sendable {
    /// What the dashboard and the status line show about the broker.
    public struct Status: Sendable, Equatable {
        public var lastError: String?
        public var failingSinceMicros: Int64?
        public var errorCount: Int
        public var isHealthy: Bool { failingSinceMicros == nil }
    }

    private let state = Mutex(Status(lastError: nil, failingSinceMicros: nil, errorCount: 0))

    public init() {}

    public var status: Status { state.withLock { $0 } }

    /// Records a client-level error (transport, all brokers down, ...).
    public func recordFailure(_ message: String, atMicros now: Int64 = WallClock.nowMicros()) {
        state.withLock {
            $0.lastError = message
            $0.errorCount += 1
            if $0.failingSinceMicros == nil { $0.failingSinceMicros = now }
        }
    }

    /// Records that a request succeeded, which ends a failure spell.
    public func recordSuccess() {
        state.withLock {
            if $0.failingSinceMicros != nil { $0.failingSinceMicros = nil }
        }
    }
}
