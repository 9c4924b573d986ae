import Foundation
import Testing

@testable import PulseCore

@Suite struct CheckpointTests {
    @Test func checkpointAfterTenCommitsEqualsJSONReplay() throws {
        let directory = TemporaryDirectory("checkpoint")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let table = DeltaTable(store: store, path: "gold/t")
        try table.createIfMissing(schema: allTypesSchema, partitionColumns: ["dt", "station_id"], name: "t")
        for commit in 1...12 {
            let rows = InteropTests.rows(commit: commit).prefix(commit % 3 == 0 ? 0 : 20)
            _ = try table.append(makeBatch(Array(rows)), transactions: ["bike-\(commit % 3)": Int64(commit)])
        }
        #expect(table.lastCheckpointError == nil)
        let log = TransactionLog(store: store, tablePath: "gold/t")
        #expect(try log.listVersions().checkpoints == [10])
        let pointer = try #require(try log.readLastCheckpoint())
        #expect(pointer.version == 10)

        // State at version 10 from the checkpoint equals the state from replaying the JSON commits.
        let fromCheckpoint = try Checkpoint.read(log: log, version: 10)
        var replayed = Snapshot()
        for version in Int64(0)...10 {
            try replayed.apply(try #require(try log.readCommit(version)), version: version, table: "t")
        }
        #expect(fromCheckpoint == replayed)
        #expect(fromCheckpoint.fileCount == replayed.fileCount)
        #expect(pointer.size == Int64(2 + replayed.transactionActions.count + replayed.fileCount))
        #expect(fromCheckpoint.checkpointVersion == 10)

        // The latest snapshot starts from the checkpoint and equals a full replay, even with the early
        // commits gone.
        let latest = try #require(try DeltaTable(store: store, path: "gold/t").snapshot())
        #expect(latest.checkpointVersion == 10)
        #expect(latest.version == 12)
        #expect(latest.rowCount == 8 * 20)
        for version in 0..<10 { try store.delete(log.commitKey(Int64(version))) }
        #expect(try log.loadSnapshot() == latest)
        // Without _last_checkpoint, listing finds the checkpoint.
        try store.delete(log.lastCheckpointKey)
        #expect(try log.loadSnapshot() == latest)
    }

    @Test func readsACheckpointDeltaRsWrote() throws {
        // delta-rs writes its checkpoint with the same column names; our reader must take it (SNAPPY
        // compressed files may be unsupported by our Parquet reader, in which case this reports it).
        let directory = TemporaryDirectory("checkpoint")
        defer { directory.remove() }
        let (status, output) = try InteropTests.runPython("write_delta_rs_table.py", [directory.path + "/t"])
        #expect(status == 0, "\(output)")
        let log = TransactionLog(store: try LocalStore(root: directory.path), tablePath: "t")
        #expect(try log.readLastCheckpoint()?.version == 3)
        let fromCheckpoint = try Checkpoint.read(log: log, version: 3)
        #expect(fromCheckpoint.transactions == ["py-0": 3])
        #expect(fromCheckpoint.rowCount == 30)
        #expect(fromCheckpoint.fileCount == 3)
        let snapshot = try #require(try log.loadSnapshot())
        #expect(snapshot.checkpointVersion == 3)
        #expect(snapshot == fromCheckpoint)
        #expect(snapshot.version == 3)
        #expect(snapshot.transactions == ["py-0": 3])
        #expect(snapshot.rowCount == 30)
        #expect(
            snapshot.schema.fields.map(\.name) == [
                "station_id", "city", "bikes", "offset", "rate", "event_time", "dt", "ok",
            ])
    }

    @Test func checkpointColumnsRoundTripThroughShredding() throws {
        // Actions -> nested records -> leaf columns with levels -> actions, without a Parquet file.
        let snapshotActions: [DeltaAction] = [
            .protocol(ProtocolAction()), .metadata(TransactionLogTests.metadata),
            .txn(TransactionAction(appId: "bike-0", version: 5, lastUpdated: 9)),
            .txn(TransactionAction(appId: "bike-1", version: 6)),
            .add(
                AddAction(
                    path: "dt=2025-08-20/a", partitionValues: ["dt": "2025-08-20", "s": nil], size: 10,
                    modificationTime: 3, stats: #"{"numRecords":4}"#, tags: ["k": "v"])),
            .add(AddAction(path: "b", partitionValues: [:], size: 20, modificationTime: 4)),
            .remove(
                RemoveAction(
                    path: "c", deletionTimestamp: 7, dataChange: true, extendedFileMetadata: true,
                    partitionValues: ["dt": "2025-08-19"], size: 30)),
            .remove(RemoveAction(path: "d", deletionTimestamp: nil)),
        ]
        var shredder = NestedRecordShredder(fields: Checkpoint.parquetFields)
        for action in snapshotActions { try shredder.append(try #require(Checkpoint.record(action))) }
        let columns = shredder.columns()
        let shapes = shredder.leafShapes
        #expect(shapes.count == columns.count)
        #expect(shapes.first?.path == ["add", "path"])
        #expect(
            shapes.contains {
                $0.path == ["add", "partitionValues", "key_value", "value"] && $0.maxDefinitionLevel == 3
                    && $0.maxRepetitionLevel == 1
            })
        let decoded = try Checkpoint.decode(
            rowCount: shredder.rowCount,
            leaves: shapes.map { Checkpoint.LeafShape(path: $0.path, maxDefinitionLevel: $0.maxDefinitionLevel) }
        ) { columns[$0] }
        #expect(decoded.count == snapshotActions.count)
        for action in snapshotActions { #expect(decoded.contains(action)) }
    }
}
