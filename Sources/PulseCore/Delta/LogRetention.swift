/// What one cleanup of a table's `_delta_log` removed (or, in a dry run, would remove).
public struct LogCleanupReport: Sendable, Equatable {
    /// Log files older than this, below a checkpoint older than this, are removed.
    public var retentionMillis: Int64
    /// True when nothing was deleted and `removed` lists what would have been.
    public var dryRun: Bool
    /// The checkpoint the log starts from after the cleanup (kept, with its commit and every later one);
    /// nil when no checkpoint was old enough, so nothing was removed.
    public var checkpointVersion: Int64?
    /// Removed log files ("_delta_log/…"), in version order.
    public var removed: [TableFile]
    /// Why nothing was considered (the table turned cleanup off), or nil.
    public var skipped: String?

    public var removedBytes: Int64 { removed.reduce(0) { $0 + $1.size } }
}

/// Metadata cleanup (PROTOCOL.md § Metadata Cleanup): removes `_delta_log` commits and checkpoints that
/// are older than the log retention and that no version inside it needs.
///
/// The rule: the cutoff checkpoint is the newest classic checkpoint at or below every commit older than the
/// retention (so its version, and every one before it, committed before the retention began), that this
/// implementation reads back, and that `_last_checkpoint` does not point below. Everything versioned
/// below it goes (commits, checkpoints of any naming, checksums, and log compactions starting at or
/// below it); the checkpoint itself, its commit and everything after stay, so the table loads from it
/// and every version inside the retention stays reachable. Files are removed oldest first, so a cleanup
/// that stops half-way leaves a valid log.
public enum LogRetention {
    /// One file of `_delta_log/` that cleanup may remove, by what its name says.
    enum Entry {
        case commit(Int64)
        case classicCheckpoint(Int64)
        /// Multi-part or UUID-named checkpoint, `.crc` checksum: removed with their version.
        case versioned(Int64)
        /// `<start>.<end>.compacted.json`: removed when it starts at or below the cutoff.
        case compacted(start: Int64)

        /// Parses a name directly in `_delta_log/` (no subdirectories: `_sidecars/`, `_staged_commits/`).
        init?(name: Substring) {
            guard !name.contains("/"), let version = Entry.version(name.prefix(20)) else { return nil }
            let rest = name.dropFirst(20)
            if rest == ".json" {
                self = .commit(version)
            } else if rest == ".checkpoint.parquet" {
                self = .classicCheckpoint(version)
            } else if rest.hasPrefix(".checkpoint.") || rest == ".crc" {
                self = .versioned(version)
            } else if rest.hasPrefix("."), Entry.version(rest.dropFirst().prefix(20)) != nil,
                rest.dropFirst(21) == ".compacted.json"
            {
                self = .compacted(start: version)
            } else {
                return nil
            }
        }

        /// The version a 20-digit name part spells, or nil.
        private static func version(_ digits: Substring) -> Int64? {
            guard digits.count == 20, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }) else { return nil }
            return Int64(digits)
        }

        var version: Int64 {
            switch self {
            case .commit(let v), .classicCheckpoint(let v), .versioned(let v), .compacted(let v): return v
            }
        }
    }

    /// Removes (unless `dryRun`) the log files of `log` that the rule above lets go, as of `now`.
    public static func clean(
        log: TransactionLog, retentionMillis: Int64, now: Int64 = WallClock.nowMilliseconds(), dryRun: Bool = false
    ) throws -> LogCleanupReport {
        var report = LogCleanupReport(
            retentionMillis: retentionMillis, dryRun: dryRun, checkpointVersion: nil, removed: [], skipped: nil)
        let objects: [ObjectInfo]
        do { objects = try log.store.list(prefix: log.logPrefix) } catch let error as StorageError {
            throw log.storageFailure(error, version: nil)
        }
        var entries: [(entry: Entry, object: ObjectInfo)] = []
        for object in objects {
            if let entry = Entry(name: object.key.dropFirst(log.logPrefix.count)) { entries.append((entry, object)) }
        }
        // The newest version such that it and every commit before it are older than the retention. Commit
        // times are the files' modification times, as Delta uses them; a commit out of order (a writer's
        // clock behind) stops the run there rather than exposing versions inside the retention.
        let cutoffTime = now - retentionMillis
        var oldEnough: Int64? = nil
        let commits = entries.compactMap { item -> (Int64, Int64)? in
            if case .commit(let version) = item.entry { return (version, item.object.lastModified) }
            return nil
        }.sorted { $0.0 < $1.0 }
        for (version, modified) in commits {
            guard modified < cutoffTime else { break }
            oldEnough = version
        }
        guard let oldEnough else { return report }
        // `_last_checkpoint` is where readers start: never remove what it points at (two writers' pointers
        // can land out of order, leaving it below the newest checkpoint).
        let pointer = try log.readLastCheckpoint()?.version ?? Int64.max
        let candidates = entries.compactMap { item -> Int64? in
            if case .classicCheckpoint(let version) = item.entry, version <= oldEnough, version <= pointer {
                return version
            }
            return nil
        }.sorted(by: >)
        // Only a checkpoint this implementation reads back may become the log's start.
        guard let cutoff = candidates.first(where: { (try? Checkpoint.read(log: log, version: $0)) != nil }) else {
            return report
        }
        report.checkpointVersion = cutoff
        let expired = entries.filter { item in
            if case .compacted(let start) = item.entry { return start <= cutoff }
            return item.entry.version < cutoff
        }.sorted { $0.object.key < $1.object.key }
        report.removed = expired.map {
            TableFile(path: String($0.object.key.dropFirst(prefixLength(log))), size: $0.object.size)
        }
        guard !dryRun else { return report }
        for (index, item) in expired.enumerated() {
            do { try log.store.delete(item.object.key) } catch let error as StorageError {
                var failure = log.storageFailure(error, version: item.entry.version)
                failure.message += " (log cleanup had removed \(index) of \(expired.count) files)"
                throw failure
            }
        }
        return report
    }

    /// Length of the table's key prefix ("bronze/bike/"), so removed keys read relative to the table.
    private static func prefixLength(_ log: TransactionLog) -> Int {
        log.tablePath.isEmpty ? 0 : log.tablePath.count + 1
    }
}

extension DeltaTable {
    /// Removes `_delta_log` files past the table's `delta.logRetentionDuration` (default 30 days) by the
    /// `LogRetention` rule; does nothing (and says so) when `delta.enableExpiredLogCleanup` is false.
    public func cleanUpLog(now: Int64 = WallClock.nowMilliseconds(), dryRun: Bool = false) throws -> LogCleanupReport {
        guard let snapshot = try snapshot() else {
            throw DeltaError(code: .tableNotFound, table: log.tableName, message: "no table to clean up")
        }
        let retention = try snapshot.metadata.logRetentionMillis(table: log.tableName)
        guard snapshot.metadata.expiredLogCleanupEnabled else {
            return LogCleanupReport(
                retentionMillis: retention, dryRun: dryRun, checkpointVersion: nil, removed: [],
                skipped: "\(TableProperties.expiredLogCleanupKey) is false")
        }
        return try LogRetention.clean(log: log, retentionMillis: retention, now: now, dryRun: dryRun)
    }
}
