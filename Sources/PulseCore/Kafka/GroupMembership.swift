import CRdKafka
import Synchronization

/// How a reader joins a Kafka consumer group, so several engines share a topic's partitions.
public struct ConsumerGroup: Sendable, Equatable {
    /// The group id; every member of it splits the topics among themselves.
    public var name: String
    /// How long the group waits for a silent member before giving its partitions away.
    public var sessionTimeoutMs: Int

    public init(name: String, sessionTimeoutMs: Int = 45_000) {
        self.name = name
        self.sessionTimeoutMs = sessionTimeoutMs
    }
}

/// Which partitions of its topic this member owns, as the group's rebalances decide, and whether that
/// changed since the engine last looked. The Delta log is the only offset store (kafka-delta-ingest's
/// rule): a partition is assigned paused, and the engine seeks it to where its tables say it ends
/// (`TopicReader.resume`) before reading it, so no offset committed to Kafka ever matters.
final class GroupMembership: Sendable {
    private struct State {
        var owned: Set<Int32> = []
        var changed = false
        var rebalances = 0
    }
    private let state = Mutex(State())

    /// Partitions owned now.
    var owned: Set<Int32> { state.withLock { $0.owned } }

    /// Whether a rebalance happened since the last call (and clears it).
    func takeChange() -> Bool {
        state.withLock { s in
            defer { s.changed = false }; return s.changed
        }
    }

    /// Rebalances seen.
    var rebalances: Int { state.withLock { $0.rebalances } }

    /// librdkafka's rebalance event, on the thread that polls the consumer (the engine's): assignments are
    /// taken paused, revocations given back at once (the engine drops the batch in hand: nothing of a
    /// partition it no longer owns is committed).
    func handle(
        _ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        var partitions: [Int32] = []
        if let list {
            for i in 0..<Int(list.pointee.cnt) {
                partitions.append(list.pointee.elems[i].partition)
                list.pointee.elems[i].offset = -2  // RD_KAFKA_OFFSET_BEGINNING: never fetched, paused below
            }
        }
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) { rd_kafka_error_destroy(error) }
            } else {
                _ = rd_kafka_assign(rk, list)
            }
            if let list { _ = rd_kafka_pause_partitions(rk, list) }
            state.withLock { s in
                let before = s.owned
                if !cooperative { s.owned = [] }
                s.owned.formUnion(partitions)
                // A cooperative rebalance that gives this member nothing new changes nothing here.
                // Eager: every partition was just assigned anew, paused, and must be resumed.
                if !cooperative || s.owned != before { s.changed = true }
                s.rebalances += 1
            }
        default:
            if cooperative, err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS {
                if let error = rd_kafka_incremental_unassign(rk, list) { rd_kafka_error_destroy(error) }
                state.withLock { s in
                    let before = s.owned
                    s.owned.subtract(partitions)
                    // Eager: every partition was just assigned anew, paused, and must be resumed.
                    if !cooperative || s.owned != before { s.changed = true }
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
                state.withLock { s in
                    if !s.owned.isEmpty { s.changed = true }
                    s.owned = []
                }
            }
        }
    }
}

/// The C rebalance callback: hands the event to the reader's `GroupMembership`.
let groupRebalance:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { rk, err, list, opaque in
        guard let rk, let opaque else { return }
        let context = Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
        context.membership?.handle(rk, err, list)
    }
