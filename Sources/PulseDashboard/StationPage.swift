/// One station's page (Enter on the table): its last hour minute by minute, the hours of the current simulated
/// day with the weather beside, its recent events, and how rain has moved its use at the same hours of day.
/// Every panel's title names the window it draws (`StationWindows`).
enum StationPage {
    static func draw(
        _ detail: StationDetail?, id: String, context: FrameContext, layout: StationPageLayout, canvas: inout Canvas
    ) {
        guard let detail else {
            canvas.text("station \(id): no data yet", row: layout.summary.row, col: 1, style: .warn)
            return
        }
        drawSummary(detail, context: context, in: layout.summary, canvas: &canvas)
        drawMinutes(detail, in: layout.minutes, canvas: &canvas)
        drawHours(detail.hours, in: layout.hours, canvas: &canvas)
        drawRain(detail, in: layout.rain, canvas: &canvas)
        drawEvents(detail.recentEvents, in: layout.events, canvas: &canvas)
    }

    static func drawSummary(_ detail: StationDetail, context: FrameContext, in rect: Rect, canvas: inout Canvas) {
        let station = detail.station
        var col = rect.col + 1
        func segment(_ text: String, _ tone: Tone) {
            guard col < rect.right else { return }
            col += canvas.text(
                text, row: rect.row, col: col, width: min(text.unicodeScalars.count, rect.right - col),
                style: CellStyle(tone))
        }
        segment(station.id + " ", .title)
        segment(station.city, .bold)
        segment("  docks ", .dim)
        segment("\(station.docksTotal)", .normal)
        segment("  bikes ", .dim)
        segment(station.bikesAvailable.map(String.init) ?? "-", .normal)
        segment("  in use ", .dim)
        segment(station.bikesOccupied.map(String.init) ?? "-", .normal)
        segment("  util ", .dim)
        segment(Formatting.percent(station.utilization), Gauges.tone(forUtilization: station.utilization))
        if let last = station.lastEventMicros {
            let ago = Double(max(0, (context.snapshot.simulatedNowMicros ?? last) - last)) / 1_000_000
            segment("  last event ", .dim)
            let age = ago < 1 ? "now" : Formatting.duration(ago.rounded()) + " ago"
            segment(Formatting.timeOfDay(micros: last) + " (" + age + ")", .normal)
        }
    }

    static func drawMinutes(_ detail: StationDetail, in rect: Rect, canvas: inout Canvas) {
        guard rect.height >= 5, rect.width >= 20 else { return }
        let inner = rect.inner
        let labelWidth = 7
        let plotWidth = inner.width - labelWidth
        guard let window = StationWindows.minutes(detail.minutes, count: min(60, plotWidth)) else {
            canvas.box(rect, title: "Last hour by minute: bikes available / in use")
            canvas.text("waiting for the first minute", row: inner.row, col: inner.col + 1, style: .dim)
            return
        }
        canvas.box(rect, title: window.title)
        let slots = window.slots
        let plotStart = inner.col + labelWidth
        // Minute i spans columns [i * width / n, (i + 1) * width / n): the hour fills the panel's width.
        func columns(_ index: Int) -> Range<Int> {
            (plotStart + index * plotWidth / slots.count)..<(plotStart + (index + 1) * plotWidth / slots.count)
        }
        let chartRows = inner.height - 1
        let availableRows = chartRows / 2
        let usedRows = chartRows - availableRows
        let points = slots.compactMap { $0 }
        let scale = Double(
            max(1, detail.station.docksTotal, points.map { max($0.bikesAvailable, $0.bikesOccupied) }.max() ?? 1))
        let g = canvas.glyphs
        func plot(top: Int, rows: Int, tone: Tone, value: (MinutePoint) -> Int) {
            guard rows > 0 else { return }
            for (index, slot) in slots.enumerated() {
                guard let point = slot else { continue }
                let filled = Double(value(point)) / scale * Double(rows)
                let style = CellStyle(point.isLive ? .live : tone)
                for level in 0..<rows {
                    guard let cell = Gauges.columnCell(filled: filled, level: level, glyphs: g) else { break }
                    for col in columns(index) { canvas.put(cell, row: top + rows - 1 - level, col: col, style: style) }
                }
            }
        }
        let latest = points.last
        canvas.text("avail", row: inner.row, col: inner.col, width: labelWidth - 1, style: .good)
        if availableRows > 1, let latest {
            canvas.text(
                "\(latest.bikesAvailable)", row: inner.row + 1, col: inner.col, width: labelWidth - 1, style: .dim)
        }
        plot(top: inner.row, rows: availableRows, tone: .good) { $0.bikesAvailable }
        let usedTop = inner.row + availableRows
        canvas.text("in use", row: usedTop, col: inner.col, width: labelWidth - 1, style: .warn)
        if usedRows > 1, let latest {
            canvas.text("\(latest.bikesOccupied)", row: usedTop + 1, col: inner.col, width: labelWidth - 1, style: .dim)
        }
        plot(top: usedTop, rows: usedRows, tone: .warn) { $0.bikesOccupied }
        // The axis names the window's first and last minute where they are drawn.
        let axis = inner.bottom - 1
        canvas.text(Formatting.hourMinute(micros: window.startMicros), row: axis, col: plotStart, style: .dim)
        let end = Formatting.hourMinute(micros: window.lastMicros)
        let plotEnd = plotStart + plotWidth
        canvas.text(end, row: axis, col: max(plotStart + 6, plotEnd - end.count), style: .dim)
        var notes: [(String, Tone)] = []
        if points.contains(where: \.isLive) { notes.append(("live: Silver, window open", .live)) }
        if points.count < slots.count { notes.append(("blank: no event that minute", .dim)) }
        var noteCol = plotStart + 7
        for (note, tone) in notes where noteCol + note.count < plotEnd - end.count - 1 {
            canvas.text(note, row: axis, col: noteCol, style: CellStyle(tone))
            noteCol += note.count + 3
        }
    }

    static func drawHours(_ hours: [HourPoint], in rect: Rect, canvas: inout Canvas) {
        guard rect.height >= 3, rect.width >= 20 else { return }
        let inner = rect.inner
        guard let day = StationWindows.latestDay(hours) else {
            canvas.box(rect, title: "By hour: utilisation and weather")
            if inner.height > 1 {
                canvas.text("no Gold hour closed yet", row: inner.row + 1, col: inner.col, style: .dim)
            }
            return
        }
        let shown = day.slots.suffix(max(1, inner.height - 1))
        canvas.box(rect, title: day.title(from: shown.first!.startMicros, to: shown.last!.startMicros))
        let specs = [
            ColumnSpec("Hour", width: 5, priority: 0, align: .left),
            ColumnSpec("Utilisation", width: 8, priority: 3, maxWidth: 24, align: .left),
            ColumnSpec("Util", width: 4, priority: 1),
            ColumnSpec("Temp", width: 7, priority: 2),
            ColumnSpec("Precip", width: 6, priority: 2),
        ]
        let placed = TableColumns.fit(specs, width: inner.width)
        for column in placed {
            canvas.text(
                specs[column.index].title(fitting: column.width), row: inner.row, col: inner.col + column.col,
                width: column.width, style: .header, align: specs[column.index].align)
        }
        let g = canvas.glyphs
        for (offset, slot) in shown.enumerated() {
            let row = inner.row + 1 + offset
            guard let hour = slot.hour else {
                canvas.text(Formatting.hourMinute(micros: slot.startMicros), row: row, col: inner.col, style: .dim)
                canvas.text("no events this hour", row: row, col: inner.col + 6, width: inner.width - 6, style: .dim)
                continue
            }
            let tone = Gauges.tone(forUtilization: hour.utilizationAvg)
            for column in placed {
                let x = inner.col + column.col
                switch column.index {
                case 0:
                    canvas.text(
                        Formatting.hourMinute(micros: hour.windowStartMicros), row: row, col: x, width: column.width,
                        style: .dim)
                case 1:
                    canvas.scalars(
                        Gauges.bar(fraction: hour.utilizationAvg ?? 0, width: column.width, glyphs: g), row: row,
                        col: x, style: CellStyle(tone))
                case 2:
                    canvas.text(
                        Formatting.percent(hour.utilizationAvg), row: row, col: x, width: column.width,
                        style: CellStyle(tone), align: .right)
                case 3:
                    canvas.text(
                        Formatting.temperature(hour.tempC, degree: g.degree), row: row, col: x, width: column.width,
                        align: .right)
                default:
                    let precip = hour.precipMm
                    canvas.text(
                        precip.map { Formatting.fixed($0, decimals: 1) + "mm" } ?? "-", row: row, col: x,
                        width: column.width, style: (precip ?? 0) > 0 ? .accent : .dim, align: .right)
                }
            }
        }
    }

    /// Wet against dry hours at the same hours of day, each figure with the hours it rests on.
    static func drawRain(_ detail: StationDetail, in rect: Rect, canvas: inout Canvas) {
        guard rect.height >= 3, rect.width >= 20 else { return }
        canvas.box(rect, title: "Rain and use, same hours of day")
        let inner = rect.inner
        let rain = StationWindows.rain(detail.hours)
        let barWidth = max(4, inner.width - 16)
        let g = canvas.glyphs
        func line(_ offset: Int, _ label: String, _ value: Double?, _ hours: Int, _ tone: Tone) {
            guard offset < inner.height else { return }
            let row = inner.row + offset
            canvas.text(label, row: row, col: inner.col, width: 4, style: .bold)
            canvas.scalars(
                Gauges.bar(fraction: value ?? 0, width: barWidth, glyphs: g), row: row, col: inner.col + 4,
                style: CellStyle(tone))
            canvas.text(Formatting.percent(value), row: row, col: inner.col + 5 + barWidth, width: 4, align: .right)
            canvas.text(
                "\(hours) h", row: row, col: inner.col + 10 + barWidth, width: max(0, inner.width - 10 - barWidth),
                style: .dim)
        }
        line(0, "wet", rain.wet, rain.wetHours, .accent)
        line(1, "dry", rain.dry, rain.dryHours, .good)
        guard inner.height >= 3 else { return }
        let text: String
        var tone = Tone.dim
        if let points = rain.points {
            let hours = rain.hoursOfDay == 1 ? "1 hour of day" : "\(rain.hoursOfDay) hours of day"
            text =
                (points == 0 ? "rain has not moved use" : "rain moves use \(points > 0 ? "+" : "")\(points) pts")
                + " (\(hours))"
            tone = points < 0 ? .warn : .normal
        } else {
            text =
                "needs a wet and a dry hour at the same hour of day (so far \(rain.allWetHours) wet, "
                + "\(rain.allDryHours) dry)"
        }
        for (offset, piece) in Formatting.wrapWords(text, width: inner.width, lines: max(1, inner.height - 2))
            .enumerated()
        {
            canvas.text(piece, row: inner.row + 2 + offset, col: inner.col, width: inner.width, style: CellStyle(tone))
        }
    }

    static func drawEvents(_ events: [RecentEvent], in rect: Rect, canvas: inout Canvas) {
        guard rect.height >= 3, rect.width >= 20 else { return }
        canvas.box(rect, title: "Recent events")
        let inner = rect.inner
        let newest = events.sorted { $0.eventTimeMicros > $1.eventTimeMicros }
        if newest.isEmpty { canvas.text("none yet", row: inner.row, col: inner.col, style: .dim) }
        for (offset, event) in newest.prefix(inner.height).enumerated() {
            let row = inner.row + offset
            canvas.text(
                Formatting.timeOfDay(micros: event.eventTimeMicros), row: row, col: inner.col, width: 9, style: .dim)
            canvas.text(event.summary, row: row, col: inner.col + 9, width: max(0, inner.width - 9))
        }
    }
}
