import Foundation
import Synchronization
import Testing

@testable import PulseCore

@Suite struct DeltaTableTests {
    @Test func createIfMissingCreatesOnceAndVerifiesAfterwards() throws {
        let directory = TemporaryDirectory("table")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "bronze/bike")
        #expect(try table.snapshot() == nil)
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt", "station_id"], name: "bike")
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt", "station_id"], name: "bike")
        let snapshot = try #require(try table.snapshot())
        #expect(snapshot.version == 0)
        #expect(snapshot.protocol == ProtocolAction(minReaderVersion: 1, minWriterVersion: 2))
        #expect(snapshot.metadata.name == "bike")
        #expect(snapshot.metadata.id.count == 36)
        #expect(snapshot.partitionColumns == ["dt", "station_id"])
        #expect(snapshot.schema == allTypesSchema)

        // A second instance (another process, say) sees the same table and the same checks apply.
        let other = DeltaTable(store: store, path: "bronze/bike")
        do {
            try other.createIfMissing(schema: DeltaSchema([DeltaField("x", .long)]), partitionColumns: [], name: "bike")
            Issue.record("accepted a different schema")
        } catch let error as DeltaError {
            #expect(error.code == .schemaMismatch)
            #expect(error.message.contains("station_id string"))
        }
        // An existing table keeps its partitioning, whatever a newer writer would create.
        try other.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt"], name: "bike")
        #expect(try other.snapshot()?.partitionColumns == ["dt", "station_id"])
        #expect(throws: DeltaError.self) {
            try DeltaTable(store: store, path: "x").createIfMissing(
                schema: allTypesSchema, partitionColumns: ["nope"], name: "x")
        }
    }

    @Test func progressCommitsCarryOnlyTransactions() throws {
        let directory = TemporaryDirectory("table")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "quarantine/bike")
        #expect(throws: DeltaError.self) {
            try table.append(.empty(schema: allTypesSchema), transactions: ["bike-0": 1])
        }
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt"], name: "q")
        let result = try table.append(.empty(schema: allTypesSchema), transactions: ["bike-0": 100, "bike-1": 7])
        #expect(
            result
                == CommitResult(
                    version: 1, filesAdded: 0, bytesAdded: 0, rowsAdded: 0,
                    totals: result.totals))
        #expect(result.totals?.files == 0 && result.totals?.rows == 0)
        #expect(try table.transactionVersion(appId: "bike-0") == 100)
        #expect(try table.transactionVersion(appId: "bike-1") == 7)
        #expect(try table.transactionVersion(appId: "bike-2") == nil)
        let text = String(
            decoding: try store.get("quarantine/bike/_delta_log/00000000000000000001.json"), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix(#"{"commitInfo":{"#))
        #expect(lines[1].hasPrefix(#"{"txn":{"appId":"bike-0","version":100,"#))

        // The exactly-once guard: a version not above the recorded one is refused.
        do {
            _ = try table.append(.empty(schema: allTypesSchema), transactions: ["bike-0": 100])
            Issue.record("recorded bike-0=100 twice")
        } catch let error as DeltaError {
            #expect(error.code == .staleTransaction)
        }
        // A second instance sees the progress of the first.
        #expect(try DeltaTable(store: store, path: "quarantine/bike").transactionVersion(appId: "bike-0") == 100)
    }

    @Test func twoWritersOnTwoThreadsLoseNoVersion() throws {
        let directory = TemporaryDirectory("table")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        try DeltaTable(store: store, path: "t").createIfMissing(
            schema: allTypesSchema, partitionColumns: ["dt"], name: "t")
        let commitsPerWriter = 25
        let writers = [DeltaTable(store: store, path: "t"), DeltaTable(store: store, path: "t")]
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for step in 1...commitsPerWriter {
                do {
                    _ = try writers[writer].append(
                        .empty(schema: allTypesSchema), transactions: ["w-\(writer)": Int64(step)])
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let snapshot = try #require(try DeltaTable(store: store, path: "t").snapshot())
        #expect(snapshot.version == Int64(2 * commitsPerWriter))
        #expect(snapshot.transactions == ["w-0": Int64(commitsPerWriter), "w-1": Int64(commitsPerWriter)])
        let commits = try TransactionLog(store: store, tablePath: "t").listVersions().commits
        #expect(commits == Array(0...Int64(2 * commitsPerWriter)))
    }

    @Test func aTableGainsNullableColumnsByASchemaUpdate() throws {
        let directory = TemporaryDirectory("table")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "bronze/bike")
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt"], name: "bike")
        _ = try table.append(
            makeBatch([
                Row(station: "S001", city: "A", bikes: 1, offset: 1, rate: 0.5, eventTime: noon20, day: day20, ok: true)
            ]), transactions: ["bike-0": 2])
        let wider = DeltaSchema(
            allTypesSchema.fields + [DeltaField("kafka_cluster_id", .string), DeltaField("raw", .binary)])
        let reopened = DeltaTable(store: store, path: "bronze/bike")
        try reopened.createIfMissing(schema: wider, partitionColumns: ["dt"], name: "bike")
        let snapshot = try #require(try reopened.snapshot())
        #expect(snapshot.version == 2)
        #expect(snapshot.schema == wider)
        #expect(
            snapshot.metadata.id
                == (try table.log.readCommit(0)?.compactMap { if case .metadata(let m) = $0 { m.id } else { nil } }
                    .first))
        #expect(snapshot.transactions["bike-0"] == 2)
        // A second engine asking for the same schema changes nothing; a narrower or retyped one is refused.
        try DeltaTable(store: store, path: "bronze/bike").createIfMissing(
            schema: wider, partitionColumns: ["dt"], name: "bike")
        #expect(try reopened.snapshot()?.version == 2)
        #expect(throws: DeltaError.self) {
            try DeltaTable(store: store, path: "bronze/bike").createIfMissing(
                schema: DeltaSchema(allTypesSchema.fields + [DeltaField("kafka_cluster_id", .long)]),
                partitionColumns: ["dt"],
                name: "bike")
        }
        #expect(throws: DeltaError.self) {
            try DeltaTable(store: store, path: "bronze/bike").createIfMissing(
                schema: DeltaSchema(wider.fields + [DeltaField("required", .string, nullable: false)]),
                partitionColumns: ["dt"], name: "bike")
        }
    }
}
