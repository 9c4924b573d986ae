import Foundation
import PulseCore

/// The headless view: every interval one short line per topic (its producer, its engine pipeline, its tables),
/// then one for the broker and one for the store, aligned so the eye runs down a column; a final summary when
/// the run ends. With `--log-format json` each interval is one JSON object on one line instead. Reads metrics
/// snapshots only, so it never slows the engine.
///
/// ```
/// [00:01:05] bike     produced 3250 (50.0/s) delivered 3250 | read 3250 (50.0/s) lag 0 | bronze 3250 silver 3250 quar 0 gold 2900 | late 0 wm 2025-08-20 06:54:00
/// [00:01:05] weather  produced  650 (10.0/s) delivered  650 | read  650 (10.0/s) lag 0 | bronze  650 silver  650 quar 0 gold  580 | late 0 wm 2025-08-20 06:51:00
/// [00:01:05] broker   embedded 127.0.0.1:40123 ok
/// [00:01:05] store    file:///home/me/lakehouse ok
/// ```
struct StatusReporter {
    let metrics: RunMetrics
    let pipelines: [PipelineMetrics]
    /// Whether this run produces (false for `stream`, whose producer counters stay zero).
    let producing: Bool
    /// The lakehouse, nil when the run has no engine (`produce`).
    let storeDescription: String?
    let format: LogFormat
    private var rates = RateBoard()

    init(
        metrics: RunMetrics, pipelines: [PipelineMetrics] = [], producing: Bool = true,
        storeDescription: String? = nil, format: LogFormat = .text
    ) {
        self.metrics = metrics
        self.pipelines = pipelines
        self.producing = producing
        self.storeDescription = storeDescription
        self.format = format
    }

    /// Samples the counters the rates are measured from; call a few times a second between lines.
    mutating func observe() {
        let now = WallClock.monotonicSeconds()
        for topic in metrics.snapshot().produce {
            rates.observe("delivered:" + topic.topic, Int64(topic.delivered), at: now)
        }
        for pipeline in pipelines.map(\.snapshot) {
            rates.observe("read:" + pipeline.topic, Int64(pipeline.recordsRead), at: now)
        }
    }

    /// The status for now: lines of text, or one JSON line.
    mutating func lines() -> [String] {
        observe()
        let run = metrics.snapshot()
        let engine = pipelines.map(\.snapshot)
        let now = WallClock.monotonicSeconds()
        switch format {
        case .json: return [JSONLine.encode(statusObject(run, engine, now: now))]
        case .text: return textLines(run, engine, now: now)
        }
    }

    // MARK: - Text

    /// One labelled value of a line; values with the same key line up across the lines of one status.
    struct Field {
        var key: String
        var label: String
        var value: String
    }

    private func textLines(_ run: RunMetricsSnapshot, _ engine: [PipelineMetricsSnapshot], now: Double) -> [String] {
        let clock = "[" + Self.clock(run.elapsedSeconds) + "]"
        var rows: [(name: String, segments: [[Field]], extras: [String])] = []
        let topics = producing ? run.produce.map(\.topic) : engine.map(\.topic)
        for topic in topics {
            var segments: [[Field]] = []
            var extras: [String] = []
            if producing, let counters = run.produce.first(where: { $0.topic == topic }) {
                segments.append(producerFields(counters, now: now))
                extras += Self.producerExtras(counters)
                if counters.produced == 0, !run.broker.isHealthy { extras.append("waiting for the broker") }
            }
            if let pipeline = engine.first(where: { $0.topic == topic }) {
                segments += engineFields(pipeline, now: now)
                extras += Self.engineExtras(pipeline)
            }
            rows.append((engine.first { $0.topic == topic }?.source ?? topic, segments, extras))
        }
        var widths: [String: Int] = [:]
        for row in rows {
            for field in row.segments.joined() { widths[field.key] = max(widths[field.key] ?? 0, field.value.count) }
        }
        let nameWidth = max(8, (rows.map(\.name.count).max() ?? 0) + 1)
        func pad(_ name: String) -> String { name + String(repeating: " ", count: max(1, nameWidth - name.count)) }
        var lines = rows.map { row -> String in
            let body = row.segments.map { segment in
                segment.map { field in
                    let value =
                        String(repeating: " ", count: (widths[field.key] ?? 0) - field.value.count) + field.value
                    return field.label.isEmpty ? value : field.label + " " + value
                }.joined(separator: " ")
            }.joined(separator: " | ")
            return ([clock + " " + pad(row.name) + body] + row.extras).joined(separator: " ")
        }
        lines.append(
            clock + " " + pad("broker") + run.brokerDescription + " " + Self.health(run.broker, now: run.takenMicros))
        if let storeDescription {
            lines.append(
                clock + " " + pad("store") + storeDescription + " " + Self.storeHealth(engine, now: run.takenMicros))
        }
        return lines
    }

    private func producerFields(_ counters: ProduceCountersSnapshot, now: Double) -> [Field] {
        [
            Field(key: "produced", label: "produced", value: "\(counters.produced)"),
            Field(key: "produced/s", label: "", value: "(" + rate("delivered:" + counters.topic, now: now) + ")"),
            Field(key: "delivered", label: "delivered", value: "\(counters.delivered)"),
        ]
    }

    private func engineFields(_ p: PipelineMetricsSnapshot, now: Double) -> [[Field]] {
        func rows(_ layer: String) -> String {
            let tables = p.tables.filter { $0.path.hasPrefix(layer + "/") }
            return "\(tables.reduce(Int64(0)) { $0 + max(0, $1.rows) })"
        }
        return [
            [
                Field(key: "read", label: "read", value: "\(p.recordsRead)"),
                Field(key: "read/s", label: "", value: "(" + rate("read:" + p.topic, now: now) + ")"),
                Field(key: "lag", label: "lag", value: "\(p.lag)"),
            ],
            ["bronze", "silver", "quarantine", "gold"].map {
                Field(key: $0, label: $0 == "quarantine" ? "quar" : $0, value: rows($0))
            },
            [
                Field(key: "late", label: "late", value: "\(p.late)"),
                Field(key: "wm", label: "wm", value: p.watermarkMicros.map(Self.dateTime) ?? "-"),
            ],
        ]
    }

    /// What a producer does beyond the usual, loudest last: failures, refusals, holding back.
    static func producerExtras(_ c: ProduceCountersSnapshot) -> [String] {
        var extras: [String] = []
        if c.failed > 0 { extras.append("failed \(c.failed)") }
        if c.refused > 0 { extras.append("refused \(c.refused) (too large)") }
        if c.malformed > 0 { extras.append("malformed \(c.malformed) (on purpose)") }
        if c.heldBack { extras.append("HELD BACK (waiting for the engine to commit)") }
        return extras
    }

    /// What an engine pipeline does beyond the usual: held-out records, compactions, lost records, a stop.
    static func engineExtras(_ p: PipelineMetricsSnapshot) -> [String] {
        var extras: [String] = []
        if let owned = p.ownedPartitions { extras.append("owns " + partitionList(owned)) }
        if p.quarantined > 0 { extras.append("quarantined \(p.quarantined)") }
        if p.ahead > 0 { extras.append("ahead \(p.ahead)") }
        let compactions = p.tables.reduce(0) { $0 + $1.compactions }
        if compactions > 0 {
            extras.append(
                "compacted \(p.tables.reduce(0) { $0 + $1.filesCompacted }) files in " + plural(compactions, "commit"))
        }
        if p.gaps > 0 { extras.append("GAPS \(p.gaps) (\(p.gapRecords) records lost by the broker)") }
        if let fatal = p.fatalError { extras.append("STOPPED: \(fatal)") }
        return extras
    }

    /// A consumer-group member's partitions as ranges: "partitions 0-2,5" reads at a glance.
    static func partitionList(_ partitions: [Int32]) -> String {
        guard !partitions.isEmpty else { return "no partitions" }
        var ranges: [String] = []
        var start = partitions.sorted()[0]
        var end = start
        for partition in partitions.sorted().dropFirst() {
            if partition == end + 1 {
                end = partition
                continue
            }
            ranges.append(start == end ? "\(start)" : "\(start)-\(end)")
            (start, end) = (partition, partition)
        }
        ranges.append(start == end ? "\(start)" : "\(start)-\(end)")
        return (partitions.count == 1 ? "partition " : "partitions ") + ranges.joined(separator: ",")
    }

    private func rate(_ name: String, now: Double) -> String {
        guard let perSecond = rates.perSecond(name, at: now) else { return "-/s" }
        return String(format: perSecond < 100 ? "%.1f/s" : "%.0f/s", perSecond)
    }

    // MARK: - JSON

    private func statusObject(_ run: RunMetricsSnapshot, _ engine: [PipelineMetricsSnapshot], now: Double)
        -> [String: Any]
    {
        var topics: [[String: Any]] = []
        let names = producing ? run.produce.map(\.topic) : engine.map(\.topic)
        for topic in names {
            var object: [String: Any] = ["topic": topic]
            if producing, let c = run.produce.first(where: { $0.topic == topic }) {
                object["producer"] = Self.producerObject(c, perSecond: rates.perSecond("delivered:" + topic, at: now))
            }
            if let p = engine.first(where: { $0.topic == topic }) {
                object["engine"] = Self.engineObject(p, perSecond: rates.perSecond("read:" + topic, at: now))
            }
            topics.append(object)
        }
        var status: [String: Any] = [
            "kind": "status", "time": EventTime.format(micros: run.takenMicros),
            "elapsed_s": Self.rounded(run.elapsedSeconds), "topics": topics,
            "broker": Self.brokerObject(run),
        ]
        if let storeDescription { status["store"] = Self.storeObject(storeDescription, engine) }
        return status
    }

    static func producerObject(_ c: ProduceCountersSnapshot, perSecond: Double?) -> [String: Any] {
        var object: [String: Any] = [
            "produced": c.produced, "delivered": c.delivered, "failed": c.failed, "in_flight": c.inFlight,
            "refused": c.refused, "malformed": c.malformed, "held_back": c.heldBack, "hold_backs": c.holdBacks,
        ]
        if let perSecond { object["delivered_per_s"] = rounded(perSecond) }
        return object
    }

    static func engineObject(_ p: PipelineMetricsSnapshot, perSecond: Double?) -> [String: Any] {
        var object: [String: Any] = [
            "source": p.source, "read": p.recordsRead, "lag": p.lag, "late": p.late, "ahead": p.ahead,
            "quarantined": p.quarantined, "gaps": p.gaps, "gap_records": p.gapRecords,
            "batch_ms": rounded(p.lastBatchLatencySeconds * 1000),
            "tables": p.tables.map { t -> [String: Any] in
                [
                    "path": t.path, "version": t.version, "files": t.files, "rows": t.rows, "bytes": t.bytes,
                    "compactions": t.compactions, "files_compacted": t.filesCompacted,
                ]
            },
        ]
        if let perSecond { object["read_per_s"] = rounded(perSecond) }
        if let owned = p.ownedPartitions {
            object["owned_partitions"] = owned.map(Int.init)
            object["rebalances"] = p.rebalances
        }
        if let watermark = p.watermarkMicros { object["watermark"] = EventTime.format(micros: watermark) }
        if let fatal = p.fatalError { object["stopped"] = fatal }
        if let gap = p.lastGap { object["last_gap"] = gap }
        if let p50 = p.latencyMillis(quantile: 0.5), let p99 = p.latencyMillis(quantile: 0.99) {
            object["produce_to_silver_ms"] = ["p50": rounded(p50), "p99": rounded(p99)]
        }
        return object
    }

    static func brokerObject(_ run: RunMetricsSnapshot) -> [String: Any] {
        var object: [String: Any] = [
            "description": run.brokerDescription, "ok": run.broker.isHealthy, "errors": run.broker.errorCount,
        ]
        if let since = run.broker.failingSinceMicros { object["failing_since"] = EventTime.format(micros: since) }
        if !run.broker.isHealthy, let error = run.broker.lastError { object["last_error"] = error }
        return object
    }

    static func storeObject(_ description: String, _ engine: [PipelineMetricsSnapshot]) -> [String: Any] {
        var object: [String: Any] = ["description": description, "ok": true]
        if let failing = failingStore(engine), let since = failing.storeFailingSinceMicros {
            object["ok"] = false
            object["failing_since"] = EventTime.format(micros: since)
            object["failures"] = failing.storeFailuresInSpell
            if let error = failing.lastError { object["last_error"] = error }
        }
        return object
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }

    // MARK: - Summary

    /// The closing summary printed when a run ends: text lines, or one JSON line.
    func summary() -> String {
        let now = metrics.snapshot()
        let engine = pipelines.map(\.snapshot)
        if format == .json {
            var object: [String: Any] = [
                "kind": "summary", "time": EventTime.format(micros: now.takenMicros),
                "elapsed_s": Self.rounded(now.elapsedSeconds), "broker": Self.brokerObject(now),
                "topics": (producing ? now.produce.map(\.topic) : engine.map(\.topic)).map { topic -> [String: Any] in
                    var object: [String: Any] = ["topic": topic]
                    if producing, let c = now.produce.first(where: { $0.topic == topic }) {
                        let perSecond = now.elapsedSeconds > 0 ? Double(c.delivered) / now.elapsedSeconds : nil
                        object["producer"] = Self.producerObject(c, perSecond: perSecond)
                    }
                    if let p = engine.first(where: { $0.topic == topic }) {
                        object["engine"] = Self.engineObject(p, perSecond: nil)
                    }
                    return object
                },
            ]
            if let storeDescription { object["store"] = Self.storeObject(storeDescription, engine) }
            return JSONLine.encode(object)
        }
        var lines = [String(format: "summary after %.1f s:", now.elapsedSeconds)]
        if producing {
            for topic in now.produce {
                let rate = now.elapsedSeconds > 0 ? Double(topic.delivered) / now.elapsedSeconds : 0
                var line = String(
                    format:
                        "  %@: produced %d, delivered %d, failed %d, in flight %d, malformed on purpose %d, %.1f events/s",
                    topic.topic, topic.produced, topic.delivered, topic.failed, topic.inFlight, topic.malformed, rate)
                if topic.refused > 0 { line += ", refused \(topic.refused) (too large)" }
                if topic.holdBacks > 0 { line += ", held back \(topic.holdBacks) times" }
                lines.append(line)
            }
        }
        for pipeline in engine {
            lines.append("  engine " + Self.engineSummary(pipeline))
            for table in pipeline.tables {
                var line =
                    "    \(table.path): version \(table.version), \(table.files) files, \(table.rows) rows, "
                    + ByteCount.format(table.bytes)
                if table.compactions > 0 {
                    line += ", compacted \(table.filesCompacted) files in " + Self.plural(table.compactions, "commit")
                }
                lines.append(line)
            }
        }
        lines.append(
            "  broker \(now.brokerDescription): \(Self.health(now.broker, now: now.takenMicros)), \(now.broker.errorCount) errors"
        )
        if let storeDescription {
            lines.append("  store \(storeDescription): \(Self.storeHealth(engine, now: now.takenMicros))")
        }
        return lines.joined(separator: "\n")
    }

    /// One pipeline's totals: records read, lag, watermark, late, far-ahead and quarantined records, the last
    /// batch, produce-to-Silver latency, gaps and a stop.
    static func engineSummary(_ p: PipelineMetricsSnapshot) -> String {
        var text = "\(p.source): read \(p.recordsRead) lag \(p.lag)"
        if let watermark = p.watermarkMicros { text += " watermark \(EventTime.format(micros: watermark))" }
        text += " late \(p.late) quarantined \(p.quarantined)"
        if p.ahead > 0 { text += " ahead \(p.ahead)" }
        text += String(format: " batch %.0f ms", p.lastBatchLatencySeconds * 1000)
        if let p50 = p.latencyMillis(quantile: 0.5), let p99 = p.latencyMillis(quantile: 0.99) {
            text += String(format: " produce-to-silver p50 %.0f ms p99 %.0f ms", p50, p99)
        }
        if p.gaps > 0 { text += " GAPS \(p.gaps) (\(p.gapRecords) records lost by the broker)" }
        if let fatal = p.fatalError { text += " STOPPED: \(fatal)" }
        return text
    }

    // MARK: - Health

    static func health(_ status: BrokerHealth.Status, now: Int64) -> String {
        guard let since = status.failingSinceMicros else { return "ok" }
        return retrying(since: since, now: now, attempts: status.errorCount > 0 ? "\(status.errorCount) errors" : nil)
            + ", last error: " + (status.lastError ?? "?")
    }

    /// The pipeline whose store failure spell began first, if any fails.
    static func failingStore(_ engine: [PipelineMetricsSnapshot]) -> PipelineMetricsSnapshot? {
        engine.filter { $0.storeFailingSinceMicros != nil }.min {
            $0.storeFailingSinceMicros! < $1.storeFailingSinceMicros!
        }
    }

    /// "ok", or "STORE RETRYING since … (31 s, 7 failures), last error: …" from the longest failing pipeline.
    static func storeHealth(_ engine: [PipelineMetricsSnapshot], now: Int64) -> String {
        guard let failing = failingStore(engine), let since = failing.storeFailingSinceMicros else { return "ok" }
        return "STORE "
            + retrying(since: since, now: now, attempts: "\(failing.storeFailuresInSpell) failures")
            + ", last error: " + (failing.lastError ?? "?")
    }

    /// "RETRYING since 2025-08-20T13:14:55Z (31 s, 7 failures)": when the spell began, for how
    /// long, and how often it failed; the same words for the broker and the store.
    static func retrying(since: Int64, now: Int64, attempts: String?) -> String {
        let seconds = String(format: "%.0f s", Double(now - since) / 1e6)
        let figures = [seconds, attempts].compactMap { $0 }.joined(separator: ", ")
        return "RETRYING since \(EventTime.format(micros: since)) (\(figures))"
    }

    /// "1 commit", "3 commits".
    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)" + (count == 1 ? "" : "s")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    /// "2025-08-20 06:54:00": an event time as the dashboard shows it.
    static func dateTime(_ micros: Int64) -> String {
        let iso = EventTime.format(micros: micros)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }
}
