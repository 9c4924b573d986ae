/// The flow from producers through Kafka to the store: broker and store health, the simulated clock, and per
/// topic the produce and consume rates, lag, watermark, batch latency, late, quarantined and gap counts, plus
/// whatever is unusual (failed or refused records, producers held back, records far ahead, a stopped engine).
/// Items flow onto as many lines as the panel's width needs, so a narrow panel wraps instead of cutting.
enum PipelinePanel {
    /// A labelled value that stays on one line.
    struct Item {
        var label: String
        var value: String
        var tone: Tone
    }

    static let topicIndent = 8

    static func draw(_ context: FrameContext, in rect: Rect, canvas: inout Canvas) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        let snapshot = context.snapshot
        canvas.box(rect, title: "Pipeline")
        let inner = rect.inner
        let g = canvas.glyphs
        var row = inner.row
        func line(_ segments: [(String, Tone)]) {
            guard row < inner.bottom else { return }
            var col = inner.col
            for (text, tone) in segments where col < inner.right {
                let fit = min(text.unicodeScalars.count, inner.right - col)
                col += canvas.text(text, row: row, col: col, width: fit, style: CellStyle(tone))
            }
            row += 1
        }
        let separator = inner.width < 60 ? 1 : 2
        let topicLines = snapshot.topics.map {
            flow(items(for: $0), width: inner.width - topicIndent, separator: separator)
        }
        // The clock is in the header too: it gives way when the topics need its line.
        // A failing service's last error goes right under its line (two lines at most), so topics filling
        // the panel never hide it.
        let errorIndent = String(repeating: " ", count: topicIndent - 1)
        func errorLines(_ health: ServiceHealth) -> [String] {
            guard let error = health.lastError, !health.healthy else { return [] }
            return wrap("last error " + error, width: inner.width - errorIndent.count, lines: 2)
        }
        let stoppedLines = snapshot.topics.map { topic in
            topic.stopped.map { wrap("STOPPED: " + $0, width: inner.width - topicIndent, lines: 2) } ?? []
        }
        let errorCount = errorLines(snapshot.broker).count + errorLines(snapshot.store).count
        let topicCount = topicLines.reduce(0) { $0 + $1.count } + stoppedLines.reduce(0) { $0 + $1.count }
        let showClock = 3 + errorCount + topicCount <= inner.height
        let services = [("broker", snapshot.broker, "connected"), ("store ", snapshot.store, "healthy")]
        for (name, health, okWord) in services {
            line(self.health(name, health, okWord: okWord, context: context, glyphs: g))
            for text in errorLines(health) { line([(errorIndent + text, .bad)]) }
        }
        if showClock {
            let clock: (String, Tone) =
                snapshot.simulatedNowMicros.map { (Formatting.dateTime(micros: $0), .normal) }
                ?? ("waiting for the first event", .warn)
            let producers = HeaderBar.producerState(snapshot)
            line([
                ("clock  ", .dim), clock, (" " + HeaderBar.speed(snapshot.speed, glyphs: g), .accent),
                ("  producers ", .dim), producers,
            ])
        }
        for (index, topic) in snapshot.topics.enumerated() {
            for (lineIndex, items) in topicLines[index].enumerated() {
                var segments: [(String, Tone)] = [(pad(lineIndex == 0 ? topic.topic : "", topicIndent), .bold)]
                for (position, item) in items.enumerated() {
                    segments.append(((position == 0 ? "" : separator == 1 ? " " : "  ") + item.label + " ", .dim))
                    segments.append((item.value, item.tone))
                }
                line(segments)
            }
            for text in stoppedLines[index] { line([(pad("", topicIndent), .bold), (text, .bad)]) }
        }
    }

    /// A topic's figures in reading order; the unusual ones (failed, refused, held back, ahead) only when they
    /// happen.
    static func items(for topic: TopicStat) -> [Item] {
        var items = [
            Item(
                label: "prod", value: topic.producedPerSecond.map(Formatting.rate).map { $0 + "/s" } ?? "-",
                tone: .normal),
            Item(
                label: "cons", value: topic.consumedPerSecond.map(Formatting.rate).map { $0 + "/s" } ?? "-",
                tone: .normal),
            Item(label: "lag", value: Formatting.count(topic.lag), tone: topic.lag > 10_000 ? .warn : .normal),
            Item(
                label: "wm", value: topic.watermarkMicros.map { Formatting.timeOfDay(micros: $0) } ?? "-", tone: .normal
            ),
            Item(
                label: "batch",
                value: topic.lastBatchLatencySeconds > 0 ? Formatting.duration(topic.lastBatchLatencySeconds) : "-",
                tone: .normal),
            Item(label: "late", value: Formatting.count(topic.late), tone: topic.late > 0 ? .warn : .normal),
            Item(
                label: "quar", value: Formatting.count(topic.quarantined), tone: topic.quarantined > 0 ? .warn : .normal
            ),
            Item(label: "gaps", value: Formatting.count(topic.gaps), tone: topic.gaps > 0 ? .bad : .normal),
        ]
        if topic.heldBack { items.insert(Item(label: "prod", value: "HELD BACK", tone: .warn), at: 1) }
        if topic.failed > 0 {
            items.append(Item(label: "failed", value: Formatting.count(Int64(topic.failed)), tone: .bad))
        }
        if topic.refused > 0 {
            items.append(
                Item(label: "refused", value: Formatting.count(Int64(topic.refused)) + " too large", tone: .bad))
        }
        if topic.ahead > 0 { items.append(Item(label: "ahead", value: Formatting.count(topic.ahead), tone: .warn)) }
        return items
    }

    /// Greedy line filling: each line takes items while "label value" pairs, `separator` spaces apart, fit
    /// `width`; an item wider than the line gets a line of its own.
    static func flow(_ items: [Item], width: Int, separator: Int = 2) -> [[Item]] {
        var lines: [[Item]] = []
        var current: [Item] = []
        var used = 0
        for item in items {
            let size = item.label.count + 1 + item.value.count
            let need = current.isEmpty ? size : size + separator
            if !current.isEmpty && used + need > width {
                lines.append(current)
                current = [item]
                used = size
            } else {
                current.append(item)
                used += need
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// "broker ● connected  embedded 127.0.0.1:9092" or "broker ✗ down since 14:03:22 (12s)  ..." (clients retry):
    /// a symbol and words, so the state reads without colour.
    static func health(
        _ label: String, _ health: ServiceHealth, okWord: String, context: FrameContext, glyphs: GlyphSet
    ) -> [(String, Tone)] {
        var state = okWord
        if !health.healthy {
            state = label.hasPrefix("broker") ? (health.everAnswered ? "down" : "unreachable") : "failing"
            if let since = health.failingSinceMicros {
                let seconds = Double(max(0, context.wallNowMicros - since)) / 1_000_000
                state += " since " + Formatting.timeOfDay(micros: since)
                state += " (" + Formatting.duration(seconds.rounded()) + ")"
            }
        }
        return [
            (label + " ", .dim), (String(health.healthy ? glyphs.dot : glyphs.cross), health.healthy ? .good : .bad),
            (" " + state, health.healthy ? .good : .bad), ("  " + health.description, .normal),
        ]
    }

    /// `text` cut into pieces of `width` characters, at most `lines` of them; the last keeps the rest, which the
    /// canvas ends with an ellipsis when it does not fit.
    static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 0, lines > 0 else { return [] }
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if pieces.count == lines - 1 {
                pieces.append(String(rest))
                break
            }
            pieces.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return pieces
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
