/// One column of a panel's table: how wide it wants to be, how much it may grow, and how much it matters.
struct ColumnSpec: Sendable {
    var title: String
    /// Shown instead of `title` when the column ends up narrower than the title.
    var shortTitle: String?
    var width: Int
    /// Lower keeps the column longer when space runs out.
    var priority: Int
    var maxWidth: Int
    var align: Alignment

    /// The title that fits `width`.
    func title(fitting width: Int) -> String {
        title.count > width ? (shortTitle ?? title) : title
    }

    init(
        _ title: String, short shortTitle: String? = nil, width: Int, priority: Int, maxWidth: Int? = nil,
        align: Alignment = .right
    ) {
        self.title = title
        self.shortTitle = shortTitle
        self.width = width
        self.priority = priority
        self.maxWidth = maxWidth ?? width
        self.align = align
    }
}

/// A column that made it onto the screen.
struct PlacedColumn: Equatable, Sendable {
    var index: Int
    var col: Int
    var width: Int
}

/// Fits columns to a width, dropping the least important first, then sharing what is left among the
/// columns that may grow (in priority order), so narrow terminals get fewer columns rather than garbage.
enum TableColumns {
    static func fit(_ specs: [ColumnSpec], width: Int, gap: Int = 1) -> [PlacedColumn] {
        let byPriority = specs.indices.sorted { (specs[$0].priority, $0) < (specs[$1].priority, $1) }
        var kept = Set<Int>()
        var used = 0
        for index in byPriority {
            let need = specs[index].width + (kept.isEmpty ? 0 : gap)
            if used + need <= width {
                kept.insert(index)
                used += need
            }
        }
        var widths = [Int: Int]()
        for index in kept { widths[index] = specs[index].width }
        var spare = width - used
        for index in byPriority where kept.contains(index) && spare > 0 {
            let grow = min(spare, specs[index].maxWidth - specs[index].width)
            if grow > 0 {
                widths[index]! += grow
                spare -= grow
            }
        }
        var placed: [PlacedColumn] = []
        var col = 0
        for index in specs.indices where kept.contains(index) {
            placed.append(PlacedColumn(index: index, col: col, width: widths[index]!))
            col += widths[index]! + gap
        }
        return placed
    }
}
