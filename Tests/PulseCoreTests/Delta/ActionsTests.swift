import Testing

@testable import PulseCore

@Suite struct ActionsTests {
    static let sample: [DeltaAction] = [
        .commitInfo(
            CommitInfoAction(
                timestamp: 1_755_000_000_000, operation: "STREAMING UPDATE",
                operationParameters: ["outputMode": "Append"],
                engineInfo: "pulse-tui", isBlindAppend: true, txnId: "7d3c1f9e-0000-4000-8000-000000000001")),
        .protocol(ProtocolAction(minReaderVersion: 1, minWriterVersion: 2)),
        .metadata(
            MetadataAction(
                id: "0b5c3f4e-1111-4222-8333-444455556666", name: "bike", description: "bronze bike",
                schemaString: allTypesSchema.schemaString, partitionColumns: ["dt", "station_id"],
                configuration: ["delta.appendOnly": "true"], createdTime: 1_755_000_000_001)),
        .add(
            AddAction(
                path: "dt=2025-08-20/station_id=a%2520b/part-00000-x.c000.zstd.parquet",
                partitionValues: ["dt": "2025-08-20", "station_id": "a b", "empty": nil], size: 1234,
                modificationTime: 1_755_000_000_002, dataChange: true,
                stats: #"{"numRecords":3,"minValues":{"city":"A\"q"},"maxValues":{},"nullCount":{"city":0}}"#)),
        .remove(
            RemoveAction(
                path: "old.parquet", deletionTimestamp: 1_755_000_000_003, dataChange: true, extendedFileMetadata: true,
                partitionValues: ["dt": "2025-08-19"], size: 99)),
        .txn(TransactionAction(appId: "bike-0", version: 42, lastUpdated: 1_755_000_000_004)),
        .txn(TransactionAction(appId: "bike-1@2", version: Int64.max)),
    ]

    @Test func commitRoundTrip() throws {
        let bytes = DeltaAction.encodeCommit(ActionsTests.sample)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.split(separator: "\n").count == ActionsTests.sample.count)
        #expect(text.hasSuffix("\n"))
        #expect(try DeltaAction.decodeCommit(bytes) == ActionsTests.sample)
    }

    @Test func writesTheShapesDeltaRsWrites() {
        let lines = String(decoding: DeltaAction.encodeCommit(ActionsTests.sample), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(lines[1] == #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#)
        #expect(lines[5] == #"{"txn":{"appId":"bike-0","version":42,"lastUpdated":1755000000004}}"#)
        #expect(lines[2].contains(#""format":{"provider":"parquet","options":{}}"#))
        #expect(lines[2].contains(#""partitionColumns":["dt","station_id"]"#))
        // schemaString is a JSON string holding JSON.
        #expect(lines[2].contains(#""schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"station_id\""#))
        #expect(lines[3].contains(#""partitionValues":{"dt":"2025-08-20","empty":null,"station_id":"a b"}"#))
        #expect(lines[3].contains(#""stats":"{\"numRecords\":3,"#))
    }

    @Test func readsDeltaRsLinesWithNullsAndExtraFields() throws {
        let line = #"""
            {"add":{"path":"s=__HIVE_DEFAULT_PARTITION__/part-00000-5c31-c000.snappy.parquet","partitionValues":{"s":null},"size":642,"modificationTime":1795602897672,"dataChange":true,"stats":"{\"numRecords\":1,\"minValues\":{},\"maxValues\":{},\"nullCount\":{\"d\":1,\"v\":1}}","tags":null,"baseRowId":null,"defaultRowCommitVersion":null,"clusteringProvider":null}}
            {"commitInfo":{"timestamp":1795602897673,"operation":"WRITE","operationParameters":{"mode":"Append","partitionBy":"[\"s\"]"},"engineInfo":"delta-rs:py-1.6.6","operationMetrics":{"num_added_files":2}}}
            {"txn":{"appId":"x-0","version":5}}
            {"domainMetadata":{"domain":"d","configuration":"{}","removed":false}}
            """#
        let actions = try DeltaAction.decodeCommit(Array(line.utf8))
        #expect(actions.count == 4)
        guard case .add(let add) = actions[0] else {
            Issue.record("expected add")
            return
        }
        let expected: [String: String?] = ["s": String?.none]
        #expect(add.partitionValues == expected)
        #expect(add.numRecords == 1)
        #expect(add.tags == nil)
        guard case .commitInfo(let info) = actions[1] else {
            Issue.record("expected commitInfo")
            return
        }
        #expect(info.operationParameters["partitionBy"] == #"["s"]"#)
        #expect(actions[2] == .txn(TransactionAction(appId: "x-0", version: 5)))
        #expect(actions[3] == .other("domainMetadata"))
    }

    @Test func rejectsBrokenLinesWithTheLineNumber() {
        let text = "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n{\"add\":{\"path\":\"x\"}}\n"
        do {
            _ = try DeltaAction.decodeCommit(Array(text.utf8))
            Issue.record("decoded an add without size")
        } catch {
            #expect("\(error)".contains("line 2"))
            #expect("\(error)".contains("add.size"))
        }
    }

    @Test func schemaStringRoundTrip() throws {
        let parsed = try DeltaSchema.parse(schemaString: allTypesSchema.schemaString)
        #expect(parsed == allTypesSchema)
        #expect(
            DeltaSchema([DeltaField("a", .long, nullable: false)]).schemaString
                == #"{"type":"struct","fields":[{"name":"a","type":"long","nullable":false,"metadata":{}}]}"#)
        #expect(throws: DeltaError.self) {
            try DeltaSchema.parse(schemaString: #"{"type":"struct","fields":[{"name":"a","type":"decimal(10,2)"}]}"#)
        }
    }

    @Test func statsNumRecordsScan() {
        #expect(FileStatistics.numRecords(in: #"{"numRecords":12345,"minValues":{}}"#) == 12345)
        #expect(FileStatistics.numRecords(in: #"{"minValues":{"a":1}, "numRecords" : 7}"#) == 7)
        #expect(FileStatistics.numRecords(in: #"{"minValues":{}}"#) == nil)
    }
}
