/// What a cell means, not how it looks: the terminal maps each tone to colours or, without colours,
/// to plain attributes, so every view stays readable in monochrome.
enum Tone: UInt8, Sendable, CaseIterable {
    case normal, dim, bold, title, header, good, warn, bad, accent, border, live
}

/// A cell's tone plus whether it is highlighted (the selected row, the title bar).
struct CellStyle: Hashable, Sendable {
    var tone: Tone
    var reverse: Bool

    init(_ tone: Tone, reverse: Bool = false) {
        self.tone = tone
        self.reverse = reverse
    }

    static let normal = CellStyle(.normal)
    static let dim = CellStyle(.dim)
    static let bold = CellStyle(.bold)
    static let header = CellStyle(.header)
    static let title = CellStyle(.title)
    static let border = CellStyle(.border)
    static let accent = CellStyle(.accent)
    static let good = CellStyle(.good)
    static let warn = CellStyle(.warn)
    static let bad = CellStyle(.bad)
    static let live = CellStyle(.live)

    /// The same tone on a highlighted background.
    var highlighted: CellStyle { CellStyle(tone, reverse: true) }
}
