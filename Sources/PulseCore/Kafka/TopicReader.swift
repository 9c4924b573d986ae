import CRdKafka
import Logging

/// Reads every partition of one topic through ONE consumer and one queue, for the engine's micro-batches.
///
/// One client instead of one per partition: librdkafka bounds the prefetch of a shared queue as a whole
/// (`queued.max.messages.kbytes` applies to the queue, not to each partition), one fetch request serves
/// every partition a broker leads, and a batch of 30 partitions costs three threads instead of ninety.
/// Records of different partitions interleave; each partition's stay in offset order, which is all the
/// engine's per-partition offsets, watermarks and gap checks need. Gaps (offsets the broker dropped before
/// they were read) are reported per partition, never skipped quietly.
public final class TopicReader {
    public let topic: String
    public let partitionCount: Int
    private let handle: OpaquePointer
    private let queue: OpaquePointer
    private let context: Unmanaged<KafkaClientContext>
    /// Offset each partition delivers next; empty until `assign`.
    public private(set) var positions: [Int64] = []
    /// In a consumer group: the partitions this member owns (see `owned`); nil when the reader reads them all.
    private let membership: GroupMembership?
    /// Key and value bytes after which a read stops whatever its budget (the batch then counts as full).
    public static let maxBatchBytes = 512 << 20
    /// About what one poll adds past a batch's byte budget for the engine's records (4096 of a few
    /// hundred bytes): reserved with the budget so a full batch does not grow its buffer.
    static let pollSlackBytes = 2 << 20
    /// Average key plus value bytes of the records last read: how many a read asks for near its byte limit.
    private var recordBytes: Int?
    /// Reused buffer for `rd_kafka_consume_batch_queue`.
    private var polled: [UnsafeMutablePointer<rd_kafka_message_t>?] = Array(repeating: nil, count: 4096)

    /// Opens a reader for every partition of `topic` at `brokers` (asks the broker how many there are).
    /// Nothing is fetched until `assign`.
    ///
    /// With `group`, the reader joins that consumer group instead and reads only the partitions the group
    /// gives it (`owned`), cooperatively rebalanced (incremental assignments, so the partitions a member
    /// keeps are not stopped); each new partition arrives paused until `resume` puts it where the tables
    /// say it ends.
    public init(
        brokers: String, topic: String, health: BrokerHealth, logger: Logger, prefetchKilobytes: Int = 16_384,
        prefetchMessages: Int = 50_000, group: ConsumerGroup? = nil,
        extra: KafkaClientConfig = .init()
    ) throws {
        var config = KafkaClientConfig([
            ("bootstrap.servers", brokers),
            ("client.id", "pulse-tui-reader"),
            // Required by rd_kafka_assign even without subscribing; offsets live in the Delta txn actions, not here.
            ("group.id", group?.name ?? "pulse-tui-\(topic)"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
            // A position the broker no longer has (retention deleted it) must not be skipped quietly: the
            // reader is told (ERR__AUTO_OFFSET_RESET) and reports the gap before moving on (`read`).
            ("auto.offset.reset", "error"),
            ("fetch.wait.max.ms", "100"),
            // The prefetch of the whole queue (all partitions share it): what the reader holds beyond the
            // batch. Past either limit fetching stops until a read drains the queue (see `wakeFetcher`).
            ("queued.max.messages.kbytes", String(prefetchKilobytes)),
            ("queued.min.messages", String(prefetchMessages)),
            ("fetch.max.bytes", "8388608"),
            ("reconnect.backoff.ms", "100"),
            ("reconnect.backoff.max.ms", "5000"),
            ("log_level", "3"),
        ])
        if let group {
            config.set("partition.assignment.strategy", "cooperative-sticky")
            config.set("session.timeout.ms", String(group.sessionTimeoutMs))
            config.set("heartbeat.interval.ms", String(max(100, group.sessionTimeoutMs / 3)))
        }
        for (k, v) in extra.properties { config.set(k, v) }
        let membership = group.map { _ in GroupMembership() }
        let (handle, context) = try makeKafkaClient(
            RD_KAFKA_CONSUMER, config: config, health: health, logger: logger,
            what: "reader for \(topic) at \(brokers)",
            membership: membership
        ) { conf in
            if membership != nil { rd_kafka_conf_set_rebalance_cb(conf, groupRebalance) }
        }
        self.membership = membership
        rd_kafka_poll_set_consumer(handle)
        guard let queue = rd_kafka_queue_get_consumer(handle) else {
            rd_kafka_destroy(handle)
            context.release()
            throw KafkaError(.clientCreation, "reader for \(topic): no consumer queue")
        }
        self.handle = handle
        self.queue = queue
        self.context = context
        self.topic = topic
        do {
            partitionCount = max(1, try kafkaPartitionCount(handle: handle, topic: topic, timeoutMs: 5000))
        } catch {
            rd_kafka_queue_destroy(queue)
            rd_kafka_destroy(handle)
            context.release()
            throw error
        }
        positions = Array(repeating: 0, count: partitionCount)
        if group != nil {
            guard let list = rd_kafka_topic_partition_list_new(1) else {
                throw KafkaError(.consume, "cannot allocate a partition list")
            }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            rd_kafka_topic_partition_list_add(list, topic, -1)  // RD_KAFKA_PARTITION_UA: the whole topic
            let err = rd_kafka_subscribe(handle, list)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(.consume, "subscribe to \(topic): \(String(cString: rd_kafka_err2str(err)))")
            }
        }
    }

    /// The partitions this reader reads: in a consumer group those the group gave this member, else all.
    public var owned: Set<Int32>? { membership?.owned }

    /// In a consumer group: tells the group where the tables end per owned partition (`offsets`), without
    /// waiting, so Kafka's lag tools (kafka-consumer-groups --describe) see this member's progress. Only
    /// for them: the engine itself resumes from the tables' txn versions, never from these.
    public func commitToGroup(offsets: [Int32: Int64]) {
        guard membership != nil, !offsets.isEmpty,
            let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))
        else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (p, offset) in offsets { rd_kafka_topic_partition_list_add(list, topic, p)?.pointee.offset = offset }
        _ = rd_kafka_commit(handle, list, 1)
    }

    /// Rebalances this member has seen (0 outside a group).
    public var rebalances: Int { membership?.rebalances ?? 0 }

    /// Whether the group moved partitions since the last call (the engine then re-reads its progress).
    public func takeRebalance() -> Bool { membership?.takeChange() ?? false }

    /// In a consumer group: moves each owned partition to `offsets[p]` (where its tables end) and lets it
    /// be fetched; a partition the group took away meanwhile is skipped.
    public func resume(offsets: [Int32: Int64]) throws {
        guard membership != nil, !offsets.isEmpty else { return }
        guard let list = rd_kafka_topic_partition_list_new(Int32(offsets.count)) else {
            throw KafkaError(.consume, "cannot allocate a partition list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (p, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            rd_kafka_topic_partition_list_add(list, topic, p)?.pointee.offset = offset
            positions[Int(p)] = offset
        }
        if let error = rd_kafka_seek_partitions(handle, list, 5000) {
            defer { rd_kafka_error_destroy(error) }
            throw KafkaError(.consume, "seek \(topic) to \(offsets): \(String(cString: rd_kafka_error_string(error)))")
        }
        _ = rd_kafka_resume_partitions(handle, list)
    }

    /// Starts (or restarts) every partition at `offsets[p]`; records fetched for an earlier assignment
    /// are never delivered after it.
    public func assign(offsets: [Int64]) throws {
        precondition(offsets.count == partitionCount, "one offset per partition")
        guard let list = rd_kafka_topic_partition_list_new(Int32(partitionCount)) else {
            throw KafkaError(.consume, "cannot allocate a partition list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (p, offset) in offsets.enumerated() {
            rd_kafka_topic_partition_list_add(list, topic, Int32(p))?.pointee.offset = offset
        }
        let err = rd_kafka_assign(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.consume, "assign \(topic) at \(offsets): \(String(cString: rd_kafka_err2str(err)))")
        }
        positions = offsets
    }

    /// Wakes the fetcher after the queue was drained. librdkafka 2.0.2 stops fetching a partition while
    /// its queue is past `queued.min.messages` or `queued.max.messages.kbytes`, and its broker thread
    /// looks again only when something else wakes it, up to a second later (2.3 added
    /// `fetch.queue.backoff.ms` for this). A request to the broker wakes it: a ListOffsets, sent without
    /// waiting for the answer.
    private func wakeFetcher() {
        guard let list = rd_kafka_topic_partition_list_new(Int32(partitionCount)) else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for p in 0..<partitionCount { rd_kafka_topic_partition_list_add(list, topic, Int32(p))?.pointee.offset = -1 }
        _ = rd_kafka_offsets_for_times(handle, list, 0)
    }

    /// What one `read` did: how many records it appended and the gaps it found.
    public struct Outcome: Sendable {
        public var recordsRead = 0
        public var gaps: [OffsetGap] = []
    }

    /// Appends records to `batch` until every partition has reached `targets[p]` (usually its high
    /// watermark), `maxRecords` or `maxBytes` were read, or `timeoutMs` passed without that. A partition may run past
    /// its target when more has arrived: its records are in order and nothing polled is ever dropped,
    /// so the next read continues at `positions`.
    public func read(
        targets: [Int64], maxRecords: Int, maxBytes: Int = TopicReader.maxBatchBytes, timeoutMs: Int = 5000,
        into batch: inout KafkaRecordBatch
    ) -> Outcome {
        var outcome = Outcome()
        var resets: Set<Int> = []
        var pending = 0
        let owned = membership?.owned
        for p in 0..<partitionCount where positions[p] < targets[p] && owned?.contains(Int32(p)) ?? true {
            pending += 1
        }
        // A group member with nothing to read still polls, briefly: the group's rebalances (the first
        // assignment too) arrive as callbacks that only a poll serves.
        var groupPoll = pending == 0 && membership != nil
        guard pending > 0 || groupPoll, maxRecords > 0 else { return outcome }
        let deadline = WallClock.monotonicSeconds() + Double(pending > 0 ? timeoutMs : min(timeoutMs, 100)) / 1000
        // The queue had records and ran dry: the fetcher may be asleep behind its queue limits.
        var drained = true
        // Also bounded in bytes: the batch's keys and values live in `ByteArrayColumn`s with Int32 offsets.
        // One poll adds at most the consumer's local queue (queued.max.messages.kbytes plus one fetch), so
        // the batch stays far below 2 GiB; a smaller `maxBytes` is the engine's memory budget.
        let byteLimit = min(maxBytes, TopicReader.maxBatchBytes)
        let startBytes = batch.byteCount
        while pending > 0 || groupPoll, outcome.recordsRead < maxRecords,
            batch.byteCount < byteLimit
        {
            groupPoll = false
            let bytes = batch.byteCount
            // A batch past 1 MiB is a backlog's: room for the whole budget and one poll past it, once, so the
            // values do not move again while it fills. A caught-up engine's small batches reserve nothing.
            if byteLimit < TopicReader.maxBatchBytes, bytes >= 1 << 20,
                batch.values.data.capacity < byteLimit + TopicReader.pollSlackBytes
            {
                batch.values.data.reserveCapacity(byteLimit + TopicReader.pollSlackBytes)
            }
            // Near the byte limit, ask for about as many records as fit (at this batch's average size), so
            // a poll of large records passes the limit by about one record, not by a whole poll.
            // Without a size yet (the reader's first records), a first small poll measures it.
            let average =
                outcome.recordsRead > 0
                ? max(1, (bytes - startBytes) / outcome.recordsRead) : recordBytes ?? byteLimit / 64
            let want = min(polled.count, maxRecords - outcome.recordsRead, (byteLimit - bytes) / average + 1)
            var n = polled.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_consume_batch_queue(queue, 0, buffer.baseAddress, want)
            }
            if n == 0 {
                if drained, pending > 0 { wakeFetcher() }
                drained = false
                // The clock is read only when the queue is empty.
                let remainingMs = Int32(max(0, (deadline - WallClock.monotonicSeconds()) * 1000))
                if remainingMs == 0 { break }
                n = polled.withUnsafeMutableBufferPointer { buffer in
                    rd_kafka_consume_batch_queue(queue, min(remainingMs, 100), buffer.baseAddress, want)
                }
                if n <= 0 { continue }
            }
            if n < 0 { break }
            drained = true
            // Records of a partition this member no longer owns are another member's now: dropped unread.
            let ownedNow = membership?.owned
            for i in 0..<n {
                guard let message = polled[i] else { continue }
                defer { rd_kafka_message_destroy(message) }
                let m = message.pointee
                let p = Int(m.partition)
                guard m.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
                    if m.err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, p >= 0, p < partitionCount {
                        resets.insert(p)
                        continue
                    }
                    let text = String(cString: rd_kafka_err2str(m.err))
                    context.takeUnretainedValue().health.recordFailure("\(topic)[\(m.partition)]: \(text)")
                    context.takeUnretainedValue().logger.warning("reading \(topic)[\(m.partition)]: \(text)")
                    continue
                }
                guard p >= 0, p < partitionCount, ownedNow?.contains(Int32(p)) ?? true else { continue }
                let next = positions[p]
                if m.offset < next { continue }  // a replay after a re-assign; already delivered
                if m.offset > next {
                    outcome.gaps.append(
                        OffsetGap(topic: topic, partition: m.partition, expected: next, resumedAt: m.offset))
                }
                append(m, message, to: &batch)
                let wasPending = next < targets[p]
                positions[p] = m.offset + 1
                if wasPending, positions[p] >= targets[p] { pending -= 1 }
                outcome.recordsRead += 1
            }
            if !resets.isEmpty {
                skipToLogStart(resets, outcome: &outcome)
                resets = []
                pending =
                    (0..<partitionCount).filter { positions[$0] < targets[$0] && ownedNow?.contains(Int32($0)) ?? true }
                    .count
            }
            // A rebalance moved partitions: the batch ends here and the engine re-reads its progress.
            if membership != nil, ownedNow != membership?.owned { break }
        }
        if outcome.recordsRead > 0 {
            context.takeUnretainedValue().health.recordSuccess()
            recordBytes = max(1, (batch.byteCount - startBytes) / outcome.recordsRead)
        }
        return outcome
    }

    /// Partitions whose position the broker no longer holds: the offsets between the position and the
    /// log start are gone. Each becomes a gap (reported, never skipped quietly) and the partition resumes
    /// at the log start. A position past the log's end (a broker that lost records it had acknowledged,
    /// with the same cluster id) is reported and the partition waits: moving back would reuse offsets the
    /// tables already hold.
    private func skipToLogStart(_ partitions: Set<Int>, outcome: inout Outcome) {
        let context = context.takeUnretainedValue()
        guard let earliest = try? queryOffsets(earliest: true), let latest = try? queryOffsets(earliest: false) else {
            context.logger.warning(
                "\(topic): offsets out of range on \(partitions.sorted()); the log start is unknown, retrying")
            try? restart(partitions)
            return
        }
        for p in partitions.sorted() {
            if earliest[p] > positions[p] {
                outcome.gaps.append(
                    OffsetGap(topic: topic, partition: Int32(p), expected: positions[p], resumedAt: earliest[p]))
                positions[p] = earliest[p]
            } else if latest[p] < positions[p] {
                let text =
                    "\(topic)[\(p)]: the broker's log ends at offset \(latest[p]), before offset \(positions[p]) "
                    + "the tables already hold: it lost acknowledged records or was replaced without a new cluster id"
                context.health.recordFailure(text)
                context.logger.critical("\(text)")
            }
        }
        try? restart(partitions)
    }

    /// Fetches `partitions` again from `positions`: a group member seeks only those (the group owns the
    /// assignment), a reader of the whole topic re-assigns it.
    private func restart(_ partitions: Set<Int>) throws {
        if let owned = membership?.owned {
            let mine = partitions.filter { owned.contains(Int32($0)) }
            try resume(offsets: Dictionary(uniqueKeysWithValues: mine.map { (Int32($0), positions[$0]) }))
        } else {
            try assign(offsets: positions)
        }
    }

    private func append(
        _ m: rd_kafka_message_t, _ message: UnsafeMutablePointer<rd_kafka_message_t>, to batch: inout KafkaRecordBatch
    ) {
        batch.keys.append(UnsafeRawBufferPointer(start: m.key, count: m.key == nil ? 0 : m.key_len))
        batch.values.append(UnsafeRawBufferPointer(start: m.payload, count: m.payload == nil ? 0 : m.len))
        batch.nullFlags.append(
            (m.key == nil ? KafkaRecordBatch.keyIsNull : 0) | (m.payload == nil ? KafkaRecordBatch.valueIsNull : 0))
        batch.partitions.append(m.partition)
        batch.offsets.append(m.offset)
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let millis = rd_kafka_message_timestamp(message, &type)
        batch.timestampsMicros.append(millis * 1000)
        switch type {
        case RD_KAFKA_TIMESTAMP_CREATE_TIME: batch.timestampTypes.append(0)
        case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: batch.timestampTypes.append(1)
        default: batch.timestampTypes.append(-1)
        }
    }

    /// High watermarks as of the latest fetch responses, without a broker round trip; nil for a
    /// partition no fetch has answered yet.
    public func cachedHighWatermarks() -> [Int64?] {
        (0..<partitionCount).map { p in
            var low: Int64 = -1
            var high: Int64 = -1
            let err = rd_kafka_get_watermark_offsets(handle, topic, Int32(p), &low, &high)
            return err == RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0 ? high : nil
        }
    }

    /// Earliest (`earliest: true`) or next-to-be-written offsets of every partition, asked of the broker
    /// in one ListOffsets round trip per leader.
    ///
    /// High watermarks are at least the last fetch responses': Tansu 0.6 answers ListOffsets(latest)
    /// with its last batch's base offset + 1, not its last offset + 1, while its fetch responses carry
    /// the true high watermark. Without this a drain on Tansu leaves the tail of the last batch unread.
    public func queryOffsets(earliest: Bool, timeoutMs: Int32 = 5000) throws -> [Int64] {
        guard let list = rd_kafka_topic_partition_list_new(Int32(partitionCount)) else {
            throw KafkaError(.metadata, "cannot allocate a partition list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for p in 0..<partitionCount {
            // offsets_for_times with the logical offsets -2 (earliest) / -1 (latest) sends ListOffsets for them.
            rd_kafka_topic_partition_list_add(list, topic, Int32(p))?.pointee.offset = earliest ? -2 : -1
        }
        let what = "\(earliest ? "earliest" : "latest") offsets of \(topic)"
        let err = rd_kafka_offsets_for_times(handle, list, timeoutMs)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = String(cString: rd_kafka_err2str(err))
            context.takeUnretainedValue().health.recordFailure("\(what): \(text)")
            throw KafkaError(.metadata, "\(what): \(text)")
        }
        var result = Array(repeating: Int64(0), count: partitionCount)
        for i in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[i]
            let p = Int(element.partition)
            guard p >= 0, p < partitionCount else { continue }
            guard element.err == RD_KAFKA_RESP_ERR_NO_ERROR, element.offset >= 0 else {
                let text = String(cString: rd_kafka_err2str(element.err))
                context.takeUnretainedValue().health.recordFailure("\(what)[\(p)]: \(text)")
                throw KafkaError(.metadata, "\(what)[\(p)]: \(text) (offset \(element.offset))")
            }
            result[p] = element.offset
        }
        if !earliest {
            for (p, cached) in cachedHighWatermarks().enumerated() {
                if let cached { result[p] = max(result[p], cached) }
            }
        }
        context.takeUnretainedValue().health.recordSuccess()
        return result
    }

    /// The broker cluster's id, which tells one broker's offsets from another's (a fresh embedded broker
    /// has a new one); nil if the broker does not say.
    public func clusterID(timeoutMs: Int32 = 5000) -> String? {
        guard let id = rd_kafka_clusterid(handle, timeoutMs) else { return nil }
        defer { rd_kafka_mem_free(handle, id) }
        return String(cString: id)
    }

    deinit {
        rd_kafka_queue_destroy(queue)
        rd_kafka_consumer_close(handle)
        rd_kafka_destroy(handle)
        context.release()
    }
}
