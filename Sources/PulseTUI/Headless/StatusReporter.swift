import Foundation
import PulseCore

/// The headless view: one line per interval with the same figures the dashboard shows, and a final
/// summary. Reads metrics snapshots only, so it never slows the engine.
struct StatusReporter {
    let metrics: RunMetrics
    private var previous: RunMetricsSnapshot?

    init(metrics: RunMetrics) {
        self.metrics = metrics
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
            text += String(format: " (%.1f/s)", rate)
            parts.append(text)
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
                    format: "  %@: produced %d, delivered %d, failed %d, in flight %d, malformed on purpose %d, %.1f events/s",
                    topic.topic, topic.produced, topic.delivered, topic.failed, topic.inFlight, topic.malformed, rate))
        }
        lines.append("  broker \(now.brokerDescription): \(Self.health(now.broker, now: now.takenMicros)), \(now.broker.errorCount) errors")
        return lines.joined(separator: "\n")
    }

    static func health(_ status: BrokerHealth.Status, now: Int64) -> String {
        guard let since = status.failingSinceMicros else { return "ok" }
        return String(format: "RETRYING for %.0f s: %@", Double(now - since) / 1e6, status.lastError ?? "?")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
