/// Every Delta table of the lakehouse with its version, files, rows, bytes and growth rate, so a person sees
/// Bronze, Silver, Gold and quarantine fill up; grouped one line per layer when space is short.
enum LakehousePanel {
    static let layerOrder = ["bronze", "silver", "gold", "quarantine"]

    static let specs: [ColumnSpec] = [
        ColumnSpec("Table", width: 12, priority: 0, maxWidth: 24, align: .left),
        ColumnSpec("Ver", width: 5, priority: 3),
        ColumnSpec("Files", width: 5, priority: 5),
        ColumnSpec("Rows", width: 7, priority: 1),
        ColumnSpec("Bytes", width: 7, priority: 4),
        ColumnSpec("Rows/s", width: 6, priority: 2),
    ]

    /// One line of the panel: a table, or a layer's tables summed.
    struct Line: Equatable, Sendable {
        var name: String
        /// nil while no table of the line exists yet.
        var version: Int64?
        var files: Int
        var rows: Int64
        var bytes: Int64
        var rowsPerSecond: Double?
        var isQuarantine: Bool
    }

    /// One line per table, in layer order (Bronze, Silver, Gold, quarantine), then by path.
    static func tableLines(_ tables: [TableStat]) -> [Line] {
        tables.sorted { (layerRank($0.path), $0.path) < (layerRank($1.path), $1.path) }.map {
            Line(
                name: $0.path, version: $0.version, files: $0.files, rows: $0.rows, bytes: $0.bytes,
                rowsPerSecond: $0.rowsPerSecond, isQuarantine: layer(of: $0.path) == "quarantine")
        }
    }

    /// One line per layer: the highest version, the rest summed.
    static func layerLines(_ tables: [TableStat]) -> [Line] {
        var lines: [Line] = []
        let layers = layerOrder + Set(tables.map { layer(of: $0.path) }).subtracting(layerOrder).sorted()
        for name in layers {
            let members = tables.filter { layer(of: $0.path) == name }
            guard !members.isEmpty else { continue }
            lines.append(
                Line(
                    name: name, version: members.compactMap(\.version).max(),
                    files: members.reduce(0) { $0 + $1.files }, rows: members.reduce(0) { $0 + $1.rows },
                    bytes: members.reduce(0) { $0 + $1.bytes },
                    rowsPerSecond: members.contains { $0.rowsPerSecond == nil }
                        ? nil : members.reduce(0) { $0 + ($1.rowsPerSecond ?? 0) },
                    isQuarantine: name == "quarantine"))
        }
        return lines
    }

    static func draw(_ tables: [TableStat], byLayer: Bool, in rect: Rect, canvas: inout Canvas) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        let totalRows = tables.reduce(Int64(0)) { $0 + $1.rows }
        let totalBytes = tables.reduce(Int64(0)) { $0 + $1.bytes }
        canvas.box(
            rect,
            title: "Lakehouse \(tables.count) tables  \(Formatting.count(totalRows)) rows  "
                + Formatting.bytes(totalBytes))
        let inner = rect.inner
        guard inner.height >= 1 else { return }
        let placed = TableColumns.fit(specs, width: inner.width)
        for column in placed {
            let spec = specs[column.index]
            canvas.text(
                spec.title(fitting: column.width), row: inner.row, col: inner.col + column.col, width: column.width,
                style: .header,
                align: spec.align)
        }
        if tables.isEmpty || tables.allSatisfy({ $0.version == nil }) {
            canvas.text(
                "no tables yet: the engine opens them once the broker answers", row: inner.row + 1, col: inner.col,
                width: inner.width, style: .dim)
            return
        }
        let lines = byLayer ? layerLines(tables) : tableLines(tables)
        for (offset, line) in lines.prefix(max(0, inner.height - 1)).enumerated() {
            let row = inner.row + 1 + offset
            for column in placed {
                let x = inner.col + column.col
                let align = specs[column.index].align
                func put(_ text: String, _ tone: Tone) {
                    canvas.text(text, row: row, col: x, width: column.width, style: CellStyle(tone), align: align)
                }
                switch column.index {
                case 0: put(line.name, line.isQuarantine ? .warn : .normal)
                case 1: put(line.version.map { "v\($0)" } ?? "-", .dim)
                case 2: put(Formatting.count(Int64(line.files)), .dim)
                case 3: put(Formatting.count(line.rows), line.isQuarantine && line.rows > 0 ? .warn : .bold)
                case 4: put(Formatting.bytes(line.bytes), .normal)
                default:
                    put(line.rowsPerSecond.map(Formatting.rate) ?? "-", (line.rowsPerSecond ?? 0) > 0 ? .good : .dim)
                }
            }
        }
        var footer: [String] = []
        if lines.count > inner.height - 1 { footer.append("+\(lines.count - (inner.height - 1)) more") }
        let compactions = tables.reduce(0) { $0 + $1.compactions }
        if compactions > 0 {
            footer.append("compacted \(Formatting.count(Int64(tables.reduce(0) { $0 + $1.filesCompacted }))) files")
        }
        if !footer.isEmpty { canvas.boxFooter(rect, footer.joined(separator: ", ")) }
    }

    static func layer(of path: String) -> String {
        String(path.prefix { $0 != "/" })
    }

    private static func layerRank(_ path: String) -> Int {
        layerOrder.firstIndex(of: layer(of: path)) ?? layerOrder.count
    }
}
