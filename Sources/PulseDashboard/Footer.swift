/// The bottom line: the keys that work on this page, as many as fit.
enum Footer {
    static func hints(for state: DashboardState, glyphs: GlyphSet) -> [(key: String, label: String)] {
        let move = glyphs.isUnicode ? "↑↓/jk" : "j/k"
        if state.isOnStationPage {
            return [
                ("Esc", "back"), (move, "prev/next station"), ("p", "pause"), ("+/-", "rate"), ("?", "help"),
                ("q", "quit"),
            ]
        }
        var hints: [(key: String, label: String)] = [
            (move, "move"), ("PgUp/PgDn", "page"), ("Enter", "open"), ("/", "filter"), ("s", "sort"),
            ("p", "pause"), ("+/-", "rate"), ("?", "help"), ("q", "quit"),
        ]
        if !state.filter.isEmpty { hints.insert(("Esc", "clear filter"), at: 0) }
        return hints
    }

    static func draw(_ state: DashboardState, now: Int64, in rect: Rect, canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        if state.isEditingFilter {
            FilterPrompt.draw(state, in: rect, canvas: &canvas)
            return
        }
        if let notice = state.notice(at: now) {
            canvas.text(notice, row: rect.row, col: rect.col + 1, width: rect.width - 1, style: .accent)
            return
        }
        var col = rect.col + 1
        for hint in hints(for: state, glyphs: canvas.glyphs) {
            let width = hint.key.count + 1 + hint.label.count
            guard col + width <= rect.right else { break }
            col += canvas.text(hint.key, row: rect.row, col: col, style: .accent)
            col += 1
            col += canvas.text(hint.label, row: rect.row, col: col, style: .dim)
            col += 2
        }
    }
}
