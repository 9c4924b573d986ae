/// One Delta table fed by a pipeline, with the per-partition progress its log records: the `txn`
/// version of appId "<topic>-<partition>" is the next offset this table needs. A Gold table also
/// records, per station, the end of the latest window it holds (appId "window-end-<station_id>",
/// version = window_end in microseconds): a window ending at or before it is never appended again,
/// whichever run, broker epoch or engine closes it (ARCHITECTURE.md § Exactly-once).
final class PipelineTable {
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
        self.delta = DeltaTable(store: store, path: definition.path)
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
