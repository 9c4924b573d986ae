import CoreMetrics
import Synchronization

/// The engine's figures for one topic: what it read, how far behind the broker it is, how long a
/// batch took, and whether the store is failing (and since when).
public final class PipelineMetrics: Sendable {
    public let source: String
    public let topic: String
    public let tables: [TableMetrics]
    private let state: Mutex<PipelineMetricsSnapshot>
    /// Distributions for /metrics through swift-metrics (a no-op unless the process bootstrapped a backend,
    /// as `--api-port` does): batch latency, and produce-to-Silver latency of a sample of each batch's records.
    private let batchLatency: CoreMetrics.Timer
    private let silverLatency: CoreMetrics.Timer

    public init(source: String, topic: String, tablePaths: [String]) {
        self.source = source
        self.topic = topic
        self.tables = tablePaths.map { TableMetrics(path: $0) }
        self.state = Mutex(PipelineMetricsSnapshot(source: source, topic: topic))
        batchLatency = CoreMetrics.Timer(label: "pulse_batch_latency_seconds", dimensions: [("pipeline", source)])
        silverLatency = CoreMetrics.Timer(
            label: "pulse_produce_to_silver_latency_seconds", dimensions: [("pipeline", source)])
    }

    public func table(_ path: String) -> TableMetrics? { tables.first { $0.path == path } }

    /// Records a finished micro-batch.
    public func recordBatch(records: Int, lag: Int64, latencySeconds: Double, atMicros now: Int64) {
        batchLatency.recordNanoseconds(Int64(latencySeconds * 1e9))
        state.withLock {
            $0.recordsRead += records
            $0.batches += 1
            $0.lag = lag
            $0.lastBatchLatencySeconds = latencySeconds
            $0.lastBatchMicros = now
        }
    }

    /// Adds a batch's quarantined, late and far-ahead records and the lowest partition watermark.
    public func recordRecords(quarantined: Int64, late: Int64, ahead: Int64 = 0, watermarkMicros: Int64?) {
        state.withLock {
            $0.quarantined += quarantined
            $0.late += late
            $0.ahead += ahead
            if let watermarkMicros { $0.watermarkMicros = watermarkMicros }
        }
    }

    /// Records, per partition, the offset a restart would resume at: everything below it is in every table.
    public func recordCommitted(_ offsets: [Int64]) {
        state.withLock { $0.committedOffsets = offsets }
    }

    /// Per partition, the offset a restart would resume at (empty before the first batch).
    public var committedOffsets: [Int64] { state.withLock { $0.committedOffsets } }

    /// Counts closed windows left out of Gold because the table already held them (another run, epoch or
    /// engine appended them first).
    public func recordWindowsAlreadyInGold(_ count: Int) {
        state.withLock { $0.windowsAlreadyInGold += count }
    }

    /// Records the failure that stopped the pipeline (damaged lakehouse state); the run exits non-zero.
    public func recordFatal(_ message: String) {
        state.withLock {
            $0.fatalError = message
            $0.lastError = message
            // Not a store outage: the store answered; what it holds is damaged.
            $0.storeFailingSinceMicros = nil
            $0.storeFailuresInSpell = 0
        }
    }

    /// Records, per record of a committed batch, the time from its Kafka timestamp (when the producer
    /// created it) to the Silver commit; the newest 8192 are kept for the percentiles.
    public func recordSilverLatencies(_ micros: [Int64]) {
        guard !micros.isEmpty else { return }
        // A sample of at most 256 per batch, evenly spaced: a histogram observation per record would cost
        // more than the record.
        let step = max(1, micros.count / 256)
        for i in stride(from: 0, to: micros.count, by: step) { silverLatency.recordMicroseconds(micros[i]) }
        state.withLock {
            $0.latencySamples.append(contentsOf: micros.suffix(8192))
            if $0.latencySamples.count > 8192 { $0.latencySamples.removeFirst($0.latencySamples.count - 8192) }
        }
    }

    /// Adds a batch's stage times to the run's totals.
    func recordStages(_ clock: StageClock) {
        state.withLock {
            for (stage, seconds) in clock.laps { $0.stageSeconds[stage, default: 0] += seconds }
        }
    }

    /// Records consumer lag observed without a batch (nothing new to read).
    /// The partitions a consumer-group member owns after its last recovery (nil: all, no group), and the
    /// rebalances it has seen.
    public func recordOwnership(_ partitions: [Int32]?, rebalances: Int) {
        state.withLock {
            $0.ownedPartitions = partitions
            $0.rebalances = rebalances
        }
    }

    /// See `recordOwnership`.
    public var ownedPartitions: [Int32]? { state.withLock { $0.ownedPartitions } }

    public func recordLag(_ lag: Int64) {
        state.withLock { $0.lag = lag }
    }

    /// Records offsets the broker had dropped before they were read: loud, and counted.
    public func recordGap(_ gap: OffsetGap) {
        state.withLock {
            $0.gapRecords += gap.missing
            $0.gaps += 1
            $0.lastGap = gap.description
        }
    }

    /// Records a batch the store refused (a write, a commit or a read of the log failed); the batch is
    /// retried, nothing is acknowledged. The spell lasts until a batch completes (`recordHealthy`).
    public func recordStoreFailure(_ message: String, atMicros now: Int64) {
        state.withLock {
            $0.lastError = message
            $0.failures += 1
            $0.storeFailuresInSpell += 1
            if $0.storeFailingSinceMicros == nil { $0.storeFailingSinceMicros = now }
        }
    }

    /// Records a batch that failed because the broker did not answer; `BrokerHealth` shows the spell,
    /// so the store stays healthy in the figures.
    public func recordBrokerFailure(_ message: String) {
        state.withLock {
            $0.lastError = message
            $0.failures += 1
        }
    }

    /// Records that a batch completed (read, and committed whatever was due), which ends a store failure spell.
    public func recordHealthy() {
        state.withLock {
            if $0.storeFailingSinceMicros != nil {
                $0.storeFailingSinceMicros = nil
                $0.storeFailuresInSpell = 0
            }
        }
    }

    public var snapshot: PipelineMetricsSnapshot {
        var copy = state.withLock { $0 }
        copy.tables = tables.map(\.snapshot)
        return copy
    }
}

/// A point-in-time copy of `PipelineMetrics`.
public struct PipelineMetricsSnapshot: Sendable {
    public var source: String
    public var topic: String
    public var recordsRead: Int = 0
    public var batches: Int = 0
    public var lag: Int64 = 0
    public var lastBatchLatencySeconds: Double = 0
    public var lastBatchMicros: Int64 = 0
    public var quarantined: Int64 = 0
    public var late: Int64 = 0
    /// Records held out of Gold because they were far ahead of their partition (`WindowState`).
    public var ahead: Int64 = 0
    /// Closed windows not appended because their Gold table already held them.
    public var windowsAlreadyInGold = 0
    /// Per partition, the offset a restart resumes at (empty before the first batch).
    public var committedOffsets: [Int64] = []
    /// Why the pipeline stopped for good (damaged lakehouse state); nil while it runs.
    public var fatalError: String?
    /// Lowest watermark over the partitions (event time below which records are late).
    public var watermarkMicros: Int64?
    /// In a consumer group: the partitions this member reads (nil: every partition, no group).
    public var ownedPartitions: [Int32]?
    public var rebalances = 0
    public var gaps: Int = 0
    public var gapRecords: Int64 = 0
    public var lastGap: String?
    public var failures: Int = 0
    public var lastError: String?
    /// Start of the current store failure spell (nil while the store works); `lastError` says why.
    public var storeFailingSinceMicros: Int64?
    /// Failed attempts in the current store failure spell.
    public var storeFailuresInSpell: Int = 0
    public var tables: [TableMetricsSnapshot] = []
    /// Seconds spent per stage of the batches so far (read wait, parse, windows, each table's commit).
    public var stageSeconds: [String: Double] = [:]
    /// Produce-to-Silver-commit latencies of recent records, microseconds.
    public var latencySamples: [Int64] = []

    /// The `q` quantile (0...1) of `latencySamples` in milliseconds, nil without samples.
    public func latencyMillis(quantile q: Double) -> Double? {
        guard !latencySamples.isEmpty else { return nil }
        let sorted = latencySamples.sorted()
        return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) / 1000
    }

    public init(source: String, topic: String) {
        self.source = source
        self.topic = topic
    }
}
