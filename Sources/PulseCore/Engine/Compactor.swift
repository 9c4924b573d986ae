import Dispatch
import Glibc
import Logging
import Synchronization

/// Keeps the engine's tables from drowning in small files, off the hot path: on its own thread, every
/// `intervalSeconds`, each table whose partitions hold too many small files gets one compaction commit
/// (`DeltaTable.compact`). It never blocks or fails an append: appends and compactions touch different
/// files and commit through the same optimistic log; a compaction that loses a race is dropped and tried
/// again next round.
public final class Compactor: Sendable {
    /// One table to keep compact, and the row order its files hold.
    public struct Target: Sendable {
        public let table: DeltaTable
        public let sortColumns: [String]
        public let metrics: TableMetrics?
        /// Whether this engine compacts the table this round (in a consumer group one member does).
        public let isDue: @Sendable () -> Bool

        public init(
            table: DeltaTable, sortColumns: [String], metrics: TableMetrics? = nil,
            isDue: @escaping @Sendable () -> Bool = { true }
        ) {
            self.table = table
            self.sortColumns = sortColumns
            self.metrics = metrics
            self.isDue = isDue
        }
    }

    private let targets: [Target]
    private let policy: CompactionPolicy
    private let intervalSeconds: Double
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    public init(targets: [Target], policy: CompactionPolicy = .init(), intervalSeconds: Double = 5, logger: Logger) {
        self.targets = targets
        self.policy = policy
        self.intervalSeconds = intervalSeconds
        self.logger = logger
    }

    /// Starts the compaction thread.
    public func start() {
        running.store(true, ordering: .relaxed)
        DedicatedThread.start(name: "pulse-compact") { [self] in
            while !stopRequested.load(ordering: .relaxed) {
                runOnce()
                ProcessMemory.returnFreeMemory()
                var waited = 0.0
                while waited < intervalSeconds, !stopRequested.load(ordering: .relaxed) {
                    usleepSeconds(0.1)
                    waited += 0.1
                }
            }
            finished.signal()
        }
    }

    /// Stops after the compaction in progress, if any (a compaction interrupted by a kill is harmless: its
    /// commit is atomic, and files it wrote without committing are vacuumed).
    public func stop(timeout: Double = 60) {
        stopRequested.store(true, ordering: .relaxed)
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            _ = finished.wait(timeout: .now() + timeout)
        }
    }

    /// One round over every table; returns what each did.
    @discardableResult
    public func runOnce() -> [CompactionResult] {
        targets.map { target in
            guard target.isDue() else { return CompactionResult() }
            do {
                let result = try target.table.compact(sortColumns: target.sortColumns, policy: policy)
                if let version = result.version {
                    target.metrics?.recordCompaction(result)
                    logger.info(
                        "compacted \(target.table.path) v\(version): \(result.filesRemoved) files in \(result.partitions) partitions into \(result.filesAdded), \(result.rows) rows"
                    )
                }
                return result
            } catch {
                logger.warning("compaction of \(target.table.path) failed, will retry: \(error)")
                return CompactionResult()
            }
        }
    }
}

private func usleepSeconds(_ seconds: Double) {
    var spec = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    _ = nanosleep(&spec, nil)
}
