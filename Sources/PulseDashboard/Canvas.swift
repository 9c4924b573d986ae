/// A rectangle of the screen, in cells.
struct Rect: Equatable, Sendable {
    var row: Int
    var col: Int
    var width: Int
    var height: Int

    init(row: Int, col: Int, width: Int, height: Int) {
        self.row = row
        self.col = col
        self.width = max(0, width)
        self.height = max(0, height)
    }

    var isEmpty: Bool { width <= 0 || height <= 0 }
    var bottom: Int { row + height }
    var right: Int { col + width }

    /// The area inside a one-cell border.
    var inner: Rect { Rect(row: row + 1, col: col + 1, width: width - 2, height: height - 2) }

    /// Splits off the top `rows` rows; returns (top, rest).
    func splitTop(_ rows: Int) -> (Rect, Rect) {
        let top = min(max(0, rows), height)
        return (
            Rect(row: row, col: col, width: width, height: top),
            Rect(row: row + top, col: col, width: width, height: height - top)
        )
    }

    /// Splits off the left `cols` columns; returns (left, rest).
    func splitLeft(_ cols: Int) -> (Rect, Rect) {
        let left = min(max(0, cols), width)
        return (
            Rect(row: row, col: col, width: left, height: height),
            Rect(row: row, col: col + left, width: width - left, height: height)
        )
    }
}

/// One character cell: every glyph the dashboard draws is one column wide.
struct Cell: Equatable, Sendable {
    var scalar: Unicode.Scalar
    var style: CellStyle

    static let blank = Cell(scalar: " ", style: .normal)
}

/// Horizontal alignment of text in a field.
enum Alignment: Sendable {
    case left, right
}

/// The frame being composed: views draw into it, then `FrameDiff` compares it with the previous frame so
/// only changed cells reach the terminal. Pure memory, so layout is testable without curses.
struct Canvas: Sendable {
    let width: Int
    let height: Int
    let glyphs: GlyphSet
    private(set) var cells: [Cell]

    init(width: Int, height: Int, glyphs: GlyphSet) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    var bounds: Rect { Rect(row: 0, col: 0, width: width, height: height) }

    subscript(row: Int, col: Int) -> Cell {
        cells[row * width + col]
    }

    /// The text of one row, for tests and for the ASCII check.
    func rowText(_ row: Int) -> String {
        var text = String.UnicodeScalarView()
        for col in 0..<width { text.append(cells[row * width + col].scalar) }
        return String(text)
    }

    /// Sets one cell, ignoring positions off the canvas.
    mutating func put(_ scalar: Unicode.Scalar, row: Int, col: Int, style: CellStyle) {
        guard row >= 0, row < height, col >= 0, col < width else { return }
        cells[row * width + col] = Cell(scalar: glyphs.displayable(scalar), style: style)
    }

    /// Writes `text` from (row, col), clipped to `width` columns (and the canvas); text that does not fit ends
    /// with an ellipsis. With `width` given, the field is padded (left or right aligned). Returns columns used.
    @discardableResult
    mutating func text(
        _ text: String, row: Int, col: Int, width fieldWidth: Int? = nil, style: CellStyle = .normal,
        align: Alignment = .left
    ) -> Int {
        let limit = max(0, fieldWidth ?? (width - col))
        guard limit > 0 else { return 0 }
        var scalars = Array(text.unicodeScalars.lazy.filter { $0.value >= 0x20 })
        if scalars.count > limit {
            scalars = Array(scalars.prefix(limit - 1))
            scalars.append(glyphs.ellipsis)
        }
        var start = col
        if let fieldWidth {
            let pad = fieldWidth - scalars.count
            if align == .right { start += pad }
            for offset in 0..<fieldWidth { put(" ", row: row, col: col + offset, style: style) }
        }
        for (offset, scalar) in scalars.enumerated() { put(scalar, row: row, col: start + offset, style: style) }
        return fieldWidth ?? scalars.count
    }

    /// Writes a run of scalars (a bar, a sparkline) without truncation marks.
    mutating func scalars(_ run: [Unicode.Scalar], row: Int, col: Int, style: CellStyle) {
        for (offset, scalar) in run.enumerated() { put(scalar, row: row, col: col + offset, style: style) }
    }

    /// Fills a rectangle with one glyph.
    mutating func fill(_ rect: Rect, with scalar: Unicode.Scalar = " ", style: CellStyle = .normal) {
        guard !rect.isEmpty else { return }
        for row in rect.row..<rect.bottom {
            for col in rect.col..<rect.right { put(scalar, row: row, col: col, style: style) }
        }
    }

    /// Draws a titled box around `rect` (the title sits in the top border, k9s-style).
    mutating func box(_ rect: Rect, title: String? = nil, titleStyle: CellStyle = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let g = glyphs
        let style = CellStyle.border
        put(g.topLeft, row: rect.row, col: rect.col, style: style)
        put(g.topRight, row: rect.row, col: rect.right - 1, style: style)
        put(g.bottomLeft, row: rect.bottom - 1, col: rect.col, style: style)
        put(g.bottomRight, row: rect.bottom - 1, col: rect.right - 1, style: style)
        for col in (rect.col + 1)..<(rect.right - 1) {
            put(g.horizontal, row: rect.row, col: col, style: style)
            put(g.horizontal, row: rect.bottom - 1, col: col, style: style)
        }
        for row in (rect.row + 1)..<(rect.bottom - 1) {
            put(g.vertical, row: row, col: rect.col, style: style)
            put(g.vertical, row: row, col: rect.right - 1, style: style)
        }
        if let title, rect.width > 6 {
            let fitted = Self.fit(title: title, width: rect.width - 6, ellipsis: glyphs.ellipsis)
            if !fitted.isEmpty { text(" \(fitted) ", row: rect.row, col: rect.col + 2, width: nil, style: titleStyle) }
        }
    }

    /// `title` cut to `width` between its parts, never inside a word: at the last double space (titles separate
    /// their figures with two), else at the last space, and only a single word longer than the width is cut,
    /// with an ellipsis.
    static func fit(title: String, width: Int, ellipsis: Unicode.Scalar = "…") -> String {
        let scalars = Array(title.unicodeScalars)
        guard scalars.count > width else { return title }
        guard width > 0 else { return "" }
        func cut(at separator: [Unicode.Scalar]) -> String? {
            var end = width
            while end > 0 {
                if end + separator.count <= scalars.count, Array(scalars[end..<end + separator.count]) == separator {
                    var kept = scalars[..<end]
                    while let last = kept.last, " :,/".unicodeScalars.contains(last) { kept = kept.dropLast() }
                    return kept.isEmpty ? nil : String(String.UnicodeScalarView(kept))
                }
                end -= 1
            }
            return nil
        }
        if let cut = cut(at: [" ", " "]) ?? cut(at: [" "]) { return cut }
        return String(String.UnicodeScalarView(scalars.prefix(width - 1) + [ellipsis]))
    }

    /// Puts a label into the bottom border of a box (scroll position, counts).
    mutating func boxFooter(_ rect: Rect, _ label: String) {
        guard rect.width > 8, rect.height >= 2 else { return }
        let count = min(label.unicodeScalars.count + 2, rect.width - 4)
        text(" \(label) ", row: rect.bottom - 1, col: rect.right - 2 - count, width: count, style: .dim)
    }
}
