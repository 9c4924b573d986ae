/// What a terminal below the minimum size shows instead of a broken layout.
enum TooSmallNotice {
    static func message(width: Int, height: Int) -> String {
        "terminal too small (need \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight), have \(width)x\(height))"
    }

    static func draw(in screen: Rect, canvas: inout Canvas) {
        let full = message(width: screen.width, height: screen.height)
        let lines: [String] =
            full.count <= screen.width
            ? [full, "q quits"]
            : [
                "terminal too small",
                "(" + full.split(separator: "(", maxSplits: 1)[1],
                "q quits",
            ]
        let top = max(0, (screen.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < screen.height {
            let col = max(0, (screen.width - line.count) / 2)
            canvas.text(
                line, row: top + offset, col: col, width: min(line.count, screen.width - col),
                style: offset == lines.count - 1 ? .dim : .warn)
        }
    }
}
