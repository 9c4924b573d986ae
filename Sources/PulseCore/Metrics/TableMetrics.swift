import Synchronization

/// Size and version of one Delta table as the engine last committed it, for the dashboard's
/// lakehouse panel and the status line.
public final class TableMetrics: Sendable {
    public let path: String
    private let state = Mutex(TableMetricsSnapshot(path: "", version: -1, files: 0, rows: 0, bytes: 0, commits: 0))

    public init(path: String) {
        self.path = path
        state.withLock { $0.path = path }
    }

    /// Sets the figures read from the table's snapshot at start-up.
    public func load(version: Int64, files: Int, rows: Int64, bytes: Int64) {
        state.withLock {
            $0.version = version
            $0.files = files
            $0.rows = rows
            $0.bytes = bytes
        }
    }

    /// Adds one commit's figures; with `totals` (the table after the commit, other writers' commits
    /// included) the table's figures are set to them, unless a later version was recorded already.
    public func recordCommit(version: Int64, files: Int, rows: Int64, bytes: Int64, totals: TableTotals? = nil) {
        state.withLock {
            if let totals {
                if version > $0.version {
                    $0.files = totals.files
                    $0.rows = totals.rows
                    $0.bytes = totals.bytes
                }
            } else {
                $0.files += files
                $0.rows += rows
                $0.bytes += bytes
            }
            $0.version = max($0.version, version)
            $0.commits += 1
        }
    }

    /// Records a compaction commit: files merged into fewer, rows unchanged.
    public func recordCompaction(_ result: CompactionResult) {
        guard let version = result.version else { return }
        state.withLock {
            if let totals = result.totals {
                if version > $0.version {
                    $0.files = totals.files
                    $0.rows = totals.rows
                    $0.bytes = totals.bytes
                }
            } else {
                $0.files += result.filesAdded - result.filesRemoved
                $0.bytes += result.bytesAdded - result.bytesRemoved
            }
            $0.version = max($0.version, version)
            $0.compactions += 1
            $0.filesCompacted += result.filesRemoved
        }
    }

    public var snapshot: TableMetricsSnapshot { state.withLock { $0 } }
}

/// A point-in-time copy of `TableMetrics`.
public struct TableMetricsSnapshot: Sendable, Equatable {
    public var path: String
    public var version: Int64
    public var files: Int
    public var rows: Int64
    public var bytes: Int64
    public var commits: Int
    /// Compaction commits, and the small files they merged.
    public var compactions = 0
    public var filesCompacted = 0
}
