import Foundation
import Testing

@testable import PulseCore

@Suite struct BronzeStageTests {
    /// Records with the given keys and values (nil: Kafka sent none), all in partition 0.
    func records(_ pairs: [([UInt8]?, [UInt8]?)]) -> KafkaRecordBatch {
        var batch = KafkaRecordBatch(topic: "bike")
        for (i, (key, value)) in pairs.enumerated() {
            (key ?? []).withUnsafeBytes { batch.keys.append($0) }
            (value ?? []).withUnsafeBytes { batch.values.append($0) }
            batch.nullFlags.append(
                (key == nil ? KafkaRecordBatch.keyIsNull : 0) | (value == nil ? KafkaRecordBatch.valueIsNull : 0))
            batch.partitions.append(0)
            batch.offsets.append(Int64(i))
            batch.timestampsMicros.append(0)
            batch.timestampTypes.append(0)
        }
        return batch
    }

    func rows(_ batch: KafkaRecordBatch, minimum: [Int32: Int64] = [:]) throws -> RecordBatch {
        let rows = BronzeStage.rows(
            of: batch, ingestMicros: noon20, minimumOffset: minimum, clusterID: "cluster-1",
            schema: TableSchemas.bronze("bike").schema)
        try rows.validate(table: "bronze/bike")
        return rows
    }

    /// Values of a nullable byte-array column by row (nil = null).
    func cells(_ column: ColumnData, rows: Int) -> [[UInt8]?] {
        guard case .byteArray(let values) = column.values else { return [] }
        var dense = 0
        return (0..<rows).map { row in
            guard column.definitionLevels.map({ $0[row] == 1 }) ?? true else { return nil }
            defer { dense += 1 }
            return Array(values.bytes(at: dense))
        }
    }

    @Test func validTextIsCopiedAndTheBytesColumnsStayNull() throws {
        let batch = try rows(records([(Array("S001".utf8), Array("{\"a\": \"é\"}".utf8))]))
        let schema = TableSchemas.bronze("bike").schema
        #expect(cells(batch.columns[0], rows: 1) == [Array("S001".utf8)])
        #expect(cells(batch.columns[1], rows: 1) == [Array("{\"a\": \"é\"}".utf8)])
        #expect(cells(batch.columns[schema.index(of: "kafka_cluster_id")!], rows: 1) == [Array("cluster-1".utf8)])
        #expect(cells(batch.columns[schema.index(of: "key_bytes")!], rows: 1) == [nil])
        #expect(cells(batch.columns[schema.index(of: "value_bytes")!], rows: 1) == [nil])
    }

    @Test func invalidUTF8IsRepairedInTextAndKeptExactlyInBytes() throws {
        let badValue: [UInt8] = [0x7B, 0xC3, 0x28, 0xFF, 0x7D]  // "{" + broken sequences + "}"
        let badKey: [UInt8] = [0xED, 0xA0, 0x80]  // an encoded surrogate
        let batch = try rows(records([(badKey, badValue), (nil, nil), (Array("k".utf8), Array("ok".utf8))]))
        let schema = TableSchemas.bronze("bike").schema
        let keys = cells(batch.columns[0], rows: 3)
        let values = cells(batch.columns[1], rows: 3)
        #expect(keys[1] == nil && values[1] == nil)  // no key, a tombstone
        #expect(values[0].map { value in value.withUnsafeBytes { UTF8Validation.isValid($0) } } == true)
        #expect(values[0] == Array(String(decoding: badValue, as: UTF8.self).utf8))
        #expect(keys[0] == Array("\u{FFFD}\u{FFFD}\u{FFFD}".utf8))
        #expect(cells(batch.columns[schema.index(of: "value_bytes")!], rows: 3) == [badValue, nil, nil])
        #expect(cells(batch.columns[schema.index(of: "key_bytes")!], rows: 3) == [badKey, nil, nil])
        #expect(values[2] == Array("ok".utf8))
    }

    @Test func aReplayKeepsOnlyOffsetsAtOrAboveTheTableVersion() throws {
        let batch = try rows(
            records([([0x80], [0x80]), (nil, Array("b".utf8)), (Array("c".utf8), nil)]), minimum: [0: 1])
        #expect(batch.rowCount == 2)
        #expect(cells(batch.columns[0], rows: 2) == [nil, Array("c".utf8)])
        #expect(cells(batch.columns[1], rows: 2) == [Array("b".utf8), nil])
    }

    @Test(
        arguments: [
            ([], true), (Array("plain ascii, long enough for the word loop".utf8), true), ([0xC3, 0xA9], true),
            ([0xF0, 0x9F, 0x9A, 0xB2], true), ([0xC0, 0x80], false), ([0xED, 0xA0, 0x80], false),
            ([0xF4, 0x90, 0x80, 0x80], false), ([0xE2, 0x82], false), ([0x80], false), ([0x61, 0x62, 0xFF], false),
        ] as [([UInt8], Bool)])
    func utf8ValidationFollowsRFC3629(_ bytes: [UInt8], _ valid: Bool) {
        #expect(bytes.withUnsafeBytes { UTF8Validation.isValid($0) } == valid)
        #expect(
            bytes.withUnsafeBytes { UTF8Validation.isValid($0) } == (String(validating: bytes, as: UTF8.self) != nil))
    }
}
