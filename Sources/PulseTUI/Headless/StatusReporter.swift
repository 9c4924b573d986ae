import Foundation
import PulseCore

/// The headless view: one line per interval with the same figures the dashboard shows, and a final
/// summary. Reads metrics snapshots only, so it never slows the engine.
struct StatusReporter {
    let metrics: RunMetrics
    let pipelines: [PipelineMetrics]
    private var previous: RunMetricsSnapshot?
    private var previousRead: [String: Int] = [:]

    init(metrics: RunMetrics, pipelines: [PipelineMetrics] = []) {
        self.metrics = metrics
        self.pipelines = pipelines
    }

    /// The status line for now; rates are over the time since the previous line.
    mutating func line() -> String {
        let now = metrics.snapshot()
        defer { previous = now }
        let interval = previous.map { Double(now.takenMicros - $0.takenMicros) / 1e6 } ?? now.elapsedSeconds
        var parts = [String(format: "[%@]", Self.clock(now.elapsedSeconds))]
        for topic in now.produce {
            let before = previous?.produce.first { $0.topic == topic.topic }?.delivered ?? 0
            let rate = interval > 0 ? Double(topic.delivered - before) / interval : 0
            var text = "\(topic.topic): produced \(topic.produced) delivered \(topic.delivered) failed \(topic.failed)"
            if topic.malformed > 0 { text += " malformed \(topic.malformed)" }
            if topic.refused > 0 { text += " refused \(topic.refused) (too large)" }
            if topic.heldBack { text += " HELD BACK (waiting for the engine to commit)" }
            text += String(format: " (%.1f/s)", rate)
            parts.append(text)
        }
        for pipeline in pipelines.map(\.snapshot) {
            let rate = interval > 0 ? Double(pipeline.recordsRead - (previousRead[pipeline.source] ?? 0)) / interval : 0
            previousRead[pipeline.source] = pipeline.recordsRead
            parts.append(Self.engineLine(pipeline, rate: rate, now: now.takenMicros))
        }
        parts.append("broker \(now.brokerDescription) \(Self.health(now.broker, now: now.takenMicros))")
        return parts.joined(separator: " | ")
    }

    /// The closing summary printed when a run ends.
    func summary() -> String {
        let now = metrics.snapshot()
        var lines = [String(format: "summary after %.1f s:", now.elapsedSeconds)]
        for topic in now.produce {
            let rate = now.elapsedSeconds > 0 ? Double(topic.delivered) / now.elapsedSeconds : 0
            lines.append(
                String(
                    format:
                        "  %@: produced %d, delivered %d, failed %d, in flight %d, malformed on purpose %d, %.1f events/s",
                    topic.topic, topic.produced, topic.delivered, topic.failed, topic.inFlight, topic.malformed, rate))
        }
        for pipeline in pipelines.map(\.snapshot) {
            lines.append("  engine " + Self.engineLine(pipeline, rate: nil, now: now.takenMicros))
            for table in pipeline.tables {
                lines.append(
                    "    \(table.path): version \(table.version), \(table.files) files, \(table.rows) rows, \(ByteCount.format(table.bytes))"
                )
            }
        }
        lines.append(
            "  broker \(now.brokerDescription): \(Self.health(now.broker, now: now.takenMicros)), \(now.broker.errorCount) errors"
        )
        return lines.joined(separator: "\n")
    }

    /// One pipeline's figures: tables, lag, watermark, late and quarantined records, gaps, store health.
    static func engineLine(_ p: PipelineMetricsSnapshot, rate: Double?, now: Int64) -> String {
        var text = "\(p.source): read \(p.recordsRead)"
        if let rate { text += String(format: " (%.1f/s)", rate) }
        text += " lag \(p.lag)"
        for table in p.tables {
            text += " \(table.path) v\(table.version) \(table.files)f \(table.rows)r"
        }
        if let watermark = p.watermarkMicros { text += " watermark \(EventTime.format(micros: watermark))" }
        text += " late \(p.late) quarantined \(p.quarantined)"
        if p.ahead > 0 { text += " ahead \(p.ahead)" }
        text += String(format: " batch %.0f ms", p.lastBatchLatencySeconds * 1000)
        if let p50 = p.latencyMillis(quantile: 0.5), let p99 = p.latencyMillis(quantile: 0.99) {
            text += String(format: " produce-to-silver p50 %.0f ms p99 %.0f ms", p50, p99)
        }
        if p.gaps > 0 { text += " GAPS \(p.gaps) (\(p.gapRecords) records lost by the broker)" }
        if let fatal = p.fatalError { text += " STOPPED: \(fatal)" }
        if let since = p.storeFailingSinceMicros {
            let attempts = "\(p.storeFailuresInSpell) failures"
            text += " STORE " + retrying(since: since, now: now, attempts: attempts)
            text += ", last error: " + (p.lastError ?? "?")
        }
        return text
    }

    static func health(_ status: BrokerHealth.Status, now: Int64) -> String {
        guard let since = status.failingSinceMicros else { return "ok" }
        return retrying(since: since, now: now, attempts: status.errorCount > 0 ? "\(status.errorCount) errors" : nil)
            + ", last error: " + (status.lastError ?? "?")
    }

    /// "RETRYING since 2025-08-20T13:14:55Z (31 s, 7 failures)": when the spell began, for how
    /// long, and how often it failed; the same words for the broker and the store.
    static func retrying(since: Int64, now: Int64, attempts: String?) -> String {
        let seconds = String(format: "%.0f s", Double(now - since) / 1e6)
        let figures = [seconds, attempts].compactMap { $0 }.joined(separator: ", ")
        return "RETRYING since \(EventTime.format(micros: since)) (\(figures))"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
