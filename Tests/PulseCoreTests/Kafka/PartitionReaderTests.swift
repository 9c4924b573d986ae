import Logging
import Testing

@testable import PulseCore

/// Real Kafka protocol on loopback: the embedded broker, our producer, our partition reader.
@Suite struct PartitionReaderTests {
    let logger = Logger(label: "test")

    @Test func readsBackExactlyWhatWasProducedPerPartition() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 3)
        let health = BrokerHealth()
        let counters = ProduceCounters(topic: "t")
        let producer = try KafkaProducer(
            brokers: broker.bootstrapServers, counters: [counters], health: health, logger: logger)
        #expect(try producer.partitionCount(topic: "t") == 3)
        let n = 9_000
        for i in 0..<n {
            try producer.send(topic: "t", partition: Int32(i % 3), key: Array("k\(i % 30)".utf8), value: Array("v\(i)".utf8))
        }
        #expect(producer.flush(timeoutMs: 10_000) == 0)
        #expect(counters.delivered.load(ordering: .relaxed) == n)
        #expect(counters.failed.load(ordering: .relaxed) == 0)

        var total = 0
        for p in Int32(0)..<3 {
            let reader = try PartitionReader(
                brokers: broker.bootstrapServers, topic: "t", partition: p, health: health, logger: logger)
            let marks = try reader.watermarks()
            #expect(marks.low == 0)
            #expect(marks.high == Int64(n / 3))
            var batch = KafkaRecordBatch(topic: "t")
            // Two consecutive ranges: the reader keeps its position between them.
            let first = try reader.read(from: 0, until: 1000, into: &batch)
            #expect(first.nextOffset == 1000)
            let second = try reader.read(from: 1000, until: marks.high, into: &batch)
            #expect(second.nextOffset == marks.high)
            #expect(first.gap == nil && second.gap == nil)
            #expect(batch.count == n / 3)
            #expect(batch.offsets == (0..<Int64(n / 3)).map { $0 })
            for row in 0..<batch.count {
                let i = Int(batch.offsets[row]) * 3 + Int(p)
                #expect(batch.values.string(at: row) == "v\(i)")
                #expect(batch.keys.string(at: row) == "k\(i % 30)")
                #expect(batch.partitions[row] == p)
                #expect(batch.timestampTypes[row] == 0)
                #expect(batch.timestampsMicros[row] > 1_600_000_000_000_000)
            }
            total += batch.count
        }
        #expect(total == n)
    }

    @Test func rereadingAnEarlierRangeSeeksBack() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 1)
        let producer = try KafkaProducer(
            brokers: broker.bootstrapServers, counters: [ProduceCounters(topic: "t")], health: BrokerHealth(),
            logger: logger)
        for i in 0..<100 { try producer.send(topic: "t", partition: 0, key: [], value: Array("\(i)".utf8)) }
        #expect(producer.flush(timeoutMs: 5000) == 0)
        let reader = try PartitionReader(
            brokers: broker.bootstrapServers, topic: "t", partition: 0, health: BrokerHealth(), logger: logger)
        var batch = KafkaRecordBatch(topic: "t")
        _ = try reader.read(from: 0, until: 100, into: &batch)
        batch.removeAll()
        let again = try reader.read(from: 40, until: 50, into: &batch)
        #expect(again.nextOffset == 50)
        #expect(batch.offsets == Array(40..<50))
        #expect(batch.values.string(at: 0) == "40")
    }

    /// The embedded broker drops the oldest records past 5 MiB per partition; a reader asking for
    /// them must report the gap, never skip it quietly.
    @Test func reportsOffsetsDroppedByRetention() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 1)
        let producer = try KafkaProducer(
            brokers: broker.bootstrapServers, counters: [ProduceCounters(topic: "t")], health: BrokerHealth(),
            logger: logger, extra: KafkaClientConfig([("compression.codec", "none"), ("batch.num.messages", "10")]))
        let n = 200
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 50_000)  // 10 MB in all, twice the limit
        for _ in 0..<n { try producer.send(topic: "t", partition: 0, key: [], value: value) }
        #expect(producer.flush(timeoutMs: 20_000) == 0)
        let reader = try PartitionReader(
            brokers: broker.bootstrapServers, topic: "t", partition: 0, health: BrokerHealth(), logger: logger)
        let marks = try reader.watermarks()
        #expect(marks.high == Int64(n))
        #expect(marks.low > 0)
        var batch = KafkaRecordBatch(topic: "t")
        let outcome = try reader.read(from: 0, until: marks.low + 10, into: &batch)
        let gap = try #require(outcome.gap)
        #expect(gap.expected == 0)
        #expect(gap.resumedAt == marks.low)
        #expect(batch.offsets.first == marks.low)
        #expect(outcome.nextOffset == marks.low + 10)
    }

    /// A range that ends inside a gap polls the first record past it; that record must come with the next
    /// read, not be dropped (once polled, the consumer does not deliver it again by itself).
    @Test func keepsTheRecordPolledPastARangeForTheNextRead() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("t", partitions: 1)
        let producer = try KafkaProducer(
            brokers: broker.bootstrapServers, counters: [ProduceCounters(topic: "t")], health: BrokerHealth(),
            logger: logger, extra: KafkaClientConfig([("compression.codec", "none"), ("batch.num.messages", "10")]))
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 50_000)  // 10 MB: retention drops the first half
        for i in 0..<200 { try producer.send(topic: "t", partition: 0, key: Array("\(i)".utf8), value: value) }
        #expect(producer.flush(timeoutMs: 20_000) == 0)
        let reader = try PartitionReader(
            brokers: broker.bootstrapServers, topic: "t", partition: 0, health: BrokerHealth(), logger: logger)
        let marks = try reader.watermarks()
        #expect(marks.low > 5)
        var batch = KafkaRecordBatch(topic: "t")
        let inGap = try reader.read(from: 0, until: 5, timeoutMs: 2000, into: &batch)
        #expect(batch.count == 0)
        #expect(inGap.nextOffset == 0)
        let after = try reader.read(from: inGap.nextOffset, until: marks.low + 3, into: &batch)
        #expect(after.gap?.expected == 0)
        #expect(after.gap?.resumedAt == marks.low)
        #expect(batch.offsets == Array(marks.low..<marks.low + 3))
        #expect(batch.keys.string(at: 0) == "\(marks.low)")
        #expect(after.nextOffset == marks.low + 3)
    }
}
