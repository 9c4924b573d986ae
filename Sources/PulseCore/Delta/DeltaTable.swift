import Synchronization

/// One Delta table at key prefix `path` of a store: the API the engine writes and reads tables with.
///
/// Safe to share between threads; several `DeltaTable`s (in one process or many) may write the same
/// table at once: commits are serialised by `putIfAbsent` on the log (see `TransactionLog`). The latest
/// snapshot is cached and refreshed incrementally (one `get` per new commit, plus one that misses).
public final class DeltaTable: Sendable {
    public let store: any ObjectStore
    /// Key prefix of the table ("bronze/bike").
    public let path: String
    public let log: TransactionLog
    /// A checkpoint is written after every commit whose version is a multiple of this.
    public let checkpointInterval: Int64
    /// Written into `commitInfo.engineInfo`.
    public let engineInfo: String
    /// Options for data files.
    public let writerOptions: ParquetWriterOptions

    private struct State: Sendable {
        var snapshot: Snapshot?
        var checkpointsWritten = 0
        var lastCheckpointError: DeltaError?
        var lostCommitRaces = 0
    }

    private let state = Mutex(State())

    public init(
        store: any ObjectStore, path: String, checkpointInterval: Int64 = 10, engineInfo: String = "pulse-tui",
        writerOptions: ParquetWriterOptions = .init()
    ) {
        self.store = store
        self.log = TransactionLog(store: store, tablePath: path)
        self.path = log.tablePath
        self.checkpointInterval = max(1, checkpointInterval)
        self.engineInfo = engineInfo
        self.writerOptions = writerOptions
    }

    /// Checkpoints this instance wrote.
    public var checkpointsWritten: Int { state.withLock { $0.checkpointsWritten } }
    /// The last checkpoint failure (a commit never fails because its checkpoint did).
    public var lastCheckpointError: DeltaError? { state.withLock { $0.lastCheckpointError } }
    /// Versions lost to other writers (and retried) by this instance's commits.
    public var lostCommitRaces: Int { state.withLock { $0.lostCommitRaces } }

    /// The latest snapshot; nil when the table does not exist.
    public func snapshot() throws -> Snapshot? {
        let cached = state.withLock { $0.snapshot }
        let fresh: Snapshot?
        if let cached {
            fresh = try log.update(cached)
        } else {
            fresh = try log.loadSnapshot()
        }
        if let fresh { remember(fresh) }
        return fresh
    }

    /// The latest `txn.version` recorded for `appId` (the next source offset to read), or nil.
    public func transactionVersion(appId: String) throws -> Int64? {
        try snapshot()?.transactionActions[appId]?.version
    }

    private func remember(_ snapshot: Snapshot) {
        state.withLock { state in
            if (state.snapshot?.version ?? -1) < snapshot.version { state.snapshot = snapshot }
        }
    }

    /// Creates version 0 (protocol 1/2 + metaData) if the table does not exist. If it does, its schema
    /// must be `schema` or evolve into it by gaining nullable columns (old files then read null there):
    /// such a table gets a metaData commit with the new schema, keeping its id, partitioning and
    /// configuration. Its partition columns stay its own; `partitionColumns` applies to a new table. Any
    /// other schema difference throws `.schemaMismatch`.
    public func createIfMissing(schema: DeltaSchema, partitionColumns: [String], name: String) throws {
        for column in partitionColumns where schema.index(of: column) == nil {
            throw DeltaError(
                code: .schemaMismatch, table: log.tableName,
                message: "partition column '\(column)' is not in the schema")
        }
        if let existing = try snapshot() {
            return try evolve(existing, to: schema)
        }
        let now = WallClock.nowMilliseconds()
        let partitionBy = JSONWriter.encode(.array(partitionColumns.map { .string($0) }))
        let actions: [DeltaAction] = [
            .commitInfo(
                CommitInfoAction(
                    timestamp: now, operation: "CREATE TABLE",
                    operationParameters: ["mode": "ErrorIfExists", "partitionBy": partitionBy],
                    engineInfo: engineInfo, isBlindAppend: true, txnId: UUIDString.random())),
            .protocol(ProtocolAction(minReaderVersion: 1, minWriterVersion: 2)),
            .metadata(
                MetadataAction(
                    name: name, schemaString: schema.schemaString, partitionColumns: partitionColumns,
                    createdTime: now)),
        ]
        do {
            let committed = try log.commit(actions, base: nil)
            remember(committed.snapshot)
        } catch let error as DeltaError where error.code == .concurrentMetadataChange {
            // Another writer created it first: fine if it is the same table.
            guard let existing = try snapshot() else { throw error }
            try evolve(existing, to: schema)
        }
    }

    /// Leaves a table with `schema` as it is, commits the schema update of a table that only lacks some of
    /// its nullable columns, and refuses anything else.
    private func evolve(_ snapshot: Snapshot, to schema: DeltaSchema) throws {
        func describe(_ fields: [DeltaField]) -> String {
            fields.map { "\($0.name) \($0.type.rawValue)\($0.nullable ? "" : " not null")" }.joined(separator: ", ")
        }
        let kept = snapshot.schema.fields.allSatisfy { field in schema.fields.contains(field) }
        let added = schema.fields.filter { field in !snapshot.schema.fields.contains { $0.name == field.name } }
        guard kept, added.allSatisfy(\.nullable) else {
            throw DeltaError(
                code: .schemaMismatch, table: log.tableName, version: snapshot.version,
                message:
                    "table has columns [\(describe(snapshot.schema.fields))], expected [\(describe(schema.fields))]")
        }
        // A table keeps its own partitioning (`append` follows its metadata): tables created before the
        // layout changed stay partitioned as they were.
        if snapshot.schema == schema { return }
        var metadata = snapshot.metadata
        metadata.schemaString = schema.schemaString
        let actions: [DeltaAction] = [
            .commitInfo(
                CommitInfoAction(
                    timestamp: WallClock.nowMilliseconds(), operation: "ADD COLUMNS",
                    operationParameters: ["columns": JSONWriter.encode(.array(added.map { .string($0.name) }))],
                    engineInfo: engineInfo, isBlindAppend: false, txnId: UUIDString.random())),
            .metadata(metadata),
        ]
        do {
            let committed = try log.commit(actions, base: snapshot)
            remember(committed.snapshot)
        } catch let error as DeltaError where error.code == .concurrentMetadataChange {
            // Another engine evolved it first: fine if it now has this schema.
            guard let latest = try self.snapshot(), latest.schema == schema else { throw error }
        }
    }

    /// Keeps the snapshot a commit produced, so the next append needs no log read.
    func cacheCommitted(_ committed: TransactionLog.Committed) {
        remember(committed.snapshot)
        state.withLock { $0.lostCommitRaces += committed.lostRaces }
    }

    /// Writes the checkpoint of `snapshot` when its version is due; failures are kept, not thrown.
    func checkpointIfDue(_ snapshot: Snapshot) {
        guard snapshot.version > 0, snapshot.version % checkpointInterval == 0 else { return }
        do {
            try Checkpoint.write(log: log, snapshot: snapshot)
            state.withLock { $0.checkpointsWritten += 1 }
        } catch let error as DeltaError {
            state.withLock { $0.lastCheckpointError = error }
        } catch {
            state.withLock {
                $0.lastCheckpointError = DeltaError(
                    code: .invalidLog, table: log.tableName, version: snapshot.version, message: "\(error)")
            }
        }
    }
}
