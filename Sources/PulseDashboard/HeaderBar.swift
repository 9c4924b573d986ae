/// The top status line: the simulated clock and its speed, what the producers do, whether the broker, the
/// store and the engine work (in words and symbols, not colour alone), and uptime. What does not fit the width
/// gives way, least important first.
enum HeaderBar {
    /// One piece of the line; lower `priority` stays longer.
    struct Segment {
        var text: String
        var tone: Tone
        var priority: Int
    }

    static func draw(_ context: FrameContext, in rect: Rect, canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect, style: CellStyle.dim.highlighted)
        var segments = segments(context, width: rect.width, glyphs: canvas.glyphs)
        while segments.reduce(0, { $0 + $1.text.unicodeScalars.count }) > rect.width,
            let drop = segments.indices.max(by: { segments[$0].priority < segments[$1].priority }),
            segments[drop].priority > 0
        {
            segments.remove(at: drop)
        }
        var col = rect.col
        for segment in segments where col < rect.right {
            col += canvas.text(
                segment.text, row: rect.row, col: col, width: min(segment.text.unicodeScalars.count, rect.right - col),
                style: CellStyle(segment.tone, reverse: true))
        }
        let help = " ? help "
        if rect.right - col >= help.count + 2 {
            canvas.text(help, row: rect.row, col: rect.right - help.count, style: CellStyle.dim.highlighted)
        }
    }

    /// The line's pieces in reading order.
    static func segments(_ context: FrameContext, width: Int, glyphs g: GlyphSet) -> [Segment] {
        let snapshot = context.snapshot
        let wide = width >= 100
        var segments = [Segment(text: wide ? " City Mobility Pulse " : " Pulse ", tone: .title, priority: 0)]
        if let now = snapshot.simulatedNowMicros {
            segments.append(Segment(text: " sim ", tone: .dim, priority: 6))
            let clock = width >= 80 ? Formatting.dateTime(micros: now) : Formatting.timeOfDay(micros: now)
            segments.append(Segment(text: clock, tone: .normal, priority: 1))
        } else {
            segments.append(Segment(text: " sim waiting for the first event", tone: .warn, priority: 1))
        }
        segments.append(Segment(text: " " + speed(snapshot.speed, glyphs: g) + " ", tone: .accent, priority: 2))
        let (state, tone) = producerState(snapshot)
        segments.append(Segment(text: " producers \(state) ", tone: tone, priority: 3))
        segments += health("broker", snapshot.broker, glyphs: g, failing: brokerWord(snapshot.broker), priority: 4)
        segments += health("store", snapshot.store, glyphs: g, failing: "retrying", priority: 5)
        if snapshot.topics.contains(where: { $0.stopped != nil }) {
            segments.append(Segment(text: " engine \(g.cross) STOPPED ", tone: .bad, priority: 0))
        }
        segments.append(
            Segment(text: " up " + Formatting.uptime(context.uptimeSeconds) + " ", tone: .normal, priority: 7))
        return segments
    }

    /// "×60": the simulated clock's speed (`--speed`), which the producer rate does not change.
    static func speed(_ speed: Double, glyphs: GlyphSet) -> String {
        (glyphs.isUnicode ? "×" : "x") + Formatting.fixed(speed, decimals: speed < 10 ? 1 : 0)
    }

    /// What the producers do: their rate, or why they send nothing.
    static func producerState(_ snapshot: DashboardSnapshot) -> (String, Tone) {
        if snapshot.producersPaused { return ("PAUSED", .warn) }
        if snapshot.producersWaiting { return ("waiting for the broker", .warn) }
        if snapshot.topics.contains(where: \.heldBack) { return ("HELD BACK", .warn) }
        return ("\(snapshot.producerRatePercent)%", .good)
    }

    /// "no broker" when it never answered this run, "down" when it stopped answering.
    static func brokerWord(_ broker: ServiceHealth) -> String {
        broker.everAnswered ? "down" : "none"
    }

    /// " broker ● ok" or " broker ✗ down": a symbol and a word, so the state reads without colour.
    static func health(
        _ name: String, _ health: ServiceHealth, glyphs g: GlyphSet, failing: String, priority: Int
    ) -> [Segment] {
        if health.healthy { return [Segment(text: " \(name) \(g.dot) ok ", tone: .good, priority: priority)] }
        let text = name == "broker" && failing == "none" ? " \(g.cross) no broker " : " \(name) \(g.cross) \(failing) "
        return [Segment(text: text, tone: .bad, priority: 0)]
    }
}
