/// The `/` prompt in the footer line: the filter as typed, narrowing the table live.
enum FilterPrompt {
    static func draw(_ state: DashboardState, in rect: Rect, canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        var col = rect.col
        col += canvas.text("/", row: rect.row, col: col, style: .accent)
        col += canvas.text(
            state.filter, row: rect.row, col: col, width: min(state.filter.count, rect.width - 3), style: .bold)
        canvas.put(canvas.glyphs.isUnicode ? "▏" : "_", row: rect.row, col: col, style: .accent)
        col += 2
        let help = "Enter keep  Esc clear  (id, city or condition)"
        if col + help.count <= rect.right { canvas.text(help, row: rect.row, col: col, style: .dim) }
    }
}
