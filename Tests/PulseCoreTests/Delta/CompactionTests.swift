import Foundation
import Synchronization
import Testing

@testable import PulseCore

/// A store that runs `beforeCommit` once, just before the first `_delta_log` commit file is created
/// through it: another writer's commit lands between a compaction's snapshot and its own commit.
final class InterleavingStore: ObjectStore, Sendable {
    let inner: LocalStore
    private let hook: Mutex<(@Sendable () throws -> Void)?>

    init(_ inner: LocalStore, beforeCommit: @escaping @Sendable () throws -> Void) {
        self.inner = inner
        hook = Mutex(beforeCommit)
    }

    var description: String { inner.description }
    func get(_ key: String) throws -> [UInt8] { try inner.get(key) }
    func put(_ key: String, _ data: [UInt8]) throws { try inner.put(key, data) }
    func list(prefix: String) throws -> [ObjectInfo] { try inner.list(prefix: prefix) }
    func delete(_ key: String) throws { try inner.delete(key) }
    func putIfAbsent(_ key: String, _ data: [UInt8]) throws -> Bool {
        if key.contains("_delta_log/"), key.hasSuffix(".json"),
            let run = hook.withLock({ hook in
                defer { hook = nil }; return hook
            })
        {
            try run()
        }
        return try inner.putIfAbsent(key, data)
    }
}

@Suite struct CompactionTests {
    static let schema = DeltaSchema([
        DeltaField("station_id", .string), DeltaField("event_time", .timestamp), DeltaField("bikes", .integer),
        DeltaField("note", .string), DeltaField("dt", .date),
    ])

    /// One small commit of `rows` rows for stations in reverse order (so files are not sorted overall).
    static func batch(_ rows: Int, first: Int) -> RecordBatch {
        var station = ByteArrayColumn()
        var note = ByteArrayColumn()
        var levels: [UInt8] = []
        var times: [Int64] = []
        var bikes: [Int32] = []
        for i in 0..<rows {
            let n = first + i
            station.append("S\(String(format: "%03d", 30 - n % 30))")
            times.append(noon20 + Int64(n) * 1_000_000)
            bikes.append(Int32(n))
            if n % 7 == 0 {
                levels.append(0)
            } else {
                levels.append(1)
                note.append("n\(n)")
            }
        }
        return RecordBatch(
            schema: schema,
            columns: [
                ColumnData(values: .byteArray(station)), ColumnData(values: .int64(times)),
                ColumnData(values: .int32(bikes)), ColumnData(values: .byteArray(note), definitionLevels: levels),
                ColumnData(values: .int32(Array(repeating: day20, count: rows))),
            ], rowCount: rows)
    }

    /// Every row of the table (station, time, bikes, note), read back file by file.
    static func rows(_ table: DeltaTable) throws -> [String] {
        let snapshot = try #require(try table.snapshot())
        var out: [String] = []
        for add in snapshot.files.values {
            let piece = try table.readDataFile(add, base: snapshot)
            let stations = piece.columns[0].selecting(Array(0..<piece.rowCount))
            guard case .byteArray(let s) = stations.values, case .int64(let t) = piece.columns[1].values,
                case .int32(let b) = piece.columns[2].values
            else { continue }
            for r in 0..<piece.rowCount { out.append("\(s[r]) \(t[r]) \(b[r])") }
        }
        return out.sorted()
    }

    func makeTable(_ directory: TemporaryDirectory, files: Int, rowsPerFile: Int) throws -> DeltaTable {
        let table = DeltaTable(store: try LocalStore(root: directory.path), path: "silver/t")
        try table.createIfMissing(schema: Self.schema, partitionColumns: ["dt"], name: "t")
        for f in 0..<files {
            _ = try table.append(Self.batch(rowsPerFile, first: f * rowsPerFile), transactions: ["t-0": Int64(f + 1)])
        }
        return table
    }

    @Test func mergesSmallFilesSortedWithoutChangingRowsOrProgress() throws {
        let directory = TemporaryDirectory("compact")
        defer { directory.remove() }
        let table = try makeTable(directory, files: 20, rowsPerFile: 50)
        let before = try Self.rows(table)
        var policy = CompactionPolicy()
        policy.targetRows = 300
        let result = try table.compact(sortColumns: ["station_id", "event_time"], policy: policy)
        #expect(result.filesRemoved == 20)
        #expect(result.filesAdded == 4)
        #expect(result.rows == 1000)
        let snapshot = try #require(try table.snapshot())
        #expect(snapshot.fileCount == 4)
        #expect(snapshot.rowCount == 1000)
        #expect(snapshot.transactions["t-0"] == 20)
        #expect(try Self.rows(table) == before)
        // The commit is remove + add with dataChange false and no txn.
        let actions = try #require(try table.log.readCommit(snapshot.version))
        #expect(!actions.contains { if case .txn = $0 { true } else { false } })
        for case .add(let add) in actions { #expect(!add.dataChange) }
        for case .remove(let remove) in actions { #expect(!remove.dataChange) }
        // Each file is sorted by station, then time; together they cover station ranges.
        var ranges: [(String, String)] = []
        for add in snapshot.files.values {
            let piece = try table.readDataFile(add, base: snapshot)
            guard case .byteArray(let s) = piece.columns[0].values, case .int64(let t) = piece.columns[1].values else {
                continue
            }
            for r in 1..<piece.rowCount { #expect((s[r - 1], t[r - 1]) <= (s[r], t[r])) }
            ranges.append((s[0], s[piece.rowCount - 1]))
        }
        #expect(ranges.filter { $0.0 <= "S001" && "S001" <= $0.1 }.count == 1)
        // Nothing left to merge: below the threshold, no commit.
        #expect(try table.compact(sortColumns: ["station_id"], policy: policy).version == nil)
    }

    @Test func anAppendCommittedMeanwhileAndTheCompactionBothLand() throws {
        let directory = TemporaryDirectory("compact")
        defer { directory.remove() }
        let table = try makeTable(directory, files: 18, rowsPerFile: 10)
        let other = DeltaTable(store: try LocalStore(root: directory.path), path: "silver/t")
        let store = InterleavingStore(try LocalStore(root: directory.path)) {
            _ = try other.append(Self.batch(10, first: 5000), transactions: ["t-0": 19])
        }
        let compacting = DeltaTable(store: store, path: "silver/t")
        let result = try compacting.compact(sortColumns: ["station_id"])
        #expect(result.version != nil)
        let snapshot = try #require(try table.snapshot())
        #expect(snapshot.rowCount == 190)
        #expect(snapshot.transactions["t-0"] == 19)
        #expect(try Self.rows(table).count == 190)
    }

    @Test func twoCompactionsNeverRemoveAFileTwice() throws {
        let directory = TemporaryDirectory("compact")
        defer { directory.remove() }
        let table = try makeTable(directory, files: 18, rowsPerFile: 10)
        let before = try Self.rows(table)
        let other = DeltaTable(store: try LocalStore(root: directory.path), path: "silver/t")
        let otherResult = Mutex<CompactionResult?>(nil)
        let store = InterleavingStore(try LocalStore(root: directory.path)) {
            let result = try other.compact(sortColumns: ["station_id"])
            otherResult.withLock { $0 = result }
        }
        let losing = DeltaTable(store: store, path: "silver/t")
        let result = try losing.compact(sortColumns: ["station_id"])
        #expect(otherResult.withLock { $0?.version } != nil)
        #expect(result.version == nil)
        let snapshot = try #require(try table.snapshot())
        #expect(snapshot.rowCount == 180)
        #expect(try Self.rows(table) == before)
        // The loser's files were deleted: every data file on disk is live.
        let onDisk = try LocalStore(root: directory.path).list(prefix: "silver/t/dt=").count
        #expect(onDisk == snapshot.fileCount + 18)  // live files plus the 18 tombstoned ones
    }

    @Test func tombstonesLeaveMemoryOnceACheckpointHoldsThem() throws {
        let directory = TemporaryDirectory("compact")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "silver/t", checkpointInterval: 5)
        try table.createIfMissing(schema: Self.schema, partitionColumns: ["dt"], name: "t")
        for f in 0..<18 { _ = try table.append(Self.batch(10, first: f * 10), transactions: ["t-0": Int64(f + 1)]) }
        var policy = CompactionPolicy()
        policy.minSmallFiles = 1
        policy.smallRows = 1000
        _ = try table.compact(sortColumns: ["station_id"], policy: policy)  // version 19: 18 tombstones
        _ = try table.append(Self.batch(10, first: 900), transactions: ["t-0": 19])  // version 20: a checkpoint
        let snapshot = try #require(try table.snapshot())
        #expect(snapshot.version == 20)
        #expect(snapshot.tombstones.isEmpty)
        #expect(snapshot.tombstoneBase == 20)
        #expect(try Checkpoint.allTombstones(log: table.log, snapshot: snapshot).count == 18)
        // A fresh reader loads the checkpoint: the same, and the tombstones are read from the file on demand.
        let reloaded = try #require(try DeltaTable(store: store, path: "silver/t").snapshot())
        #expect(reloaded == snapshot)
        #expect(reloaded.tombstones.isEmpty)
        #expect(try Checkpoint.allTombstones(log: table.log, snapshot: reloaded).count == 18)
    }
}
