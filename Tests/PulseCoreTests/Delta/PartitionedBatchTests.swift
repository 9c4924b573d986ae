import Testing

@testable import PulseCore

@Suite struct PartitionedBatchTests {
    @Test func splitsByPartitionValuesAndComputesStatistics() throws {
        let rows = [
            Row(
                station: "S001", city: "Boston", bikes: 5, offset: 10, rate: 0.5, eventTime: noon20, day: day20,
                ok: true),
            Row(station: "S002", city: nil, bikes: nil, offset: 11, rate: nil, eventTime: nil, day: day20, ok: nil),
            Row(
                station: "S001", city: "Acton", bikes: 9, offset: 12, rate: 0.25, eventTime: noon20 + 1_500, day: day20,
                ok: false),
            Row(
                station: "S001", city: "Boston", bikes: -1, offset: 13, rate: 1.0, eventTime: noon20 - 1,
                day: day20 + 1, ok: true),
        ]
        let split = try PartitionedBatch(makeBatch(rows), partitionColumns: ["dt", "station_id"], table: "t")
        #expect(split.dataFields.map(\.name) == ["city", "bikes", "offset", "rate", "event_time", "ok"])
        #expect(
            split.slices.map(\.partitionValues) == [
                ["2025-08-20", "S001"], ["2025-08-20", "S002"], ["2025-08-21", "S001"],
            ])
        #expect(split.slices.map(\.rowCount) == [2, 1, 1])

        let first = split.slices[0]
        guard case .int64(let offsets) = first.columns[2].values else {
            Issue.record("offset column is not int64")
            return
        }
        #expect(offsets == [10, 12])
        #expect(first.columns.allSatisfy { $0.definitionLevels == nil })
        #expect(
            first.statistics.json
                == #"{"numRecords":2,"minValues":{"city":"Acton","bikes":5,"offset":10,"rate":0.25,"#
                + #""event_time":"2025-08-20T12:00:00Z","ok":false},"maxValues":{"city":"Boston","bikes":9,"offset":12,"#
                + #""rate":0.5,"event_time":"2025-08-20T12:00:00.001500Z","ok":true},"nullCount":{"city":0,"bikes":0,"#
                + #""offset":0,"rate":0,"event_time":0,"ok":0}}"#)

        let nulls = split.slices[1]
        #expect(nulls.columns[0].definitionLevels == [0])
        #expect(nulls.columns[0].values.count == 0)
        #expect(
            nulls.statistics.json
                == #"{"numRecords":1,"minValues":{"offset":11},"maxValues":{"offset":11},"nullCount":{"city":1,"bikes":1,"offset":0,"rate":1,"event_time":1,"ok":1}}"#
        )
    }

    @Test func longStringsKeepAPrefixMinimumAndNoMaximum() throws {
        let schema = DeltaSchema([DeltaField("v", .string)])
        var column = ByteArrayColumn()
        let long = String(repeating: "x", count: 40)
        column.append(long)
        column.append("b")
        let split = try PartitionedBatch(
            RecordBatch(schema: schema, columns: [ColumnData(values: .byteArray(column))], rowCount: 2),
            partitionColumns: [], table: "t")
        #expect(split.slices.count == 1)
        #expect(split.slices[0].partitionValues == [])
        let stats = try JSONParser.parse(split.slices[0].statistics.json)
        #expect(stats["minValues"]?["v"] == .string("b"))
        #expect(stats["maxValues"]?["v"] == nil)
    }

    @Test func nanLeavesNoMaximum() throws {
        let schema = DeltaSchema([DeltaField("x", .double)])
        let split = try PartitionedBatch(
            RecordBatch(schema: schema, columns: [ColumnData(values: .double([1.5, .nan, -2]))], rowCount: 3),
            partitionColumns: [], table: "t")
        let stats = try JSONParser.parse(split.slices[0].statistics.json)
        #expect(stats["minValues"]?["x"] == .double(-2))
        #expect(stats["maxValues"]?["x"] == nil)
        #expect(stats["nullCount"]?["x"] == .int(0))
    }

    @Test func rejectsBatchesThatDoNotFitTheSchema() {
        var batch = makeBatch([
            Row(station: "S001", city: "B", bikes: 1, offset: 1, rate: 1, eventTime: 1, day: 1, ok: true)
        ])
        batch.columns[3] = ColumnData(values: .int32([1]))
        #expect(throws: DeltaError.self) { try batch.validate(table: "t") }
        batch = makeBatch([
            Row(station: "S001", city: nil, bikes: 1, offset: 1, rate: 1, eventTime: 1, day: 1, ok: true)
        ])
        batch.columns[1].definitionLevels = [1]
        #expect(throws: DeltaError.self) { try batch.validate(table: "t") }
    }
}
