/// A file of a table that maintenance removed, by its path relative to the table root as on storage
/// (not percent-encoded: "dt=2025-08-20/part-00000-….parquet", "_delta_log/00000000000000000003.json").
public struct TableFile: Sendable, Equatable {
    public var path: String
    public var size: Int64

    public init(path: String, size: Int64) {
        self.path = path
        self.size = size
    }
}

/// What one vacuum of a table removed (or, in a dry run, would remove) and what it kept.
public struct VacuumReport: Sendable, Equatable {
    /// Files kept, by the reason they were kept.
    public struct Kept: Sendable, Equatable {
        /// In the current version.
        public var live = 0
        public var liveBytes: Int64 = 0
        /// Removed from the table within the retention: an older version still inside it reads them.
        public var retained = 0
        public var retainedBytes: Int64 = 0
        /// Referenced by no version and younger than the retention (or than the commit grace): possibly a
        /// concurrent writer's file about to be committed.
        public var young = 0
        public var youngBytes: Int64 = 0

        public var files: Int { live + retained + young }
        public var bytes: Int64 { liveBytes + retainedBytes + youngBytes }
    }

    /// The table version whose state decided what is needed.
    public var version: Int64
    /// Files removed from the table longer ago than this (and unreferenced files older than it) are deleted.
    public var retentionMillis: Int64
    /// True when nothing was deleted and `removed` lists what would have been.
    public var dryRun: Bool
    /// Deleted (or to be deleted) data files, sorted by path.
    public var removed: [TableFile]
    public var kept: Kept

    public var removedBytes: Int64 { removed.reduce(0) { $0 + $1.size } }
}

extension DeltaTable {
    /// The shortest age an unreferenced file must reach before vacuum deletes it, whatever the retention:
    /// a writer stores its data files before it commits them, so a young file that no version names may
    /// be in the commit still on its way (appends and compactions commit within seconds; retries within
    /// minutes). A file whose removal is committed needs no such grace: it is never committed again.
    public static let uncommittedFileGraceMillis: Int64 = 3_600_000

    /// Deletes the data files under the table's prefix (never `_delta_log/` or other hidden paths) that no
    /// version within the retention needs, and returns what it deleted and kept (PROTOCOL.md: data files
    /// no longer in the latest version "can be lazily deleted by the vacuum command after a user-specified
    /// retention period").
    ///
    /// A file in the current version is kept. A removed file (tombstone) is kept while its
    /// `deletionTimestamp` is within `retentionMillis` of `now`, and deleted after. A file no version names
    /// (an abandoned write, or one whose tombstone a checkpoint already dropped) is deleted only when its
    /// last modification is older than the retention and than `uncommittedFileGraceMillis`.
    /// `retentionMillis` nil uses the table's `delta.deletedFileRetentionDuration` (default 7 days); the
    /// caller decides whether a shorter one is allowed. `dryRun` deletes nothing.
    ///
    /// Safe beside engines that append and compact: storage is listed BEFORE the snapshot is read, so
    /// every listed file committed by then is in the snapshot, live or tombstone; a file committed later
    /// was written moments ago and is protected by its age; and a file a later compaction removes was live
    /// in the snapshot, so it is kept.
    public func vacuum(
        retentionMillis: Int64? = nil, now: Int64 = WallClock.nowMilliseconds(), dryRun: Bool = false
    ) throws -> VacuumReport {
        let prefix = path.isEmpty ? "" : path + "/"
        let listed: [ObjectInfo]
        do { listed = try store.list(prefix: prefix) } catch let error as StorageError {
            throw log.storageFailure(error, version: nil)
        }
        guard let snapshot = try snapshot() else {
            throw DeltaError(code: .tableNotFound, table: log.tableName, message: "no table to vacuum")
        }
        // A writer version above ours may carry rules for which files are still needed (deletion vectors,
        // vacuumProtocolCheck): refuse rather than guess.
        try log.checkWritable(snapshot)
        let retention = max(
            0, try retentionMillis ?? snapshot.metadata.deletedFileRetentionMillis(table: log.tableName))
        let tombstoneCutoff = now - retention
        let untrackedCutoff = now - max(retention, DeltaTable.uncommittedFileGraceMillis)

        var live: Set<String> = []
        for logPath in snapshot.files.keys { live.formUnion(Self.storagePaths(logPath)) }
        // Tombstones by storage path -> deletionTimestamp (nil: unknown, so judged by the file's age).
        var tombstones: [String: Int64?] = [:]
        for (logPath, remove) in try Checkpoint.allTombstones(log: log, snapshot: snapshot) {
            for path in Self.storagePaths(logPath) { tombstones[path] = remove.deletionTimestamp }
        }

        var report = VacuumReport(
            version: snapshot.version, retentionMillis: retention, dryRun: dryRun, removed: [], kept: .init())
        for object in listed {
            let relative = String(object.key.dropFirst(prefix.count))
            guard !isHidden(relative, partitionColumns: snapshot.partitionColumns) else { continue }
            if live.contains(relative) {
                report.kept.live += 1
                report.kept.liveBytes += object.size
            } else if let entry = tombstones[relative], let deleted = entry {
                if deleted < tombstoneCutoff {
                    report.removed.append(.init(path: relative, size: object.size))
                } else {
                    report.kept.retained += 1
                    report.kept.retainedBytes += object.size
                }
            } else if object.lastModified < untrackedCutoff {
                report.removed.append(.init(path: relative, size: object.size))
            } else {
                report.kept.young += 1
                report.kept.youngBytes += object.size
            }
        }
        report.removed.sort { $0.path < $1.path }
        guard !dryRun else { return report }
        var deleted = 0
        for file in report.removed {
            do { try store.delete(prefix + file.path) } catch let error as StorageError {
                var failure = log.storageFailure(error, version: snapshot.version)
                failure.message += " (vacuum had deleted \(deleted) of \(report.removed.count) files)"
                throw failure
            }
            deleted += 1
        }
        return report
    }

    /// The storage paths (relative to the table root) a log `path` may name: itself decoded when it is
    /// relative, as PROTOCOL.md wants it; for an absolute URI (a shallow clone's, or a writer spelling our
    /// own location another way) every tail of its path, so a file it might name is never taken for an
    /// unreferenced one.
    static func storagePaths(_ logPath: String) -> [String] {
        let decoded = PartitionPath.relativePath(logPath: logPath)
        let head = logPath.prefix { $0 != "/" }
        let isAbsolute =
            logPath.hasPrefix("/")
            || (head.count > 1 && head.hasSuffix(":") && head.first!.isLetter
                && head.dropLast().allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) })
        guard isAbsolute else { return [decoded] }
        var tails = [decoded]
        var rest = Substring(decoded)
        while let slash = rest.firstIndex(of: "/") {
            rest = rest[rest.index(after: slash)...]
            if !rest.isEmpty { tails.append(String(rest)) }
        }
        return tails
    }

    /// Whether a table-relative path is outside vacuum's reach: any segment starting with `.` or `_`
    /// (`_delta_log`, `_change_data`, `.crc` side files, `_SUCCESS`), except a partition directory of
    /// a partition column whose name starts with `_` (PROTOCOL.md § Data Files: data lives in the root
    /// or in non-hidden subdirectories).
    private func isHidden(_ relative: String, partitionColumns: [String]) -> Bool {
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment.hasPrefix(".") { return true }
            guard segment.hasPrefix("_") else { continue }
            let isDirectory = index < segments.count - 1
            let isPartition =
                isDirectory
                && partitionColumns.contains {
                    segment.hasPrefix(PartitionPath.percentEncode($0, keeping: { _ in false }) + "=")
                }
            if !isPartition { return true }
        }
        return false
    }
}
