import Synchronization

/// Counts for one topic's producer side: every record handed to Kafka ends as delivered or failed,
/// so `produced - delivered - failed` is what is still in flight and nothing vanishes uncounted.
public final class ProduceCounters: Sendable {
    public let topic: String
    public let produced = Atomic<Int>(0)
    public let delivered = Atomic<Int>(0)
    public let failed = Atomic<Int>(0)
    /// Records the simulation made malformed on purpose (`--bad-records`).
    public let malformed = Atomic<Int>(0)

    public init(topic: String) {
        self.topic = topic
    }

    /// A consistent-enough copy for display.
    public var snapshot: ProduceCountersSnapshot {
        ProduceCountersSnapshot(
            topic: topic, produced: produced.load(ordering: .relaxed), delivered: delivered.load(ordering: .relaxed),
            failed: failed.load(ordering: .relaxed), malformed: malformed.load(ordering: .relaxed))
    }
}

/// A point-in-time copy of `ProduceCounters`.
public struct ProduceCountersSnapshot: Sendable, Equatable {
    public var topic: String
    public var produced: Int
    public var delivered: Int
    public var failed: Int
    public var malformed: Int
    public var inFlight: Int { produced - delivered - failed }
}
