import CoreMetrics
import Prometheus
import PulseCore
import Synchronization

/// `/metrics` in Prometheus' text format. Distributions (batch latency, produce-to-Silver latency) are
/// recorded as they happen through swift-metrics into this process's Prometheus registry
/// (`bootstrapPrometheus`); counters and gauges are read from the engine's snapshots at scrape time, so
/// counting costs the engine nothing between scrapes.
public final class MetricsExporter: Sendable {
    /// The registry swift-metrics feeds (after `bootstrapPrometheus`) and scrapes fill.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Makes swift-metrics record into `registry`. Call once, before the engine is created: metric handles
    /// made earlier stay no-ops. Buckets suit micro-batches (milliseconds to tens of seconds).
    public static func bootstrapPrometheus() {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
                .seconds(30),
            ]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    let live: LiveEngine?
    let readers: [String: TableReader]
    let cache: DataFileCache
    /// Last value exported per counter, so a cumulative snapshot value becomes an increment.
    private let exported = Mutex<[String: Int64]>([:])

    init(live: LiveEngine?, readers: [String: TableReader], cache: DataFileCache) {
        self.live = live
        self.readers = readers
        self.cache = cache
    }

    /// The text exposition, with every figure current.
    func scrape() -> [UInt8] {
        let r = Self.registry
        if let live {
            for pipeline in live.pipelines {
                let p = pipeline.snapshot
                let labels = [("pipeline", p.source)]
                count("pulse_records_read_total", labels, Int64(p.recordsRead), help: "Kafka records read")
                count("pulse_records_quarantined_total", labels, p.quarantined, help: "Records Silver rejected")
                count("pulse_records_late_total", labels, p.late, help: "Records below their partition's watermark")
                count("pulse_records_ahead_total", labels, p.ahead, help: "Records held out of Gold, far ahead")
                count("pulse_gaps_total", labels, Int64(p.gaps), help: "Offset ranges the broker lost before reading")
                count("pulse_gap_records_total", labels, p.gapRecords, help: "Records the broker lost before reading")
                count("pulse_batches_total", labels, Int64(p.batches), help: "Micro-batches completed")
                count("pulse_failures_total", labels, Int64(p.failures), help: "Batches retried (store or broker)")
                r.makeGauge(name: "pulse_lag_records", labels: labels).set(Double(p.lag))
                r.makeGauge(name: "pulse_store_failing", labels: labels).set(
                    p.storeFailingSinceMicros == nil ? 0.0 : 1.0)
                r.makeGauge(name: "pulse_stopped", labels: labels).set(p.fatalError == nil ? 0.0 : 1.0)
                for table in p.tables {
                    let t = [("table", table.path)]
                    count("pulse_table_commits_total", t, Int64(table.commits), help: "Commits by this engine")
                    count("pulse_table_compactions_total", t, Int64(table.compactions), help: "Compaction commits")
                    count("pulse_table_files_compacted_total", t, Int64(table.filesCompacted), help: "Files merged")
                }
            }
            if let run = live.run {
                let snapshot = run.snapshot()
                count("pulse_broker_errors_total", [], Int64(snapshot.broker.errorCount), help: "Broker errors seen")
                r.makeGauge(name: "pulse_broker_failing").set(snapshot.broker.failingSinceMicros == nil ? 0.0 : 1.0)
                for topic in snapshot.produce {
                    let labels = [("topic", topic.topic)]
                    count("pulse_producer_sent_total", labels, Int64(topic.produced), help: "Records produced")
                    count("pulse_producer_delivered_total", labels, Int64(topic.delivered), help: "Acknowledged")
                    count("pulse_producer_failed_total", labels, Int64(topic.failed), help: "Failed or refused")
                    r.makeGauge(name: "pulse_producer_held_back", labels: labels).set(topic.heldBack ? 1.0 : 0.0)
                }
            }
        }
        // Tables as committed (the engine's own figures when it runs, the logs' otherwise).
        for (path, reader) in readers {
            guard let snapshot = reader.snapshot() else { continue }
            let labels = [("table", path)]
            r.makeGauge(name: "pulse_table_version", labels: labels).set(Double(snapshot.version))
            r.makeGauge(name: "pulse_table_rows", labels: labels).set(Double(snapshot.rowCount))
            r.makeGauge(name: "pulse_table_bytes", labels: labels).set(Double(snapshot.byteCount))
            r.makeGauge(name: "pulse_table_files", labels: labels).set(Double(snapshot.fileCount))
            r.makeGauge(name: "pulse_table_stale", labels: labels).set(reader.staleness.since == nil ? 0.0 : 1.0)
        }
        let files = cache.counts
        count("pulse_api_file_cache_hits_total", [], Int64(files.hits), help: "Decoded data files reused")
        count("pulse_api_file_cache_misses_total", [], Int64(files.misses), help: "Data files decoded")
        r.makeGauge(name: "pulse_api_file_cache_bytes").set(Double(files.bytes))
        r.makeGauge(name: "process_resident_memory_bytes").set(ProcessMemory.residentMiB() * 1_048_576)
        return r.emitToBuffer()
    }

    /// Brings the counter `name{labels}` up to `value` (a cumulative figure from a snapshot).
    private func count(_ name: String, _ labels: [(String, String)], _ value: Int64, help: String) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let delta = exported.withLock { exported -> Int64 in
            let delta = value - (exported[key] ?? 0)
            if delta > 0 { exported[key] = value }
            return delta
        }
        guard delta > 0 else { return }
        Self.registry.makeCounter(name: name, labels: labels, help: help).increment(by: delta)
    }
}
