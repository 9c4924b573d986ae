/// One Delta table fed by a pipeline, with the per-partition progress its log records: the `txn`
/// version of appId "<topic>-<partition>" is the next offset this table needs. A Gold table also
/// records, per station, the end of the latest window it holds (appId "window-end-<station_id>",
/// version = window_end in microseconds): a window ending at or before it is never appended again,
/// whichever run, broker epoch or engine closes it (ARCHITECTURE.md § Exactly-once).
///
/// `@unchecked Sendable`: a table is used by one thread at a time. A micro-batch hands a table to at most
/// one background commit (`BackgroundTask`) and joins it before it touches that table again.
final class PipelineTable: @unchecked Sendable {
    let definition: TableDefinition
    let delta: DeltaTable
    let metrics: TableMetrics
    /// Next offset per source partition: from the log, or the broker's earliest offset if never committed.
    var versions: [Int32: Int64] = [:]
    /// Partitions the log has a txn for.
    private var committed: Set<Int32> = []
    var lastCommitMicros: Int64 = 0
    /// Gold tables: end of the latest window per station index (nil: the table has none of that station).
    var windowEnds: [Int64?] = []
    /// Whether the log records which broker cluster the current epoch is (`BrokerEpochs.markerAppId`).
    var hasEpochMarker = false

    init(definition: TableDefinition, store: any ObjectStore, metrics: TableMetrics) {
        self.definition = definition
        // A checkpoint every 100 commits (delta-rs's default; Delta's is 10): micro-batches commit every
        // second or faster, and replaying at most 99 small commits on a restart is quick.
        self.delta = DeltaTable(
            store: store, path: definition.path, checkpointInterval: 100, checkpointsInBackground: true)
        self.metrics = metrics
    }

    /// Creates the table if needed (or adds the columns it lacks) and reads its progress back from the log.
    /// A txn version below zero cannot be an offset: the log is refused, naming the table and appId.
    func recover(topic: String, partitions: Int, epochSuffix: String, epochMarker: String) throws {
        try delta.createIfMissing(
            schema: definition.schema, partitionColumns: definition.partitionColumns, name: definition.name)
        versions = [:]
        committed = []
        let stations = StationCatalogue.standard.stations
        windowEnds = Array(repeating: nil, count: stations.count)
        hasEpochMarker = false
        guard let snapshot = try delta.snapshot() else { return }
        hasEpochMarker = snapshot.transactions[epochMarker] != nil
        for p in 0..<partitions {
            let appId = PipelineTable.appId(topic: topic, partition: Int32(p), epochSuffix: epochSuffix)
            if let version = snapshot.transactions[appId] {
                guard version >= 0 else {
                    throw DeltaError(
                        code: .invalidLog, table: delta.log.tableName, version: snapshot.version,
                        message: "txn \(appId) has version \(version), but a version is the next Kafka offset "
                            + "to read and cannot be negative; the log was edited or written by another tool")
                }
                versions[Int32(p)] = version
                committed.insert(Int32(p))
            }
        }
        for (index, station) in stations.enumerated() {
            windowEnds[index] = snapshot.transactions[PipelineTable.windowEndAppId(station: station.id)]
        }
        metrics.load(
            version: snapshot.version, files: snapshot.fileCount, rows: snapshot.rowCount, bytes: snapshot.byteCount)
    }

    func hasCommitted(partition: Int32) -> Bool { committed.contains(partition) }

    /// Notes that a commit recorded these partitions' progress.
    func markCommitted(_ partitions: some Sequence<Int32>) { committed.formUnion(partitions) }

    /// The version this table's log records for `appId` (another epoch's partition, say), if any.
    func transactionVersion(appId: String) throws -> Int64? {
        try delta.snapshot()?.transactions[appId]
    }

    /// The Delta `txn` appId of a source partition (ARCHITECTURE.md § Exactly-once); broker epochs
    /// after the first add "@<epoch>".
    static func appId(topic: String, partition: Int32, epochSuffix: String) -> String {
        "\(topic)-\(partition)\(epochSuffix)"
    }

    /// The Delta `txn` appId whose version is the end of a Gold table's latest window of `station`.
    static func windowEndAppId(station: String) -> String { "window-end-\(station)" }
}

/// What the commits of one micro-batch share: where the batch ends per partition, when it was read,
/// which broker epoch it belongs to, and when a table with no rows must still record its progress.
struct BatchCommit: Sendable {
    var topic: String
    var epoch: BrokerEpochs.Epoch
    /// Next offset per partition after the batch: the txn versions its commits record.
    var target: [Int32: Int64]
    var now: Int64
    /// The batch read nothing: the engine is caught up.
    var caughtUp: Bool
    var progressLagRecords: Int64
    var progressCommitSeconds: Double
}

extension PipelineTable {
    /// Whether this table commits now: when it has rows, or, with none, when its recorded progress is
    /// behind the batch and either `progressCommitSeconds` passed, it lags by `progressLagRecords` in a
    /// partition, or the engine is caught up. A restart resumes at the lowest progress over the tables,
    /// and the producers' backpressure waits for it, so a quiet table (quarantine, daily Gold) must not
    /// hold it back for long; while nothing arrives, nothing is committed twice.
    func needsCommit(rows: Int, in batch: BatchCommit) -> Bool {
        if rows > 0 { return true }
        var lag: Int64 = 0
        for (partition, offset) in batch.target { lag = max(lag, offset - (versions[partition] ?? 0)) }
        guard lag > 0 else { return false }
        return batch.caughtUp || lag >= batch.progressLagRecords
            || Double(batch.now - lastCommitMicros) / 1e6 >= batch.progressCommitSeconds
    }

    /// Commits `build()`'s rows (possibly none: then only progress, and only when due) with txn actions,
    /// plus a Gold table's `windowEnds` txns. Bronze's first commit of a broker epoch also records which
    /// cluster the epoch is (`BrokerEpochs.markerAppId`).
    func commit(
        in batch: BatchCommit, windowEnds: (versions: [String: Int64], expected: [String: Int64?]) = ([:], [:]),
        build: () -> RecordBatch
    ) throws {
        let rows = build()
        guard needsCommit(rows: rows.rowCount, in: batch) else { return }
        // Only partitions that advance get a txn: a table ahead of the batch (replay after a crash) never
        // moves back, and an unchanged version would be refused as stale.
        // Each txn is also a compare-and-set on where the batch starts, so a second engine on the same
        // tables that moved a partition meanwhile makes this commit fail (and re-read) instead of doubling rows.
        var advanced = versions
        var transactions: [String: Int64] = [:]
        var expected: [String: Int64?] = [:]
        let suffix = BrokerEpochs.suffix(batch.epoch.number)
        for (p, offset) in batch.target where offset > (versions[p] ?? 0) || !hasCommitted(partition: p) {
            advanced[p] = offset
            let appId = PipelineTable.appId(topic: batch.topic, partition: p, epochSuffix: suffix)
            transactions[appId] = offset
            expected[appId] = .some(hasCommitted(partition: p) ? versions[p] : nil)
        }
        guard !transactions.isEmpty else { return }
        transactions.merge(windowEnds.versions) { $1 }
        expected.merge(windowEnds.expected) { $1 }
        let marker = BrokerEpochs.markerAppId(clusterID: batch.epoch.clusterID)
        if definition.path.hasPrefix("bronze/"), !hasEpochMarker {
            transactions[marker] = Int64(batch.epoch.number)
            expected[marker] = .some(nil)
        }
        let result = try delta.append(rows, transactions: transactions, expected: expected)
        versions = advanced
        markCommitted(batch.target.keys)
        if transactions[marker] != nil { hasEpochMarker = true }
        lastCommitMicros = batch.now
        metrics.recordCommit(
            version: result.version, files: result.filesAdded, rows: result.rowsAdded, bytes: result.bytesAdded,
            totals: result.totals)
    }
}
