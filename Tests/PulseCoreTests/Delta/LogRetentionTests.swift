import Foundation
import Testing

@testable import PulseCore

@Suite struct LogRetentionTests {
    static let day: Int64 = 86_400_000

    /// A table "t" with commits 0 (create) to `commits` (one row each), checkpoints every 10.
    static func makeTable(_ store: any ObjectStore, commits: Int, clock: TestClock? = nil) throws -> DeltaTable {
        let table: DeltaTable
        if let clock {
            table = DeltaTable(store: store, path: "t", logCleanup: .init(inBackground: false), clock: { clock.now })
        } else {
            table = DeltaTable(store: store, path: "t", logCleanup: .init(inBackground: false))
        }
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt"], name: "t")
        try append(table, upTo: commits)
        return table
    }

    static func append(_ table: DeltaTable, upTo version: Int) throws {
        var current = try #require(try table.snapshot()).version
        while current < Int64(version) {
            current = try table.append(oneRow(Int(current)), transactions: [:]).version
        }
    }

    /// Sets the modification time of every log file of `versions` (commits and checkpoints) to `millis`.
    static func age(
        _ directory: TemporaryDirectory, _ log: TransactionLog, _ versions: ClosedRange<Int64>, to millis: Int64
    )
        throws
    {
        for object in try log.store.list(prefix: log.logPrefix) {
            let name = object.key.dropFirst(log.logPrefix.count)
            if let version = Int64(name.prefix(20)), versions.contains(version) {
                try setModified(directory, object.key, millis)
            }
        }
    }

    /// The table at `version` as a reader that starts from a checkpoint at or below it would see it, or
    /// nil when the log no longer reaches that version.
    static func snapshot(_ log: TransactionLog, at version: Int64) throws -> Snapshot? {
        let listing = try log.listVersions()
        guard let start = listing.checkpoints.last(where: { $0 <= version }) else {
            guard listing.commits.first == 0 else { return nil }
            var replayed = Snapshot()
            for v in 0...version {
                guard let actions = try log.readCommit(v) else { return nil }
                try replayed.apply(actions, version: v, table: "t")
            }
            return replayed
        }
        var snapshot = try Checkpoint.read(log: log, version: start)
        var next = start + 1
        while next <= version {
            guard let actions = try log.readCommit(next) else { return nil }
            try snapshot.apply(actions, version: next, table: "t")
            next += 1
        }
        return snapshot
    }

    @Test func keepsTheTableLoadableAndEveryVersionInsideTheRetention() throws {
        let directory = TemporaryDirectory("logretention")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = try Self.makeTable(store, commits: 25)
        let log = table.log
        #expect(try log.listVersions().checkpoints == [10, 20])
        let latest = try #require(try table.snapshot())
        var rows: [Int64: Int64] = [:]
        for version in Int64(0)...25 { rows[version] = try #require(try Self.snapshot(log, at: version)).rowCount }
        let now = WallClock.nowMilliseconds()
        // Versions 0-14 are 40 days old, 15-25 one day old: version 15 is the oldest inside 30 days, so
        // the log must keep a way to it: checkpoint 10 and commits 10-25.
        try Self.age(directory, log, 0...14, to: now - 40 * Self.day)
        try Self.age(directory, log, 15...25, to: now - Self.day)

        let preview = try table.cleanUpLog(now: now, dryRun: true)
        #expect(preview.checkpointVersion == 10)
        #expect(preview.retentionMillis == 30 * Self.day)
        #expect(preview.removed.map(\.path) == (0..<10).map { "_delta_log/" + TransactionLog.padded($0) + ".json" })
        #expect(try log.listVersions().commits.count == 26)

        let cleaned = try table.cleanUpLog(now: now)
        #expect(cleaned.removed == preview.removed)
        let listing = try log.listVersions()
        #expect(listing.commits == Array(10...25))
        #expect(listing.checkpoints == [10, 20])
        for version in Int64(10)...25 {
            #expect(try Self.snapshot(log, at: version)?.rowCount == rows[version], "version \(version)")
        }
        #expect(try DeltaTable(store: store, path: "t").snapshot() == latest)

        // Everything 40 days old: the newest checkpoint (20) becomes the start, the table still loads.
        try Self.age(directory, log, 0...25, to: now - 40 * Self.day)
        // ... but not past where `_last_checkpoint` points (a pointer written late by a slower writer).
        let pointer = try store.get(log.lastCheckpointKey)
        try store.put(log.lastCheckpointKey, Array(#"{"version":10,"size":5}"#.utf8))
        #expect(try table.cleanUpLog(now: now).removed.isEmpty)
        try store.put(log.lastCheckpointKey, pointer)
        let second = try table.cleanUpLog(now: now)
        #expect(second.checkpointVersion == 20)
        #expect(second.removed.count == 11)  // commits 10-19 and checkpoint 10
        #expect(try log.listVersions().commits == Array(20...25))
        #expect(try log.listVersions().checkpoints == [20])
        #expect(try DeltaTable(store: store, path: "t").snapshot() == latest)
        for version in Int64(20)...25 {
            #expect(try Self.snapshot(log, at: version)?.rowCount == rows[version], "version \(version)")
        }
    }

    @Test func anUnreadableCheckpointIsNeverTheStart() throws {
        let directory = TemporaryDirectory("logretention")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = try Self.makeTable(store, commits: 22)
        let log = table.log
        let latest = try #require(try table.snapshot())
        try store.put(log.checkpointKey(20), Array("not parquet".utf8))
        try Self.age(directory, log, 0...22, to: WallClock.nowMilliseconds() - 40 * Self.day)
        let report = try table.cleanUpLog()
        #expect(report.checkpointVersion == 10)
        #expect(try log.listVersions().commits == Array(10...22))
        #expect(try DeltaTable(store: store, path: "t").snapshot() == latest)
    }

    @Test func nothingGoesWhileNoCheckpointIsOldEnough() throws {
        let directory = TemporaryDirectory("logretention")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = try Self.makeTable(store, commits: 12)
        let now = WallClock.nowMilliseconds()
        // Commits 0-9 are old but checkpoint 10's commit is young: removing them would strand version 1-9
        // readers without gaining a start that is old enough.
        try Self.age(directory, table.log, 0...9, to: now - 40 * Self.day)
        let report = try table.cleanUpLog(now: now)
        #expect(report.checkpointVersion == nil)
        #expect(report.removed.isEmpty)
        // A table that turns cleanup off keeps everything, however old.
        try Self.age(directory, table.log, 0...12, to: now - 40 * Self.day)
        try setTableProperty(table, TableProperties.expiredLogCleanupKey, "false")
        let off = try table.cleanUpLog(now: now)
        #expect(off.skipped != nil)
        #expect(try table.log.listVersions().commits.count == 14)
    }

    @Test func aCheckpointCleansTheLogByItself() throws {
        let directory = TemporaryDirectory("logretention")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let clock = TestClock(WallClock.nowMilliseconds())
        let table = try Self.makeTable(store, commits: 1, clock: clock)
        try setTableProperty(table, TableProperties.logRetentionKey, "interval 1 hours")  // version 2
        try Self.append(table, upTo: 19)
        #expect(table.lastLogCleanup?.removed.isEmpty == true)  // after checkpoint 10: all young
        // Versions 0-19 two hours old; an hour on, the next automatic cleanup is due (at most one an hour)
        // and version 20, written now, is the first inside the retention.
        try Self.age(directory, table.log, 0...19, to: clock.now - 2 * 3_600_000)
        clock.advance(by: 3_600_000)
        try Self.append(table, upTo: 20)
        let report = try #require(table.lastLogCleanup)
        #expect(table.lastLogCleanupError == nil)
        #expect(report.retentionMillis == 3_600_000)
        #expect(report.checkpointVersion == 10)
        #expect(try table.log.listVersions().commits == Array(10...20))
        #expect(try DeltaTable(store: store, path: "t").snapshot()?.version == 20)
    }

    @Test func aSnapshotCachedLongerThanHalfTheLogRetentionIsReloaded() throws {
        // An engine idle on a table for weeks holds a snapshot whose next commits log cleanup may have
        // removed since; read one commit at a time, the log would seem to end there and the next commit
        // would re-create a long-gone version that no reader looks at.
        let directory = TemporaryDirectory("logretention")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let clock = TestClock(WallClock.nowMilliseconds())
        let idle = try Self.makeTable(store, commits: 1, clock: clock)
        let busy = DeltaTable(store: store, path: "t", logCleanup: .init(inBackground: false))
        try Self.append(busy, upTo: 21)
        try Self.age(directory, busy.log, 0...21, to: WallClock.nowMilliseconds() - 40 * Self.day)
        #expect(try busy.cleanUpLog().checkpointVersion == 20)
        #expect(try busy.log.readCommit(2) == nil)

        clock.advance(by: 16 * Self.day)
        let result = try idle.append(oneRow(99), transactions: [:])
        #expect(result.version == 22)
        #expect(try busy.log.readCommit(2) == nil)
        #expect(try DeltaTable(store: store, path: "t").snapshot()?.rowCount == 22)
    }
}
