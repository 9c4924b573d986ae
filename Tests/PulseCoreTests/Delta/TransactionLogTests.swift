import Foundation
import Testing

@testable import PulseCore

@Suite struct TransactionLogTests {
    static let metadata = MetadataAction(
        id: "5d0c2e1a-0000-4000-8000-000000000000", name: "t", schemaString: allTypesSchema.schemaString,
        partitionColumns: ["dt"], createdTime: 1)

    static func add(_ path: String, rows: Int64, size: Int64 = 100) -> DeltaAction {
        .add(
            AddAction(
                path: path, partitionValues: ["dt": "2025-08-20"], size: size, modificationTime: 1,
                stats: #"{"numRecords":\#(rows)}"#))
    }

    static func info() -> DeltaAction { .commitInfo(CommitInfoAction(operation: "WRITE", txnId: UUIDString.random())) }

    func makeLog(_ directory: TemporaryDirectory) throws -> TransactionLog {
        TransactionLog(store: try LocalStore(root: directory.path), tablePath: "bronze/bike")
    }

    @Test func replaysAddsRemovesAndTransactions() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        #expect(try log.loadSnapshot() == nil)
        let v0 = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
        #expect(v0.version == 0)
        var base = v0.snapshot
        base = try log.commit(
            [
                Self.info(), Self.add("a", rows: 10), Self.add("b", rows: 5),
                .txn(TransactionAction(appId: "bike-0", version: 15)),
            ], base: base
        ).snapshot
        base = try log.commit(
            [
                Self.info(), .remove(RemoveAction(path: "a", deletionTimestamp: 2)),
                Self.add("c", rows: 7, size: 50), .txn(TransactionAction(appId: "bike-0", version: 22)),
                .txn(TransactionAction(appId: "bike-1", version: 3)),
            ], base: base
        ).snapshot
        base = try log.commit([Self.info(), Self.add("a", rows: 1)], base: base).snapshot  // re-add after remove

        let loaded = try #require(try log.loadSnapshot())
        #expect(loaded == base)
        #expect(loaded.version == 3)
        #expect(Set(loaded.files.keys) == ["a", "b", "c"])
        #expect(loaded.rowCount == 13)
        #expect(loaded.byteCount == 250)
        #expect(loaded.fileCount == 3)
        #expect(loaded.tombstones.isEmpty)
        #expect(loaded.transactions == ["bike-0": 22, "bike-1": 3])
        #expect(loaded.partitionColumns == ["dt"])
        #expect(loaded.schema == allTypesSchema)
        #expect(
            try String(decoding: log.store.get("bronze/bike/_delta_log/00000000000000000003.json"), as: UTF8.self)
                .contains(#"{"add":{"path":"a""#))
    }

    @Test func lostRaceOnAnAppendRetriesAtTheNextVersion() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        let base = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
            .snapshot
        // Two writers start from version 0; the second loses version 1 and lands at 2.
        let first = try log.commit(
            [Self.info(), Self.add("x", rows: 1), .txn(TransactionAction(appId: "p-0", version: 1))], base: base)
        let second = try log.commit(
            [Self.info(), Self.add("y", rows: 2), .txn(TransactionAction(appId: "p-1", version: 9))], base: base)
        #expect(first.version == 1)
        #expect(second.version == 2)
        #expect(second.lostRaces == 1)
        // The loser's snapshot includes the winner's commit.
        #expect(Set(second.snapshot.files.keys) == ["x", "y"])
        #expect(second.snapshot.transactions == ["p-0": 1, "p-1": 9])
        #expect(try log.loadSnapshot() == second.snapshot)
    }

    @Test func sameAppIdCommittedByAnotherWriterIsAConflict() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        let base = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
            .snapshot
        _ = try log.commit(
            [Self.info(), Self.add("x", rows: 1), .txn(TransactionAction(appId: "bike-0", version: 100))], base: base)
        do {
            _ = try log.commit(
                [Self.info(), Self.add("y", rows: 1), .txn(TransactionAction(appId: "bike-0", version: 100))],
                base: base)
            Issue.record("a second commit of bike-0 succeeded")
        } catch let error as DeltaError {
            #expect(error.code == .concurrentTransaction)
            #expect(error.message.contains("bike-0"))
        }
        // Nothing was written at version 2.
        #expect(try log.readCommit(2) == nil)
    }

    @Test func metadataChangeIsAConflictForAppends() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        let base = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
            .snapshot
        var changed = Self.metadata
        changed.configuration = ["delta.appendOnly": "true"]
        _ = try log.commit([Self.info(), .metadata(changed)], base: base)
        #expect(throws: DeltaError.self) { try log.commit([Self.info(), Self.add("y", rows: 1)], base: base) }
        // Creating an existing table is a conflict too.
        do {
            _ = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
            Issue.record("created the table twice")
        } catch let error as DeltaError {
            #expect(error.code == .concurrentMetadataChange)
        }
    }

    @Test func concurrentRemovesOfOneFileConflict() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        var base = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
            .snapshot
        base = try log.commit([Self.info(), Self.add("x", rows: 1)], base: base).snapshot
        _ = try log.commit([Self.info(), .remove(RemoveAction(path: "x", deletionTimestamp: 5))], base: base)
        do {
            _ = try log.commit([Self.info(), .remove(RemoveAction(path: "x", deletionTimestamp: 6))], base: base)
            Issue.record("both writers removed x")
        } catch let error as DeltaError {
            #expect(error.code == .concurrentDelete)
        }
    }

    @Test func recognisesItsOwnCommitAfterAnAmbiguousFailure() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        let base = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
            .snapshot
        let actions: [DeltaAction] = [
            Self.info(), Self.add("x", rows: 1), .txn(TransactionAction(appId: "bike-0", version: 7)),
        ]
        let first = try log.commit(actions, base: base)
        // The same attempt again (as after a timeout whose request did land): it is ours, not a conflict.
        let again = try log.commit(actions, base: base)
        #expect(again.version == first.version)
        #expect(try log.readCommit(2) == nil)
    }

    @Test func refusesNewerProtocols() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        _ = try log.commit(
            [.protocol(ProtocolAction(minReaderVersion: 3, minWriterVersion: 7)), .metadata(Self.metadata)], base: nil)
        do {
            _ = try log.loadSnapshot()
            Issue.record("loaded a reader-version-3 table")
        } catch let error as DeltaError {
            #expect(error.code == .unsupportedProtocol)
        }
    }

    @Test func aCommitFileAfterAGapIsRefusedNamingIt() throws {
        let directory = TemporaryDirectory("log")
        defer { directory.remove() }
        let log = try makeLog(directory)
        let v0 = try log.commit([Self.info(), .protocol(ProtocolAction()), .metadata(Self.metadata)], base: nil)
        _ = try log.commit([Self.info(), Self.add("a", rows: 1)], base: v0.snapshot)
        try log.store.put(log.commitKey(999), DeltaAction.encodeCommit([Self.info()]))
        do {
            _ = try log.loadSnapshot()
            Issue.record("a log with a gap was read")
        } catch let error as DeltaError {
            #expect(error.code == .invalidLog)
            #expect(error.message.contains("00000000000000000999.json"))
            #expect(error.message.contains("version 2 is missing"))
        }
    }
}
