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
    /// Records refused before they were sent: larger than the broker accepts (counted in `produced` and
    /// `failed` too, so the books balance).
    public let refused = Atomic<Int>(0)
    /// Whether the producer is holding back because the engine has not committed enough of what the
    /// embedded broker holds (`RetentionGuard`), and how many times it started to.
    public let heldBack = Atomic<Bool>(false)
    public let holdBacks = Atomic<Int>(0)
    private let partitions = Mutex<[PartitionDelivery]>([])

    /// What the broker acknowledged in one partition: the offset after the last record, and the records
    /// and payload bytes delivered there.
    public struct PartitionDelivery: Sendable, Equatable {
        public var end: Int64 = 0
        public var records: Int64 = 0
        public var bytes: Int64 = 0
    }

    public init(topic: String) {
        self.topic = topic
    }

    /// Notes a delivery report: record of `bytes` key and value bytes at `offset` of `partition`.
    public func recordDelivery(partition: Int32, offset: Int64, bytes: Int) {
        guard partition >= 0, partition < 1 << 16 else { return }
        partitions.withLock { list in
            let p = Int(partition)
            if p >= list.count {
                list.append(contentsOf: repeatElement(PartitionDelivery(), count: p + 1 - list.count))
            }
            list[p].end = max(list[p].end, offset + 1)
            list[p].records += 1
            list[p].bytes += Int64(bytes)
        }
    }

    /// Per partition, what the broker acknowledged so far.
    public var deliveries: [PartitionDelivery] { partitions.withLock { $0 } }

    /// A consistent-enough copy for display.
    public var snapshot: ProduceCountersSnapshot {
        ProduceCountersSnapshot(
            topic: topic, produced: produced.load(ordering: .relaxed), delivered: delivered.load(ordering: .relaxed),
            failed: failed.load(ordering: .relaxed), malformed: malformed.load(ordering: .relaxed),
            refused: refused.load(ordering: .relaxed), heldBack: heldBack.load(ordering: .relaxed),
            holdBacks: holdBacks.load(ordering: .relaxed))
    }
}

/// A point-in-time copy of `ProduceCounters`.
public struct ProduceCountersSnapshot: Sendable, Equatable {
    public var topic: String
    public var produced: Int
    public var delivered: Int
    public var failed: Int
    public var malformed: Int
    public var refused: Int = 0
    public var heldBack: Bool = false
    public var holdBacks: Int = 0
    public var inFlight: Int { produced - delivered - failed }
}
