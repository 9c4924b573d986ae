import CRdKafka
import Logging

/// Reads offset ranges of one topic partition, in order, for the engine's micro-batches.
/// Keeps its position between reads so consecutive ranges stream without re-seeking, and reports an
/// `OffsetGap` whenever the broker had already dropped offsets the caller asked for.
public final class PartitionReader {
    public let topic: String
    public let partition: Int32
    private let handle: OpaquePointer
    private let context: Unmanaged<KafkaClientContext>
    /// Offset the consumer delivers next, or nil when nothing is assigned yet.
    private var position: Int64?
    /// A record polled past the end of a read's range (offsets can jump over `until`), kept for the next
    /// read: once polled, the consumer never delivers it again without a re-assign.
    private var held: UnsafeMutablePointer<rd_kafka_message_t>?

    /// Opens a reader for `topic`/`partition` at `brokers`. Nothing is fetched until `read`.
    public init(
        brokers: String, topic: String, partition: Int32, health: BrokerHealth, logger: Logger,
        extra: KafkaClientConfig = .init()
    ) throws {
        var config = KafkaClientConfig([
            ("bootstrap.servers", brokers),
            ("client.id", "pulse-tui-reader"),
            // Required by rd_kafka_assign even without subscribing; offsets live in the Delta txn actions, not here.
            ("group.id", "pulse-tui-\(topic)"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "true"),
            ("auto.offset.reset", "earliest"),
            ("fetch.wait.max.ms", "100"),
            ("queued.max.messages.kbytes", "2048"),
            ("reconnect.backoff.ms", "100"),
            ("reconnect.backoff.max.ms", "5000"),
            ("log_level", "3"),
        ])
        for (k, v) in extra.properties { config.set(k, v) }
        let conf = try config.makeNativeConfig()
        let context = Unmanaged.passRetained(KafkaClientContext(health: health, logger: logger))
        rd_kafka_conf_set_opaque(conf, context.toOpaque())
        rd_kafka_conf_set_error_cb(conf, kafkaClientError)
        rd_kafka_conf_set_log_cb(conf, kafkaClientLog)
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            context.release()
            throw KafkaError(.clientCreation, "reader for \(topic)[\(partition)] at \(brokers): \(cString(errstr))")
        }
        rd_kafka_poll_set_consumer(handle)
        self.handle = handle
        self.context = context
        self.topic = topic
        self.partition = partition
    }

    /// Watermarks as of the latest fetch response, without a broker round trip (a ListOffsets request
    /// queues behind the consumer's long-poll fetch, ~100 ms); asks the broker when none is known yet.
    public func latestWatermarks(timeoutMs: Int32 = 5000) throws -> (low: Int64, high: Int64) {
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_get_watermark_offsets(handle, topic, partition, &low, &high)
        if err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0, low >= 0, position != nil { return (low, high) }
        return try watermarks(timeoutMs: timeoutMs)
    }

    /// Low (log start) and high (next offset to be written) watermarks, asked of the broker.
    ///
    /// The high one is at least the last fetch response's: Tansu 0.6 answers ListOffsets(latest) with
    /// its last batch's base offset + 1, not its last offset + 1, while its fetch responses carry the
    /// true high watermark. Without this a drain on Tansu leaves the tail of the last batch unread.
    public func watermarks(timeoutMs: Int32 = 5000) throws -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeoutMs)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            context.takeUnretainedValue().health.recordFailure(
                "watermarks of \(topic)[\(partition)]: \(String(cString: rd_kafka_err2str(err)))")
            throw KafkaError(.metadata, "watermarks of \(topic)[\(partition)]: \(String(cString: rd_kafka_err2str(err)))")
        }
        context.takeUnretainedValue().health.recordSuccess()
        var fetchedLow: Int64 = -1
        var fetchedHigh: Int64 = -1
        let cached = rd_kafka_get_watermark_offsets(handle, topic, partition, &fetchedLow, &fetchedHigh)
        if cached == RD_KAFKA_RESP_ERR_NO_ERROR { high = max(high, fetchedHigh) }
        return (low, high)
    }

    /// What one `read` did: the next offset to ask for, and a gap if offsets were gone.
    public struct Outcome: Sendable {
        public var nextOffset: Int64
        public var recordsRead: Int
        public var gap: OffsetGap?
    }

    /// Appends the records of [from, until) to `batch`, stopping early at `maxRecords`, at the end of
    /// the partition, or after `timeoutMs` without reaching `until`. Records come in offset order. A
    /// record at or past `until` is never dropped: the next read from `nextOffset` starts with it.
    public func read(
        from: Int64, until: Int64, maxRecords: Int = .max, timeoutMs: Int = 5000, into batch: inout KafkaRecordBatch
    ) throws -> Outcome {
        var outcome = Outcome(nextOffset: from, recordsRead: 0, gap: nil)
        guard until > from, maxRecords > 0 else { return outcome }
        if position != from { try assign(at: from) }
        let deadline = WallClock.monotonicSeconds() + Double(timeoutMs) / 1000
        var next = from
        while next < until, outcome.recordsRead < maxRecords {
            // The clock is read only when the queue is empty: a message in hand needs no deadline check.
            guard let message = takeHeld() ?? rd_kafka_consumer_poll(handle, 0) ?? {
                let remainingMs = Int32(max(0, (deadline - WallClock.monotonicSeconds()) * 1000))
                return remainingMs == 0 ? nil : rd_kafka_consumer_poll(handle, min(remainingMs, 100))
            }() else {
                if WallClock.monotonicSeconds() >= deadline { break }
                continue
            }
            var keep = false
            defer { if !keep { rd_kafka_message_destroy(message) } }
            let m = message.pointee
            if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                // An EOF from an earlier fetch can arrive before records written since; only an EOF at
                // or beyond what we want ends the read.
                if m.offset >= until || m.offset <= next && WallClock.monotonicSeconds() >= deadline { break }
                continue
            }
            if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let text = String(cString: rd_kafka_err2str(m.err))
                context.takeUnretainedValue().health.recordFailure("\(topic)[\(partition)]: \(text)")
                context.takeUnretainedValue().logger.warning("reading \(topic)[\(partition)]: \(text)")
                if WallClock.monotonicSeconds() >= deadline { break }
                continue
            }
            if m.offset < next { continue }  // a replay after a re-assign; already delivered
            if m.offset >= until {
                // Past the range (offsets jumped over `until`): the next read starts with it, and
                // reports any gap before it then.
                held = message
                keep = true
                break
            }
            if m.offset > next {
                let gap = OffsetGap(topic: topic, partition: partition, expected: next, resumedAt: m.offset)
                outcome.gap = outcome.gap.map { OffsetGap(topic: topic, partition: partition, expected: $0.expected, resumedAt: m.offset) } ?? gap
                context.takeUnretainedValue().logger.error("\(gap)")
            }
            append(m, message, to: &batch)
            next = m.offset + 1
            outcome.recordsRead += 1
        }
        position = next
        outcome.nextOffset = next
        if outcome.recordsRead > 0 { context.takeUnretainedValue().health.recordSuccess() }
        return outcome
    }

    /// The held record, handed over (the caller destroys it); nil when none is held.
    private func takeHeld() -> UnsafeMutablePointer<rd_kafka_message_t>? {
        defer { held = nil }
        return held
    }

    private func append(_ m: rd_kafka_message_t, _ message: UnsafeMutablePointer<rd_kafka_message_t>, to batch: inout KafkaRecordBatch) {
        batch.keys.append(UnsafeRawBufferPointer(start: m.key, count: m.key == nil ? 0 : m.key_len))
        batch.values.append(UnsafeRawBufferPointer(start: m.payload, count: m.payload == nil ? 0 : m.len))
        batch.partitions.append(partition)
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

    /// Starts fetching at `offset` ahead of the first `read`, so partitions opened together warm up
    /// together (librdkafka's first fetch after an assign takes a few hundred milliseconds).
    public func prefetch(from offset: Int64) throws {
        if position != offset { try assign(at: offset) }
    }

    private func assign(at offset: Int64) throws {
        guard let list = rd_kafka_topic_partition_list_new(1) else {
            throw KafkaError(.consume, "cannot allocate a partition list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let tp = rd_kafka_topic_partition_list_add(list, topic, partition)
        tp?.pointee.offset = offset
        releaseHeld()
        let err = rd_kafka_assign(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.consume, "assign \(topic)[\(partition)] at \(offset): \(String(cString: rd_kafka_err2str(err)))")
        }
        position = offset
    }

    /// The broker cluster's id, which tells one broker's offsets from another's (a fresh embedded broker
    /// has a new one); nil if the broker does not say.
    public func clusterID(timeoutMs: Int32 = 5000) -> String? {
        guard let id = rd_kafka_clusterid(handle, timeoutMs) else { return nil }
        defer { rd_kafka_mem_free(handle, id) }
        return String(cString: id)
    }

    /// Partition count of the reader's topic.
    public func partitionCount(timeoutMs: Int32 = 5000) throws -> Int {
        try kafkaPartitionCount(handle: handle, topic: topic, timeoutMs: timeoutMs)
    }

    /// Drops the held record: after a re-assign the consumer delivers it again if it is wanted.
    private func releaseHeld() {
        if let held { rd_kafka_message_destroy(held) }
        held = nil
    }

    deinit {
        // Every message must be destroyed before its handle.
        releaseHeld()
        rd_kafka_consumer_close(handle)
        rd_kafka_destroy(handle)
        context.release()
    }
}
