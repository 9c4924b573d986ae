/// Where each part of the main screen goes for a terminal size: side by side when wide (200x60 shows
/// everything), stacked with a scrolling table and condensed panels when small (80x24), and nothing but
/// a notice below the minimum.
struct MainLayout: Equatable, Sendable {
    var header: Rect
    var table: Rect
    var lakehouse: Rect
    var pipeline: Rect
    var footer: Rect
    /// Lakehouse rows grouped by layer because one line per table does not fit.
    var lakehouseByLayer: Bool
}

/// Where each part of a station's page goes.
struct StationPageLayout: Equatable, Sendable {
    var header: Rect
    var summary: Rect
    var minutes: Rect
    var hours: Rect
    var rain: Rect
    var events: Rect
    var footer: Rect
}

enum ScreenLayout {
    static let minimumWidth = 60
    static let minimumHeight = 16
    /// Width from which the panels move to a right-hand column beside a full-height table.
    static let wideWidth = 170

    static func fits(width: Int, height: Int) -> Bool {
        width >= minimumWidth && height >= minimumHeight
    }

    /// Lines the pipeline panel needs: broker, store, clock, then two lines per topic, plus borders.
    static func pipelineHeight(topics: Int) -> Int {
        3 + 2 * topics + 2
    }

    static func main(width: Int, height: Int, tableCount: Int, topicCount: Int) -> MainLayout {
        let screen = Rect(row: 0, col: 0, width: width, height: height)
        let (header, rest) = screen.splitTop(1)
        let (body, footer) = rest.splitTop(rest.height - 1)
        let lakehouseFull = tableCount + 3
        let pipelineFull = pipelineHeight(topics: topicCount)
        if width >= wideWidth && height >= 36 {
            let rightWidth = min(96, max(76, width * 2 / 5))
            let (table, right) = body.splitLeft(width - rightWidth)
            let lakeHeight = min(lakehouseFull, max(8, right.height - pipelineFull))
            let (lakehouse, pipeline) = right.splitTop(lakeHeight)
            return MainLayout(
                header: header, table: table, lakehouse: lakehouse, pipeline: pipeline, footer: footer,
                lakehouseByLayer: lakehouse.height - 3 < tableCount)
        }
        let full = max(lakehouseFull, pipelineFull)
        let panelHeight = body.height - full >= 12 ? full : max(7, min(full, body.height / 2))
        let (table, panels) = body.splitTop(body.height - panelHeight)
        let (lakehouse, pipeline) = panels.splitLeft(width * 11 / 20)
        return MainLayout(
            header: header, table: table, lakehouse: lakehouse, pipeline: pipeline, footer: footer,
            lakehouseByLayer: lakehouse.height - 3 < tableCount)
    }

    static func stationPage(width: Int, height: Int) -> StationPageLayout {
        let screen = Rect(row: 0, col: 0, width: width, height: height)
        let (header, rest) = screen.splitTop(1)
        let (body, footer) = rest.splitTop(rest.height - 1)
        let (summary, content) = body.splitTop(1)
        let chartHeight = min(16, max(7, content.height * 2 / 5))
        let (minutes, lower) = content.splitTop(chartHeight)
        let (hours, side) = lower.splitLeft(max(40, width * 11 / 20))
        let (rain, events) = side.splitTop(min(6, side.height / 2))
        return StationPageLayout(
            header: header, summary: summary, minutes: minutes, hours: hours, rain: rain, events: events,
            footer: footer)
    }
}
