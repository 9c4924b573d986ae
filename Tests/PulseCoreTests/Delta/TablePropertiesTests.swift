import Testing

@testable import PulseCore

@Suite struct TablePropertiesTests {
    @Test func readsDeltaIntervals() {
        let day: Int64 = 86_400_000
        #expect(DeltaInterval.milliseconds("interval 7 days") == 7 * day)
        #expect(DeltaInterval.milliseconds("interval 1 week") == 7 * day)
        #expect(DeltaInterval.milliseconds("INTERVAL 30 DAYS") == 30 * day)
        #expect(DeltaInterval.milliseconds("168 hours") == 7 * day)
        #expect(DeltaInterval.milliseconds("interval 1 day 12 hours") == day + day / 2)
        #expect(DeltaInterval.milliseconds("interval 90 minutes 30 seconds") == 5_430_000)
        #expect(DeltaInterval.milliseconds("interval 0 seconds") == 0)
        #expect(DeltaInterval.milliseconds("interval 1500 microseconds") == 1)
        for text in [
            "", "interval", "7", "days", "interval 1 month", "interval 1 year", "interval -1 days", "interval 1.5 days",
            "interval 7 fortnights", "interval 9223372036854775807 weeks", "interval 1 day 1",
        ] {
            #expect(DeltaInterval.milliseconds(text) == nil, "\(text)")
        }
    }

    @Test func retentionsHaveDeltasDefaults() throws {
        var metadata = MetadataAction(schemaString: allTypesSchema.schemaString, partitionColumns: [])
        #expect(try metadata.deletedFileRetentionMillis() == 7 * 86_400_000)
        #expect(try metadata.logRetentionMillis() == 30 * 86_400_000)
        #expect(metadata.expiredLogCleanupEnabled)
        metadata.configuration = [
            "delta.deletedFileRetentionDuration": "interval 2 days", "delta.logRetentionDuration": "interval 3 days",
            "delta.enableExpiredLogCleanup": "FALSE",
        ]
        #expect(try metadata.deletedFileRetentionMillis() == 2 * 86_400_000)
        #expect(try metadata.logRetentionMillis() == 3 * 86_400_000)
        #expect(!metadata.expiredLogCleanupEnabled)
        metadata.configuration["delta.logRetentionDuration"] = "30"
        #expect(throws: DeltaError.self) { try metadata.logRetentionMillis(table: "t") }
    }

    @Test func checkpointsKeepTombstonesForTheTablesRetentionUpToTenMinutes() throws {
        // A checkpoint keeps a tombstone for the table's deleted-file retention, at most ten minutes
        // (`Snapshot.checkpointTombstoneCapMillis`): a streaming table's week of tombstones, re-listed in every
        // checkpoint, would outweigh its data.
        let now: Int64 = 1_000 * 86_400_000
        var snapshot = Snapshot()
        let metadata = MetadataAction(schemaString: allTypesSchema.schemaString, partitionColumns: [])
        try snapshot.apply(
            [
                .protocol(ProtocolAction()), .metadata(metadata),
                .remove(RemoveAction(path: "two-hours", deletionTimestamp: now - 2 * 3_600_000)),
                .remove(RemoveAction(path: "five-minutes", deletionTimestamp: now - 300_000)),
                .remove(RemoveAction(path: "one-minute", deletionTimestamp: now - 60_000)),
            ], version: 0, table: "t")
        func tombstones(_ snapshot: Snapshot) -> [String] {
            snapshot.checkpointActions(now: now).compactMap { action in
                if case .remove(let remove) = action { return remove.path }
                return nil
            }
        }
        #expect(tombstones(snapshot) == ["five-minutes", "one-minute"])
        var longer = metadata
        longer.configuration["delta.deletedFileRetentionDuration"] = "interval 30 days"
        try snapshot.apply([.metadata(longer)], version: 1, table: "t")
        #expect(tombstones(snapshot) == ["five-minutes", "one-minute"])
        var shorter = metadata
        shorter.configuration["delta.deletedFileRetentionDuration"] = "interval 2 minutes"
        try snapshot.apply([.metadata(shorter)], version: 2, table: "t")
        #expect(tombstones(snapshot) == ["one-minute"])
    }
}
