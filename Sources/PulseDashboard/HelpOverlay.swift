/// The `?` page: every key, over the current page, until Esc or `?`.
enum HelpOverlay {
    static let lines: [(String, String)] = [
        ("Up/Down, j/k", "move the selection (on a station page: previous/next station)"),
        ("PgUp/PgDn, g/G", "page up/down, first/last station"),
        ("Enter", "open the selected station's page"),
        ("Esc", "back to the stations; clear the filter"),
        ("/", "filter stations by id, city or weather condition"),
        ("s", "sort by id, city, utilisation, rain"),
        ("p", "pause or resume the producers"),
        ("+ / -", "producer rate up / down: events a second; the simulated clock keeps its speed"),
        ("?", "this help"),
        ("q, Ctrl-C", "quit: stop producers, finish the batch, restore the terminal"),
    ]

    static func draw(in screen: Rect, canvas: inout Canvas) {
        let keyWidth = 16
        let width = min(screen.width - 2, 84)
        let height = min(screen.height - 2, lines.count + 5)
        guard width > 20, height > 4 else { return }
        let rect = Rect(
            row: screen.row + (screen.height - height) / 2, col: screen.col + (screen.width - width) / 2,
            width: width, height: height)
        canvas.fill(rect)
        canvas.box(rect, title: "Help")
        let inner = rect.inner
        for (offset, line) in lines.prefix(inner.height - 2).enumerated() {
            canvas.text(line.0, row: inner.row + 1 + offset, col: inner.col + 1, width: keyWidth, style: .accent)
            canvas.text(
                line.1, row: inner.row + 1 + offset, col: inner.col + 1 + keyWidth, width: inner.width - keyWidth - 2)
        }
        canvas.text(
            "Esc or ? closes", row: inner.bottom - 1, col: inner.col + 1, width: inner.width - 2, style: .dim)
    }
}
