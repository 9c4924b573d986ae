import CRdKafka
import Logging
import Synchronization

/// Publishes keyed records to Kafka and accounts for each one: delivered or failed, never lost silently.
/// A full local queue (broker down) makes `send` wait and poll instead of dropping, so memory stays
/// bounded by `queue.buffering.max.messages` while the broker is away.
///
/// Thread-safe: librdkafka handles may be used from any thread, and `topics` is fixed in `init`, so
/// nothing mutable is shared; hence `@unchecked Sendable`.
public final class KafkaProducer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let context: Unmanaged<KafkaClientContext>
    private let topics: [String: (handle: OpaquePointer, counters: Unmanaged<ProduceCounters>)]
    public let brokers: String
    /// Largest key plus value this producer sends (librdkafka's default message.max.bytes): a record the
    /// broker would refuse, or the embedded broker would drop, is refused here, counted and shown.
    public static let maxRecordBytes = 1_000_000

    /// Creates a producer for `brokers` ("host:port,...") that publishes to the topics of `counters`,
    /// each delivery reported to its topic's counters. `extra` overrides the defaults below.
    public init(
        brokers: String, counters: [ProduceCounters], health: BrokerHealth, logger: Logger,
        extra: KafkaClientConfig = .init()
    ) throws {
        var config = KafkaClientConfig([
            ("bootstrap.servers", brokers),
            ("client.id", "pulse-tui-producer"),
            ("linger.ms", "5"),
            ("batch.num.messages", "10000"),
            ("compression.codec", "lz4"),
            ("enable.idempotence", "true"),
            // Never expire a queued record: while the broker is away it waits (and the queue bound
            // applies backpressure) instead of failing after the default 300 s.
            ("message.timeout.ms", "0"),
            ("queue.buffering.max.messages", "200000"),
            ("reconnect.backoff.ms", "100"),
            ("reconnect.backoff.max.ms", "5000"),
            ("log_level", "3"),
        ])
        for (k, v) in extra.properties { config.set(k, v) }
        let (handle, context) = try makeKafkaClient(
            RD_KAFKA_PRODUCER, config: config, health: health, logger: logger, what: "producer for \(brokers)"
        ) { rd_kafka_conf_set_dr_msg_cb($0, producerDeliveryReport) }
        var topics: [String: (handle: OpaquePointer, counters: Unmanaged<ProduceCounters>)] = [:]
        for counter in counters where topics[counter.topic] == nil {
            guard let rkt = rd_kafka_topic_new(handle, counter.topic, nil) else {
                for (_, entry) in topics { rd_kafka_topic_destroy(entry.handle); entry.counters.release() }
                rd_kafka_destroy(handle)
                context.release()
                throw KafkaError(.produce, "cannot open topic '\(counter.topic)'")
            }
            topics[counter.topic] = (rkt, Unmanaged.passRetained(counter))
        }
        self.handle = handle
        self.context = context
        self.brokers = brokers
        self.topics = topics
    }

    /// Queues one record for `topic` on `partition`, or on the key's partition
    /// (librdkafka's default partitioner) when `partition` is nil. Waits while the local queue is full.
    public func send(topic: String, partition: Int32?, key: [UInt8], value: [UInt8]) throws {
        guard let entry = topics[topic] else {
            throw KafkaError(.produce, "topic '\(topic)' is not one this producer was created for")
        }
        guard key.count + value.count <= KafkaProducer.maxRecordBytes else {
            entry.counters.takeUnretainedValue().refused.add(1, ordering: .relaxed)
            throw KafkaError(
                .recordTooLarge,
                "\(topic): a record of \(key.count + value.count) bytes is larger than the \(KafkaProducer.maxRecordBytes) "
                    + "this producer sends (the embedded broker keeps only \(EmbeddedBroker.maxBytesPerPartition >> 20) MiB "
                    + "per partition and would drop it, and what follows it, unread)")
        }
        let part = partition ?? RD_KAFKA_PARTITION_UA
        let opaque = entry.counters.toOpaque()
        while true {
            let rc = value.withUnsafeBytes { v in
                key.withUnsafeBytes { k in
                    rd_kafka_produce(
                        entry.handle, part, RD_KAFKA_MSG_F_COPY, UnsafeMutableRawPointer(mutating: v.baseAddress),
                        v.count, k.baseAddress, k.count, opaque)
                }
            }
            if rc == 0 {
                entry.counters.takeUnretainedValue().produced.add(1, ordering: .relaxed)
                return
            }
            let err = rd_kafka_last_error()
            if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                rd_kafka_poll(handle, 50)
                continue
            }
            throw KafkaError(.produce, "\(topic): \(String(cString: rd_kafka_err2str(err)))")
        }
    }

    /// Serves delivery reports and client errors; call regularly.
    public func poll(timeoutMs: Int32 = 0) {
        rd_kafka_poll(handle, timeoutMs)
    }

    /// Waits until every queued record is delivered or failed; returns how many are still queued.
    @discardableResult
    public func flush(timeoutMs: Int32) -> Int {
        rd_kafka_flush(handle, timeoutMs)
        return Int(rd_kafka_outq_len(handle))
    }

    /// Partition count of `topic` from broker metadata.
    public func partitionCount(topic: String, timeoutMs: Int32 = 5000) throws -> Int {
        try kafkaPartitionCount(handle: handle, topic: topic, timeoutMs: timeoutMs)
    }

    /// Gives up on records the broker has not acknowledged (a stop while it is unreachable): each is
    /// reported as failed through its delivery report, so the counters account for it.
    public func abandonUndelivered() -> Int {
        let left = Int(rd_kafka_outq_len(handle))
        guard left > 0 else { return 0 }
        rd_kafka_purge(handle, 0x1 | 0x2)  // RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT (macros)
        rd_kafka_poll(handle, 100)
        return left
    }

    deinit {
        rd_kafka_flush(handle, 2000)
        rd_kafka_purge(handle, 0x1 | 0x2)
        rd_kafka_poll(handle, 0)
        for (_, entry) in topics {
            rd_kafka_topic_destroy(entry.handle)
        }
        rd_kafka_destroy(handle)
        for (_, entry) in topics { entry.counters.release() }
        context.release()
    }
}

/// What librdkafka's callbacks need; reached through the client's opaque pointer.
final class KafkaClientContext: Sendable {
    let health: BrokerHealth
    let logger: Logger
    /// A group member's partitions (`TopicReader` in a consumer group), nil otherwise.
    let membership: GroupMembership?
    init(health: BrokerHealth, logger: Logger, membership: GroupMembership? = nil) {
        self.health = health
        self.logger = logger
        self.membership = membership
    }
}

private let producerDeliveryReport:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _, message, opaque in
        guard let message, let countersPointer = message.pointee._private else { return }
        let counters = Unmanaged<ProduceCounters>.fromOpaque(countersPointer).takeUnretainedValue()
        if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            counters.delivered.add(1, ordering: .relaxed)
            counters.recordDelivery(
                partition: message.pointee.partition, offset: message.pointee.offset,
                bytes: message.pointee.len + message.pointee.key_len)
            if let opaque {
                Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue().health.recordSuccess()
            }
        } else {
            counters.failed.add(1, ordering: .relaxed)
            if let opaque {
                let context = Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
                let reason = String(cString: rd_kafka_err2str(message.pointee.err))
                context.logger.error("delivery failed on \(counters.topic): \(reason)")
            }
        }
    }

/// Client-level errors (broker down, transport): shown as "retrying", since librdkafka reconnects itself.
let kafkaClientError: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void =
    {
        _, err, reason, opaque in
        guard let opaque else { return }
        let context = Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
        let text = reason.map { String(cString: $0) } ?? "error \(err)"
        context.health.recordFailure(text)
        context.logger.warning("kafka: \(text)")
    }

/// librdkafka's own log lines go to our log file, never to the terminal the dashboard owns.
let kafkaClientLog: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, message in
    guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
    let context = Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    let text = "kafka \(facility.map { String(cString: $0) } ?? ""): \(message.map { String(cString: $0) } ?? "")"
    if level <= 3 {
        context.logger.error("\(text)")
    } else if level <= 5 {
        context.logger.notice("\(text)")
    } else {
        context.logger.debug("\(text)")
    }
}

/// Reads a topic's partition count from broker metadata with any client handle.
func kafkaPartitionCount(handle: OpaquePointer, topic: String, timeoutMs: Int32) throws -> Int {
    guard let rkt = rd_kafka_topic_new(handle, topic, nil) else {
        throw KafkaError(.metadata, "cannot open topic '\(topic)'")
    }
    defer { rd_kafka_topic_destroy(rkt) }
    var metadata: UnsafePointer<rd_kafka_metadata>?
    let err = rd_kafka_metadata(handle, 0, rkt, &metadata, timeoutMs)
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
        throw KafkaError(.metadata, "metadata for '\(topic)': \(String(cString: rd_kafka_err2str(err)))")
    }
    defer { rd_kafka_metadata_destroy(metadata) }
    guard metadata.pointee.topic_cnt > 0 else { throw KafkaError(.metadata, "topic '\(topic)' not in metadata") }
    let t = metadata.pointee.topics[0]
    if t.err != RD_KAFKA_RESP_ERR_NO_ERROR {
        throw KafkaError(.metadata, "topic '\(topic)': \(String(cString: rd_kafka_err2str(t.err)))")
    }
    return Int(t.partition_cnt)
}
