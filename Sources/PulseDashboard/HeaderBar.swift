/// The top status line: what runs, the simulated clock and speed, whether producers run, and uptime.
enum HeaderBar {
    static func draw(_ context: FrameContext, in rect: Rect, canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        let snapshot = context.snapshot
        let g = canvas.glyphs
        canvas.fill(rect, style: CellStyle.dim.highlighted)
        var col = rect.col
        func segment(_ text: String, _ tone: Tone) {
            guard col < rect.right else { return }
            col += canvas.text(
                text, row: rect.row, col: col, width: min(text.unicodeScalars.count, rect.right - col),
                style: CellStyle(tone, reverse: true))
        }
        let multiplier = g.isUnicode ? "×" : "x"
        segment(rect.width >= 100 ? " City Mobility Pulse " : " Pulse ", .title)
        segment(rect.width >= 100 ? " sim " : " ", .dim)
        segment(Formatting.dateTime(micros: snapshot.simulatedNowMicros), .normal)
        segment(
            " \(multiplier)" + Formatting.fixed(snapshot.speed, decimals: snapshot.speed < 10 ? 1 : 0) + " ", .accent)
        if snapshot.producersPaused {
            segment(" producers PAUSED ", .warn)
        } else {
            segment(" producers \(snapshot.producerRatePercent)% ", .good)
        }
        segment(" broker ", .dim)
        segment(String(g.dot), snapshot.broker.healthy ? .good : .bad)
        segment(" store ", .dim)
        segment(String(g.dot), snapshot.store.healthy ? .good : .bad)
        segment("  up " + Formatting.uptime(context.uptimeSeconds) + " ", .normal)
        let help = " ? help "
        if rect.right - col >= help.count {
            canvas.text(help, row: rect.row, col: rect.right - help.count, style: CellStyle.dim.highlighted)
        }
    }
}
