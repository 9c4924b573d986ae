/// Everything a run counts, in one place the dashboard and the headless reporter read.
/// Writers (producers, engine) update atomics; readers take snapshots and never block them.
public final class RunMetrics: Sendable {
    public let brokerDescription: String
    public let brokerHealth: BrokerHealth
    public let produce: [ProduceCounters]
    public let startedMicros: Int64

    public init(brokerDescription: String, topics: [String], brokerHealth: BrokerHealth = BrokerHealth()) {
        self.brokerDescription = brokerDescription
        self.brokerHealth = brokerHealth
        self.produce = topics.map { ProduceCounters(topic: $0) }
        self.startedMicros = WallClock.nowMicros()
    }

    /// The producer counters of `topic`.
    public func produceCounters(_ topic: String) -> ProduceCounters? {
        produce.first { $0.topic == topic }
    }

    /// A copy of every figure at one instant, for display.
    public func snapshot() -> RunMetricsSnapshot {
        RunMetricsSnapshot(
            takenMicros: WallClock.nowMicros(), startedMicros: startedMicros, brokerDescription: brokerDescription,
            broker: brokerHealth.status, produce: produce.map(\.snapshot))
    }
}

/// A point-in-time copy of `RunMetrics`.
public struct RunMetricsSnapshot: Sendable {
    public var takenMicros: Int64
    public var startedMicros: Int64
    public var brokerDescription: String
    public var broker: BrokerHealth.Status
    public var produce: [ProduceCountersSnapshot]
    public var elapsedSeconds: Double { Double(takenMicros - startedMicros) / 1e6 }
}
