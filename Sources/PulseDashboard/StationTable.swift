/// The main screen's table of stations: availability bar, utilisation with its colour, the last hour's
/// trend and the city's weather; scrolls to keep the selection visible.
enum StationTable {
    enum Column: Int, CaseIterable {
        case id, city, bar, bikes, util, trend, temp, rain, wind, condition
    }

    /// Columns in display order (`ColumnSpec` index = `Column.rawValue`).
    static let specs: [ColumnSpec] = [
        ColumnSpec("ID", width: 4, priority: 0, align: .left),
        ColumnSpec("City", width: 11, priority: 1, maxWidth: 14, align: .left),
        ColumnSpec("Available", width: 10, priority: 5, maxWidth: 12, align: .left),
        ColumnSpec("Bikes", width: 5, priority: 2),
        ColumnSpec("Util", width: 4, priority: 3),
        ColumnSpec("Util, last hour", short: "Trend", width: 8, priority: 4, maxWidth: 40, align: .left),
        ColumnSpec("Temp", width: 7, priority: 6),
        ColumnSpec("Rain", width: 6, priority: 7),
        ColumnSpec("Wind", width: 6, priority: 9),
        ColumnSpec("Condition", width: 10, priority: 8, maxWidth: 16, align: .left),
    ]

    /// The columns that fit an inner width of `width`.
    static func columns(forWidth width: Int) -> [PlacedColumn] {
        TableColumns.fit(specs, width: width)
    }

    static func draw(
        _ rows: [StationRow], total: Int, state: inout DashboardState, in rect: Rect, canvas: inout Canvas
    ) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        var title = rows.count == total ? "Stations \(total)" : "Stations \(rows.count) of \(total)"
        if !state.filter.isEmpty { title += "  filter: \(state.filter)" }
        title += "  sort: \(state.sort.label)"
        canvas.box(rect, title: title)
        let inner = rect.inner
        guard inner.height >= 2 else { return }
        let placed = columns(forWidth: inner.width)
        for column in placed {
            let spec = specs[column.index]
            canvas.text(
                spec.title(fitting: column.width), row: inner.row, col: inner.col + column.col, width: column.width,
                style: .header,
                align: spec.align)
        }
        let visibleRows = inner.height - 1
        state.visibleRows = visibleRows
        let ids = rows.map(\.station.id)
        let selected = state.selection(in: ids)
        let selectedIndex = selected.flatMap { ids.firstIndex(of: $0) } ?? 0
        state.scrollOffset = DashboardState.scrollOffset(
            keeping: selectedIndex, visibleIn: visibleRows, count: rows.count, from: state.scrollOffset)
        if rows.isEmpty {
            let message = state.filter.isEmpty ? "waiting for stations" : "no station matches '\(state.filter)'"
            canvas.text(message, row: inner.row + 1, col: inner.col + 1, style: .dim)
            return
        }
        let end = min(rows.count, state.scrollOffset + visibleRows)
        for index in state.scrollOffset..<end {
            let line = inner.row + 1 + index - state.scrollOffset
            let isSelected = rows[index].station.id == selected
            if isSelected {
                canvas.fill(
                    Rect(row: line, col: inner.col, width: inner.width, height: 1), style: CellStyle.normal.highlighted)
            }
            drawRow(rows[index], placed: placed, row: line, col: inner.col, selected: isSelected, canvas: &canvas)
        }
        if rows.count > visibleRows {
            canvas.boxFooter(rect, "\(state.scrollOffset + 1)-\(end) of \(rows.count)")
        }
    }

    private static func drawRow(
        _ row: StationRow, placed: [PlacedColumn], row line: Int, col: Int, selected: Bool, canvas: inout Canvas
    ) {
        let g = canvas.glyphs
        let station = row.station
        let utilTone = Gauges.tone(forUtilization: station.utilization)
        func style(_ tone: Tone) -> CellStyle { CellStyle(tone, reverse: selected) }
        for column in placed {
            let x = col + column.col
            let align = specs[column.index].align
            func put(_ text: String, _ tone: Tone) {
                canvas.text(text, row: line, col: x, width: column.width, style: style(tone), align: align)
            }
            switch Column(rawValue: column.index)! {
            case .id: put(station.id, .bold)
            case .city: put(station.city, .normal)
            case .bar:
                if let bikes = station.bikesAvailable, station.docksTotal > 0 {
                    let fraction = Double(bikes) / Double(station.docksTotal)
                    canvas.scalars(
                        Gauges.bar(fraction: fraction, width: column.width, glyphs: g), row: line, col: x,
                        style: style(.accent))
                } else {
                    put("", .dim)
                }
            case .bikes:
                put(station.bikesAvailable.map { "\($0)/\(station.docksTotal)" } ?? "-", .normal)
            case .util: put(Formatting.percent(station.utilization), utilTone)
            case .trend:
                canvas.scalars(
                    Gauges.sparkline(station.utilizationHistory, width: column.width, glyphs: g), row: line, col: x,
                    style: style(utilTone))
            case .temp: put(Formatting.temperature(row.weather?.tempC, degree: g.degree), .normal)
            case .rain:
                let precip = row.weather?.precipMm
                put(precip.map { Formatting.fixed($0, decimals: 1) + "mm" } ?? "-", (precip ?? 0) > 0 ? .accent : .dim)
            case .wind: put(row.weather.map { "\(Int($0.windKph.rounded()))kph" } ?? "-", .normal)
            case .condition: put(row.weather?.condition ?? "-", .dim)
            }
        }
    }
}
