/// One Delta table fed by a pipeline, with the per-partition progress its log records: the `txn`
/// version of appId "<topic>-<partition>" is the next offset this table needs.
final class PipelineTable {
    let definition: TableDefinition
    let delta: DeltaTable
    let metrics: TableMetrics
    /// Next offset per source partition: from the log, or the broker's earliest offset if never committed.
    var versions: [Int32: Int64] = [:]
    /// Partitions the log has a txn for.
    private var committed: Set<Int32> = []
    var lastCommitMicros: Int64 = 0

    init(definition: TableDefinition, store: any ObjectStore, metrics: TableMetrics) {
        self.definition = definition
        self.delta = DeltaTable(store: store, path: definition.path)
        self.metrics = metrics
    }

    /// Creates the table if needed and reads its progress back from the log.
    func recover(topic: String, partitions: Int, epochSuffix: String) throws {
        try delta.createIfMissing(
            schema: definition.schema, partitionColumns: definition.partitionColumns, name: definition.name)
        versions = [:]
        committed = []
        guard let snapshot = try delta.snapshot() else { return }
        for p in 0..<partitions {
            let appId = PipelineTable.appId(topic: topic, partition: Int32(p), epochSuffix: epochSuffix)
            if let version = snapshot.transactions[appId] {
                versions[Int32(p)] = version
                committed.insert(Int32(p))
            }
        }
        metrics.load(
            version: snapshot.version, files: snapshot.fileCount, rows: snapshot.rowCount, bytes: snapshot.byteCount)
    }

    func hasCommitted(partition: Int32) -> Bool { committed.contains(partition) }

    /// Notes that a commit recorded these partitions' progress.
    func markCommitted(_ partitions: some Sequence<Int32>) { committed.formUnion(partitions) }

    /// The Delta `txn` appId of a source partition (ARCHITECTURE.md § Exactly-once); broker epochs
    /// after the first add "@<epoch>".
    static func appId(topic: String, partition: Int32, epochSuffix: String) -> String {
        "\(topic)-\(partition)\(epochSuffix)"
    }
}
