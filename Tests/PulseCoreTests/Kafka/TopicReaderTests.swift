import Logging
import Synchronization
import Testing

@testable import PulseCore

/// Real Kafka protocol on loopback: the embedded broker, our producer, our topic reader.
@Suite struct TopicReaderTests {
    let logger = Logger(label: "test")

    func produce(
        _ broker: EmbeddedBroker, topic: String, count: Int, partitions: Int, extra: KafkaClientConfig = .init(),
        value: (Int) -> [UInt8]
    ) throws {
        let counters = ProduceCounters(topic: topic)
        let producer = try KafkaProducer(
            brokers: broker.bootstrapServers, counters: [counters], health: BrokerHealth(), logger: logger, extra: extra
        )
        for i in 0..<count {
            try producer.send(topic: topic, partition: Int32(i % partitions), key: Array("k\(i)".utf8), value: value(i))
        }
        #expect(producer.flush(timeoutMs: 20_000) == 0)
        #expect(counters.delivered.load(ordering: .relaxed) == count)
    }

    @Test func readsBackExactlyWhatWasProducedInOffsetOrderPerPartition() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 3)
        let n = 9_000
        try produce(broker, topic: "t", count: n, partitions: 3) { Array("v\($0)".utf8) }
        let reader = try TopicReader(
            brokers: broker.bootstrapServers, topic: "t", health: BrokerHealth(), logger: logger)
        #expect(reader.partitionCount == 3)
        #expect(try reader.queryOffsets(earliest: true) == [0, 0, 0])
        let high = try reader.queryOffsets(earliest: false)
        #expect(high == [3000, 3000, 3000])
        try reader.assign(offsets: [0, 0, 0])
        var batch = KafkaRecordBatch(topic: "t")
        // Two reads: the first stops at its record limit, the second goes on exactly there.
        let first = reader.read(targets: high, maxRecords: 1000, into: &batch)
        #expect(first.recordsRead == 1000 && batch.count == 1000)
        let second = reader.read(targets: high, maxRecords: .max, into: &batch)
        #expect(second.recordsRead == n - 1000)
        #expect(first.gaps.isEmpty && second.gaps.isEmpty)
        #expect(reader.positions == high)
        var seen = [[Int64]](repeating: [], count: 3)
        for row in 0..<batch.count {
            let p = Int(batch.partitions[row])
            seen[p].append(batch.offsets[row])
            let i = Int(batch.offsets[row]) * 3 + p
            #expect(batch.values.string(at: row) == "v\(i)")
            #expect(batch.keys.string(at: row) == "k\(i)")
            #expect(batch.timestampTypes[row] == 0)
            #expect(batch.timestampsMicros[row] > 1_600_000_000_000_000)
        }
        for p in 0..<3 { #expect(seen[p] == Array(0..<3000)) }
    }

    /// Many small reads (the engine's batches) over interleaved partitions: every record exactly once,
    /// none lost between reads, each partition in order.
    @Test func consecutiveReadsLoseAndRepeatNothing() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 5)
        try produce(broker, topic: "t", count: 20_000, partitions: 5) { Array("\($0)".utf8) }
        let reader = try TopicReader(
            brokers: broker.bootstrapServers, topic: "t", health: BrokerHealth(), logger: logger)
        try reader.assign(offsets: Array(repeating: 0, count: 5))
        let high = try reader.queryOffsets(earliest: false)
        var next = [Int64](repeating: 0, count: 5)
        var reads = 0
        while next != high {
            var batch = KafkaRecordBatch(topic: "t")
            let outcome = reader.read(targets: high, maxRecords: 777, timeoutMs: 5000, into: &batch)
            #expect(outcome.recordsRead > 0 && outcome.recordsRead <= 777)
            if outcome.recordsRead == 0 { break }
            for row in 0..<batch.count {
                let p = Int(batch.partitions[row])
                #expect(batch.offsets[row] == next[p])
                next[p] = batch.offsets[row] + 1
            }
            #expect(next == reader.positions)
            reads += 1
        }
        #expect(next == high)
        #expect(reads >= 20_000 / 777)
    }

    @Test func reassigningSeeksBack() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 1)
        try produce(broker, topic: "t", count: 100, partitions: 1) { Array("\($0)".utf8) }
        let reader = try TopicReader(
            brokers: broker.bootstrapServers, topic: "t", health: BrokerHealth(), logger: logger)
        try reader.assign(offsets: [0])
        var batch = KafkaRecordBatch(topic: "t")
        _ = reader.read(targets: [100], maxRecords: .max, into: &batch)
        #expect(batch.count == 100)
        batch.removeAll()
        try reader.assign(offsets: [40])
        let again = reader.read(targets: [50], maxRecords: 10, into: &batch)
        #expect(again.recordsRead == 10)
        #expect(batch.offsets == Array(40..<50))
        #expect(batch.values.string(at: 0) == "40")
        #expect(reader.positions == [50])
    }

    /// The embedded broker drops the oldest records past 5 MiB per partition; a reader asking for
    /// them must report the gap, never skip it quietly.
    @Test func reportsOffsetsDroppedByRetention() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 1)
        let n = 200
        try produce(
            broker, topic: "t", count: n, partitions: 1,
            extra: KafkaClientConfig([("compression.codec", "none"), ("batch.num.messages", "10")])
        ) { _ in [UInt8](repeating: UInt8(ascii: "x"), count: 50_000) }  // 10 MB in all, twice the limit
        let reader = try TopicReader(
            brokers: broker.bootstrapServers, topic: "t", health: BrokerHealth(), logger: logger)
        let low = try reader.queryOffsets(earliest: true)[0]
        #expect(try reader.queryOffsets(earliest: false) == [Int64(n)])
        #expect(low > 0)
        try reader.assign(offsets: [0])
        var batch = KafkaRecordBatch(topic: "t")
        let outcome = reader.read(targets: [low + 10], maxRecords: 10, into: &batch)
        #expect(outcome.gaps == [OffsetGap(topic: "t", partition: 0, expected: 0, resumedAt: low)])
        #expect(batch.offsets == Array(low..<low + 10))
        #expect(reader.positions == [low + 10])
    }

    /// A byte budget ends a batch near it (within a record or so, even when one poll could return
    /// thousands), marks it full, and the next batch goes on from there: the engine's memory bound.
    @Test func byteBudgetEndsTheBatchNearIt() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 2)
        try produce(broker, topic: "t", count: 2000, partitions: 2) {
            Array(repeating: UInt8(ascii: "x"), count: 1000 + $0 % 7)
        }
        let health = BrokerHealth()
        let reader = try TopicReader(brokers: broker.bootstrapServers, topic: "t", health: health, logger: logger)
        try reader.assign(offsets: [0, 0])
        let budget = 100_000
        let request = BatchReadRequest(
            askBroker: true, maxRecords: 1_000_000, maxBytes: budget, timeoutMs: 5000, health: health,
            lastAnswerMicros: WallClock.nowMicros())
        var batch = KafkaRecordBatch(topic: "t")
        var total = 0
        for _ in 0..<5 {
            batch.removeAll()
            let read = try reader.readBatch(request, into: &batch)
            let bytes = batch.values.data.count + batch.keys.data.count
            #expect(read.full && bytes >= budget && bytes < budget + 3 * 1020, "\(bytes) bytes")
            #expect(batch.values.data.capacity >= budget)
            total += read.recordsRead
        }
        #expect(total >= 5 * 95 && total <= 5 * 102)
        #expect(reader.positions.reduce(0, +) == Int64(total))
    }

    /// A batch read on the read-ahead thread is handed over whole, and the next starts where it ended.
    @Test func readAheadHandsOverBatchesInOrder() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 2)
        try produce(broker, topic: "t", count: 3000, partitions: 2) { Array("\($0)".utf8) }
        let health = BrokerHealth()
        let reader = try TopicReader(brokers: broker.bootstrapServers, topic: "t", health: health, logger: logger)
        try reader.assign(offsets: [0, 0])
        let readAhead = TopicReadAhead(reader: reader)
        let request = BatchReadRequest(
            askBroker: true, maxRecords: 1000, timeoutMs: 5000, health: health, lastAnswerMicros: WallClock.nowMicros())
        var batch = KafkaRecordBatch(topic: "t")
        var total = 0
        var previous: [Int64] = [0, 0]
        for _ in 0..<3 {
            readAhead.start(request)
            let read = try readAhead.take(into: &batch)
            #expect(read.full && read.recordsRead == 1000 && batch.count == 1000)
            #expect(read.high == [1500, 1500])
            for p in 0..<2 {
                let offsets = (0..<batch.count).filter { batch.partitions[$0] == Int32(p) }.map { batch.offsets[$0] }
                #expect(offsets == Array(previous[p]..<read.positions[p]))
            }
            previous = read.positions
            total += batch.count
        }
        #expect(total == 3000 && previous == [1500, 1500])
        readAhead.start(request)
        readAhead.cancel()
        #expect(!readAhead.isReading)
    }
}
