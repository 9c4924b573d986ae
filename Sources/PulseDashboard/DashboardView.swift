/// Composes one whole frame from the snapshot and the user's state: the main screen or a station's page,
/// the help on top, or the too-small notice. Pure: the same inputs draw the same cells.
enum DashboardView {
    static func compose(
        _ context: FrameContext, detail: StationDetail?, state: inout DashboardState, canvas: inout Canvas
    ) {
        let screen = canvas.bounds
        guard ScreenLayout.fits(width: screen.width, height: screen.height) else {
            TooSmallNotice.draw(in: screen, canvas: &canvas)
            return
        }
        switch state.page {
        case .main:
            let snapshot = context.snapshot
            let layout = ScreenLayout.main(
                width: screen.width, height: screen.height, tableCount: snapshot.tables.count,
                topicCount: snapshot.topics.count)
            HeaderBar.draw(context, in: layout.header, canvas: &canvas)
            let rows = StationQuery.rows(of: snapshot, filter: state.filter, sort: state.sort)
            StationTable.draw(rows, total: snapshot.stations.count, state: &state, in: layout.table, canvas: &canvas)
            LakehousePanel.draw(
                snapshot.tables, byLayer: layout.lakehouseByLayer, in: layout.lakehouse, canvas: &canvas)
            PipelinePanel.draw(context, in: layout.pipeline, canvas: &canvas)
            Footer.draw(state, now: context.wallNowMicros, in: layout.footer, canvas: &canvas)
        case .station(let id):
            let layout = ScreenLayout.stationPage(width: screen.width, height: screen.height)
            HeaderBar.draw(context, in: layout.header, canvas: &canvas)
            StationPage.draw(detail, id: id, context: context, layout: layout, canvas: &canvas)
            Footer.draw(state, now: context.wallNowMicros, in: layout.footer, canvas: &canvas)
        }
        if state.showHelp { HelpOverlay.draw(in: screen, canvas: &canvas) }
    }

    /// The ids the station table lists now, in display order (what navigation moves through).
    static func listedIDs(_ snapshot: DashboardSnapshot, state: DashboardState) -> [String] {
        StationQuery.rows(of: snapshot, filter: state.filter, sort: state.sort).map(\.station.id)
    }
}
