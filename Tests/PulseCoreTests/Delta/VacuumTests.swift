import Foundation
import Synchronization
import Testing

@testable import PulseCore

@Suite struct VacuumTests {
    static let hour: Int64 = 3_600_000

    /// A table at "silver/t" partitioned by dt with `files` one-row data files, and their storage keys in
    /// commit order.
    static func makeTable(_ store: any ObjectStore, files: Int) throws -> (DeltaTable, [String]) {
        let table = DeltaTable(store: store, path: "silver/t")
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt"], name: "t")
        var keys: [String] = []
        for offset in 0..<files {
            let before = Set(try #require(try table.snapshot()).files.keys)
            _ = try table.append(oneRow(offset), transactions: ["bike-0": Int64(offset + 1)])
            let after = try #require(try table.snapshot())
            let added = try #require(Set(after.files.keys).subtracting(before).first)
            keys.append("silver/t/" + PartitionPath.relativePath(logPath: added))
        }
        return (table, keys)
    }

    /// Commits the removal of the file at `key` with `deletionTimestamp`.
    static func remove(_ table: DeltaTable, _ key: String, at deletionTimestamp: Int64?, dataChange: Bool = true)
        throws
    {
        let base = try #require(try table.snapshot())
        let relative = String(key.dropFirst("silver/t/".count))
        _ = try table.log.commit(
            [
                .commitInfo(CommitInfoAction(operation: "DELETE", txnId: UUIDString.random())),
                .remove(
                    RemoveAction(
                        path: PartitionPath.logPath(relativePath: relative), deletionTimestamp: deletionTimestamp,
                        dataChange: dataChange)),
            ], base: base)
    }

    static func exists(_ directory: TemporaryDirectory, _ key: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.path + "/" + key)
    }

    static func relative(_ key: String) -> String { String(key.dropFirst("silver/t/".count)) }

    @Test func deletesOnlyWhatNoVersionWithinTheRetentionNeeds() throws {
        let directory = TemporaryDirectory("vacuum")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let (table, files) = try Self.makeTable(store, files: 5)
        let now = WallClock.nowMilliseconds()
        // files[0], files[3]: live, one of them written long ago. files[1]: removed an hour ago (kept for
        // the versions of the last 7 days). files[2]: removed 200 hours ago (expired). files[4]: removed
        // without a deletion time, written just now (judged by its age: too young).
        try setModified(directory, files[0], now - 400 * Self.hour)
        try setModified(directory, files[1], now - 400 * Self.hour)
        try setModified(directory, files[2], now - 400 * Self.hour)
        try Self.remove(table, files[1], at: now - Self.hour)
        try Self.remove(table, files[2], at: now - 200 * Self.hour)
        try Self.remove(table, files[4], at: nil)
        // Files no version names: a young one (a write about to be committed) and an old one (abandoned).
        let young = "silver/t/dt=2025-08-20/part-00000-young.c000.zstd.parquet"
        let orphan = "silver/t/dt=2025-08-20/part-00000-orphan.c000.zstd.parquet"
        try store.put(young, [1, 2, 3])
        try store.put(orphan, [1, 2, 3, 4])
        try setModified(directory, orphan, now - 200 * Self.hour)
        // Never touched, however old: the log, hidden files, and another table sharing the name's start.
        let untouchable = [
            "silver/t/_delta_log/notes.txt", "silver/t/.hidden.parquet", "silver/t/_tmp/part-x.parquet",
            "silver/t/dt=2025-08-20/_SUCCESS", "silver/tt/part-0.parquet",
        ]
        for key in untouchable {
            try store.put(key, [0])
            try setModified(directory, key, now - 1000 * Self.hour)
        }
        let rowsBefore = try #require(try table.snapshot()).rowCount

        let dryRun = try table.vacuum(now: now, dryRun: true)
        #expect(dryRun.dryRun)
        #expect(dryRun.retentionMillis == 168 * Self.hour)
        #expect(dryRun.removed.map(\.path) == [Self.relative(orphan), Self.relative(files[2])].sorted())
        #expect(dryRun.removed.first { $0.path == Self.relative(orphan) }?.size == 4)
        #expect(dryRun.kept.live == 2)
        #expect(dryRun.kept.retained == 1)
        #expect(dryRun.kept.young == 2)
        for key in files + [young, orphan] + untouchable { #expect(Self.exists(directory, key), "\(key)") }

        let report = try table.vacuum(now: now)
        #expect(!report.dryRun)
        #expect(report.removed == dryRun.removed)
        #expect(report.kept == dryRun.kept)
        #expect(report.removedBytes == dryRun.removedBytes)
        #expect(!Self.exists(directory, files[2]))
        #expect(!Self.exists(directory, orphan))
        for key in [files[0], files[1], files[3], files[4], young] + untouchable {
            #expect(Self.exists(directory, key), "\(key)")
        }
        // The table reads the same, from this instance and from a fresh one; a second vacuum finds nothing.
        #expect(try #require(try table.snapshot()).rowCount == rowsBefore)
        #expect(try #require(try DeltaTable(store: store, path: "silver/t").snapshot()).rowCount == rowsBefore)
        #expect(try table.vacuum(now: now).removed.isEmpty)
    }

    @Test func retentionComesFromTheTablePropertyUnlessGiven() throws {
        let directory = TemporaryDirectory("vacuum")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let (table, files) = try Self.makeTable(store, files: 2)
        let now = WallClock.nowMilliseconds()
        try Self.remove(table, files[0], at: now - 30 * Self.hour)
        try setTableProperty(table, TableProperties.deletedFileRetentionKey, "interval 1 days")

        let keptByGiven = try table.vacuum(retentionMillis: 168 * Self.hour, now: now, dryRun: true)
        #expect(keptByGiven.removed.isEmpty)
        #expect(keptByGiven.kept.retained == 1)
        let byProperty = try table.vacuum(now: now)
        #expect(byProperty.retentionMillis == 24 * Self.hour)
        #expect(byProperty.removed.map(\.path) == [Self.relative(files[0])])
        #expect(!Self.exists(directory, files[0]))

        // A property that is no interval stops vacuum, naming it, rather than guessing a retention.
        try setTableProperty(table, TableProperties.deletedFileRetentionKey, "interval 1 month")
        do {
            _ = try table.vacuum(now: now)
            Issue.record("vacuumed with an unreadable retention")
        } catch let error as DeltaError {
            #expect(error.message.contains("delta.deletedFileRetentionDuration"))
        }
    }

    @Test func atZeroRetentionUncommittedFilesStillGetTheirGrace() throws {
        let directory = TemporaryDirectory("vacuum")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let (table, files) = try Self.makeTable(store, files: 2)
        let now = WallClock.nowMilliseconds()
        // A compaction-style removal a second ago: at retention 0 no version needs the file any more.
        try Self.remove(table, files[0], at: now - 1000, dataChange: false)
        let writing = "silver/t/dt=2025-08-20/part-00000-writing.c000.zstd.parquet"
        let abandoned = "silver/t/dt=2025-08-20/part-00000-abandoned.c000.zstd.parquet"
        try store.put(writing, [1])
        try store.put(abandoned, [1])
        try setModified(directory, writing, now - 10 * 60_000)
        try setModified(directory, abandoned, now - 2 * Self.hour)

        let report = try table.vacuum(retentionMillis: 0, now: now)
        #expect(report.removed.map(\.path) == [Self.relative(abandoned), Self.relative(files[0])].sorted())
        #expect(report.kept.live == 1)
        #expect(report.kept.young == 1)
        #expect(Self.exists(directory, writing))
        #expect(Self.exists(directory, files[1]))
    }

    @Test func concurrentWritersKeepTheirFiles() throws {
        // Worst case, retention 0: while vacuum runs, a writer stores a data file it commits only after
        // vacuum ends, and a compaction commits after vacuum read the snapshot, removing a file that was
        // live in it. Neither writer's file may go.
        let directory = TemporaryDirectory("vacuum")
        defer { directory.remove() }
        let local = try LocalStore(root: directory.path)
        let store = InterposedStore(local)
        let (table, files) = try Self.makeTable(store, files: 3)
        let now = WallClock.nowMilliseconds()
        try Self.remove(table, files[2], at: now - 1000)
        let other = DeltaTable(store: local, path: "silver/t")
        let pending = "silver/t/dt=2025-08-20/part-00000-pending.c000.zstd.parquet"
        store.beforeList = { try local.put(pending, [9, 9]) }
        store.beforeDelete = {
            // The compaction: files[0] out, its rows in a new file, committed after vacuum's snapshot.
            try Self.remove(other, files[0], at: WallClock.nowMilliseconds(), dataChange: false)
            _ = try other.append(oneRow(100), transactions: [:])
        }

        let report = try table.vacuum(retentionMillis: 0, now: now)
        #expect(report.removed.map(\.path) == [Self.relative(files[2])])
        #expect(store.deletes == 1)
        #expect(Self.exists(directory, files[0]))
        #expect(Self.exists(directory, pending))
        // The pending write commits now, and every live file of the latest version is there.
        let base = try #require(try other.snapshot())
        _ = try other.log.commit(
            [
                .commitInfo(CommitInfoAction(operation: "WRITE", txnId: UUIDString.random())),
                .add(
                    AddAction(
                        path: Self.relative(pending), partitionValues: ["dt": "2025-08-20"], size: 2,
                        modificationTime: now)),
            ], base: base)
        let latest = try #require(try DeltaTable(store: local, path: "silver/t").snapshot())
        #expect(latest.fileCount == 3)
        for path in latest.files.keys {
            #expect(Self.exists(directory, "silver/t/" + PartitionPath.relativePath(logPath: path)), "\(path)")
        }
    }

    @Test func absolutePathsProtectEveryFileTheyMightName() {
        #expect(DeltaTable.storagePaths("dt=2025-08-20/a%20b.parquet") == ["dt=2025-08-20/a b.parquet"])
        #expect(DeltaTable.storagePaths("t=00:00/f.parquet") == ["t=00:00/f.parquet"])
        #expect(
            DeltaTable.storagePaths("/data/t/f.parquet") == [
                "/data/t/f.parquet", "data/t/f.parquet", "t/f.parquet", "f.parquet",
            ])
        #expect(
            DeltaTable.storagePaths("s3://bucket/lake/silver/t/dt=x/f.parquet") == [
                "s3://bucket/lake/silver/t/dt=x/f.parquet", "/bucket/lake/silver/t/dt=x/f.parquet",
                "bucket/lake/silver/t/dt=x/f.parquet",
                "lake/silver/t/dt=x/f.parquet", "silver/t/dt=x/f.parquet", "t/dt=x/f.parquet", "dt=x/f.parquet",
                "f.parquet",
            ])
    }

    @Test func hiddenPathsAreJudgedBySegment() throws {
        let directory = TemporaryDirectory("vacuum")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "t")
        let schema = DeltaSchema([DeltaField("_p", .string), DeltaField("x", .long)])
        try table.createIfMissing(schema: schema, partitionColumns: ["_p"], name: "t")
        let now = WallClock.nowMilliseconds()
        // A partition column starting with "_" makes "_p=a/" a data directory, not a hidden one.
        let keys = ["t/_p=a/part-0.parquet", "t/_q=a/part-0.parquet", "t/_p=a/.part-0.parquet.crc", "t/part-1.parquet"]
        for key in keys {
            try store.put(key, [0])
            try setModified(directory, key, now - 1000 * Self.hour)
        }
        let report = try table.vacuum(now: now, dryRun: true)
        #expect(report.removed.map(\.path) == ["_p=a/part-0.parquet", "part-1.parquet"])
    }
}

/// A store that runs a hook before its first `list` and its first `delete`: a writer acting in the
/// middle of a vacuum.
final class InterposedStore: ObjectStore, Sendable {
    private let base: LocalStore
    private struct Hooks {
        var beforeList: (@Sendable () throws -> Void)?
        var beforeDelete: (@Sendable () throws -> Void)?
        var deletes = 0
    }
    private let hooks = Mutex(Hooks())

    init(_ base: LocalStore) { self.base = base }

    var beforeList: (@Sendable () throws -> Void)? {
        get { hooks.withLock { $0.beforeList } }
        set { hooks.withLock { $0.beforeList = newValue } }
    }
    var beforeDelete: (@Sendable () throws -> Void)? {
        get { hooks.withLock { $0.beforeDelete } }
        set { hooks.withLock { $0.beforeDelete = newValue } }
    }
    var deletes: Int { hooks.withLock { $0.deletes } }

    var description: String { base.description }
    func get(_ key: String) throws -> [UInt8] { try base.get(key) }
    func put(_ key: String, _ data: [UInt8]) throws { try base.put(key, data) }
    func putIfAbsent(_ key: String, _ data: [UInt8]) throws -> Bool { try base.putIfAbsent(key, data) }
    func list(prefix: String) throws -> [ObjectInfo] {
        let hook = hooks.withLock { hooks in
            defer { hooks.beforeList = nil }
            return hooks.beforeList
        }
        try hook?()
        return try base.list(prefix: prefix)
    }
    func delete(_ key: String) throws {
        let hook = hooks.withLock { hooks in
            defer { hooks.beforeDelete = nil }
            hooks.deletes += 1
            return hooks.beforeDelete
        }
        try hook?()
        try base.delete(key)
    }
}
