import Dispatch
import Synchronization

/// One Delta table at key prefix `path` of a store: the API the engine writes and reads tables with.
///
/// Safe to share between threads; several `DeltaTable`s (in one process or many) may write the same
/// table at once: commits are serialised by `putIfAbsent` on the log (see `TransactionLog`). The latest
/// snapshot is cached and refreshed incrementally (one `get` per new commit, plus one that misses).
/// After writing a checkpoint it removes the log files past the table's log retention (`LogRetention`).
public final class DeltaTable: Sendable {
    public let store: any ObjectStore
    /// Key prefix of the table ("bronze/bike").
    public let path: String
    public let log: TransactionLog
    /// A checkpoint is written after every commit whose version is a multiple of this.
    public let checkpointInterval: Int64
    /// Write checkpoints on a background thread (the engine); off, the committing call writes it (tools, tests).
    public let checkpointsInBackground: Bool
    /// Written into `commitInfo.engineInfo`.
    public let engineInfo: String
    /// Options for data files.
    public let writerOptions: ParquetWriterOptions
    /// When the expired log files are removed after a checkpoint.
    public let logCleanup: LogCleanupPolicy
    /// Wall-clock milliseconds, for log cleanup and the age of the cached snapshot (a parameter for tests).
    let clock: @Sendable () -> Int64

    /// When the table removes expired log files after writing a checkpoint (Delta does it at every
    /// checkpoint; each run lists the whole log, so here at most once per interval).
    public struct LogCleanupPolicy: Sendable {
        /// At most one automatic cleanup per this many milliseconds.
        public var minimumIntervalMillis: Int64
        /// Run it on a background thread, so the commit that wrote the checkpoint never waits for it.
        public var inBackground: Bool

        public init(minimumIntervalMillis: Int64 = 3_600_000, inBackground: Bool = true) {
            self.minimumIntervalMillis = minimumIntervalMillis
            self.inBackground = inBackground
        }
    }

    private struct State: Sendable {
        var snapshot: Snapshot?
        /// When `snapshot` was last known to be the latest version (wall-clock ms, taken before the read).
        var snapshotConfirmedAt: Int64 = 0
        var checkpointsWritten = 0
        var lastCheckpointError: DeltaError?
        var lostCommitRaces = 0
        var logCleanupRunning = false
        var checkpointRunning = false
        var lastLogCleanupStart: Int64?
        var lastLogCleanup: LogCleanupReport?
        var lastLogCleanupError: DeltaError?
    }

    private let state = Mutex(State())

    public init(
        store: any ObjectStore, path: String, checkpointInterval: Int64 = 10, engineInfo: String = "pulse-tui",
        writerOptions: ParquetWriterOptions = .init(), logCleanup: LogCleanupPolicy = .init(),
        checkpointsInBackground: Bool = false,
        clock: @escaping @Sendable () -> Int64 = WallClock.nowMilliseconds
    ) {
        self.store = store
        self.log = TransactionLog(store: store, tablePath: path)
        self.path = log.tablePath
        self.checkpointInterval = max(1, checkpointInterval)
        self.engineInfo = engineInfo
        self.writerOptions = writerOptions
        self.logCleanup = logCleanup
        self.checkpointsInBackground = checkpointsInBackground
        self.clock = clock
    }

    /// Checkpoints this instance wrote.
    public var checkpointsWritten: Int { state.withLock { $0.checkpointsWritten } }
    /// The last checkpoint failure (a commit never fails because its checkpoint did).
    public var lastCheckpointError: DeltaError? { state.withLock { $0.lastCheckpointError } }
    /// Versions lost to other writers (and retried) by this instance's commits.
    public var lostCommitRaces: Int { state.withLock { $0.lostCommitRaces } }
    /// The last automatic log cleanup's outcome, if one finished.
    public var lastLogCleanup: LogCleanupReport? { state.withLock { $0.lastLogCleanup } }
    /// The last automatic log cleanup failure (a commit never fails because its cleanup did).
    public var lastLogCleanupError: DeltaError? { state.withLock { $0.lastLogCleanupError } }

    /// The latest snapshot; nil when the table does not exist.
    ///
    /// The cached snapshot is brought up to date one commit at a time, which relies on every later commit
    /// still being there. Log cleanup removes commits only once they are older than the log retention, so
    /// a cached snapshot not confirmed as the latest for half that time is reloaded from the newest
    /// checkpoint instead: otherwise the missing commit after it would look like the end of the log, and
    /// the next commit would re-create a version long gone, where no reader looks.
    public func snapshot() throws -> Snapshot? {
        let started = clock()
        let (cached, confirmedAt) = state.withLock { ($0.snapshot, $0.snapshotConfirmedAt) }
        let fresh: Snapshot?
        if let cached, started - confirmedAt < DeltaTable.reloadAfterMillis(cached) {
            fresh = try log.update(cached)
        } else {
            fresh = try log.loadSnapshot()
        }
        if let fresh { remember(fresh, confirmedAt: started) }
        return fresh
    }

    /// How long a cached snapshot may go unconfirmed before it is reloaded: half the log retention.
    private static func reloadAfterMillis(_ snapshot: Snapshot) -> Int64 {
        let retention = (try? snapshot.metadata.logRetentionMillis()) ?? TableProperties.defaultLogRetentionMillis
        return retention / 2
    }

    /// The latest `txn.version` recorded for `appId` (the next source offset to read), or nil.
    public func transactionVersion(appId: String) throws -> Int64? {
        try snapshot()?.transactionActions[appId]?.version
    }

    /// Caches `snapshot`, known to be the latest version at `confirmedAt`, unless a newer one is cached.
    private func remember(_ snapshot: Snapshot, confirmedAt: Int64) {
        state.withLock { state in
            let cachedVersion = state.snapshot?.version ?? -1
            if cachedVersion < snapshot.version {
                state.snapshot = snapshot
                state.snapshotConfirmedAt = confirmedAt
            } else if cachedVersion == snapshot.version {
                state.snapshotConfirmedAt = max(state.snapshotConfirmedAt, confirmedAt)
            }
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
            let started = clock()
            let committed = try log.commit(actions, base: nil)
            remember(committed.snapshot, confirmedAt: started)
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
            let started = clock()
            let committed = try log.commit(actions, base: snapshot)
            remember(committed.snapshot, confirmedAt: started)
        } catch let error as DeltaError where error.code == .concurrentMetadataChange {
            // Another engine evolved it first: fine if it now has this schema.
            guard let latest = try self.snapshot(), latest.schema == schema else { throw error }
        }
    }

    /// Keeps the snapshot a commit produced (the latest version when the commit `started`), so the next
    /// append needs no log read.
    func cacheCommitted(_ committed: TransactionLog.Committed, started: Int64) {
        remember(committed.snapshot, confirmedAt: started)
        state.withLock { $0.lostCommitRaces += committed.lostRaces }
    }

    /// Writes the checkpoint of `snapshot` when its version is due, on a background thread unless
    /// `checkpointsInBackground` is off, so the commit that made it due never waits for it (a checkpoint
    /// re-encodes every live file and recent tombstone); failures are kept, not thrown. One checkpoint at a
    /// time per table: a due version that finds one running is skipped, the next due one catches up.
    func checkpointIfDue(_ snapshot: Snapshot) {
        guard snapshot.version > 0, snapshot.version % checkpointInterval == 0 else { return }
        guard checkpointsInBackground else { return writeCheckpoint(snapshot) }
        let start = state.withLock { state -> Bool in
            guard !state.checkpointRunning else { return false }
            state.checkpointRunning = true
            return true
        }
        guard start else { return }
        DispatchQueue.global(qos: .utility).async { [self] in
            writeCheckpoint(snapshot)
            state.withLock { $0.checkpointRunning = false }
        }
    }

    private func writeCheckpoint(_ snapshot: Snapshot) {
        do {
            try Checkpoint.write(log: log, snapshot: snapshot)
            state.withLock { state in
                state.checkpointsWritten += 1
                // The checkpoint now holds the tombstones up to its version: memory keeps only later ones.
                state.snapshot?.rebaseTombstones(onto: snapshot.version)
            }
            cleanUpLogIfDue(snapshot)
        } catch let error as DeltaError {
            state.withLock { $0.lastCheckpointError = error }
        } catch {
            state.withLock {
                $0.lastCheckpointError = DeltaError(
                    code: .invalidLog, table: log.tableName, version: snapshot.version, message: "\(error)")
            }
        }
    }

    /// Removes the log files past the retention after a checkpoint (`LogRetention`), at most once per
    /// `logCleanup.minimumIntervalMillis` and never twice at once; failures are kept, not thrown. Skipped
    /// when the table turns expired log cleanup off.
    func cleanUpLogIfDue(_ snapshot: Snapshot) {
        guard snapshot.metadata.expiredLogCleanupEnabled else { return }
        let now = clock()
        let due = state.withLock { state -> Bool in
            guard !state.logCleanupRunning else { return false }
            if let last = state.lastLogCleanupStart, now - last < logCleanup.minimumIntervalMillis { return false }
            state.logCleanupRunning = true
            state.lastLogCleanupStart = now
            return true
        }
        guard due else { return }
        let work: @Sendable () -> Void = { [self] in
            var outcome: Result<LogCleanupReport, DeltaError>
            do {
                let retention = try snapshot.metadata.logRetentionMillis(table: log.tableName)
                outcome = .success(try LogRetention.clean(log: log, retentionMillis: retention, now: now))
            } catch let error as DeltaError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(
                    DeltaError(code: .invalidLog, table: log.tableName, version: snapshot.version, message: "\(error)"))
            }
            state.withLock { state in
                state.logCleanupRunning = false
                switch outcome {
                case .success(let report): state.lastLogCleanup = report
                case .failure(let error): state.lastLogCleanupError = error
                }
            }
        }
        if logCleanup.inBackground {
            DispatchQueue.global(qos: .utility).async(execute: work)
        } else {
            work()
        }
    }
}
