/// Which page the dashboard shows.
enum DashboardPage: Equatable, Sendable {
    case main
    case station(String)
}

/// Everything the user has chosen (page, selection, filter, sort, help), and how navigation changes it.
/// Selection follows a station id, so re-sorting or live data never moves the cursor to another station.
struct DashboardState: Sendable {
    var page: DashboardPage = .main
    var showHelp = false
    var isEditingFilter = false
    var filter = ""
    var sort: StationSort = .id
    var selectedID: String?
    /// First visible row of the station table.
    var scrollOffset = 0
    /// Rows the station table showed in the last frame (PgUp/PgDn step).
    var visibleRows = 10
    /// What a key just changed (`+`/`-`: the new rate), shown in the footer until `noticeUntilMicros`.
    var notice: String?
    var noticeUntilMicros: Int64 = 0

    /// The notice to show at wall time `now`, if any.
    func notice(at now: Int64) -> String? {
        now < noticeUntilMicros ? notice : nil
    }

    var isOnStationPage: Bool {
        if case .station = page { return true }
        return false
    }

    /// Applies a navigation or filter action against the ids currently listed, in display order. Actions that
    /// reach the engine (pause, rate) and quitting are the caller's.
    mutating func apply(_ action: DashboardAction, listedIDs: [String]) {
        switch action {
        case .moveUp: move(by: -1, in: listedIDs)
        case .moveDown: move(by: 1, in: listedIDs)
        case .pageUp: move(by: -max(1, visibleRows - 1), in: listedIDs)
        case .pageDown: move(by: max(1, visibleRows - 1), in: listedIDs)
        case .first: selectedID = listedIDs.first
        case .last: selectedID = listedIDs.last
        case .open:
            if let id = selection(in: listedIDs) { page = .station(id) }
        case .back:
            if isOnStationPage {
                page = .main
            } else if !filter.isEmpty {
                filter = ""
            }
        case .startFilter:
            isEditingFilter = true
            page = .main
        case .filterInput(let c):
            filter.append(c)
        case .filterBackspace:
            if !filter.isEmpty { filter.removeLast() }
        case .filterAccept:
            isEditingFilter = false
        case .filterCancel:
            isEditingFilter = false
            filter = ""
        case .cycleSort:
            sort = sort.next
        case .toggleHelp:
            showHelp.toggle()
        case .togglePause, .faster, .slower, .redraw, .quit:
            break
        }
    }

    /// The selected id if it is listed, else the first listed id.
    func selection(in listedIDs: [String]) -> String? {
        if let selectedID, listedIDs.contains(selectedID) { return selectedID }
        return listedIDs.first
    }

    private mutating func move(by delta: Int, in listedIDs: [String]) {
        guard !listedIDs.isEmpty else { return }
        let current = selection(in: listedIDs).flatMap { listedIDs.firstIndex(of: $0) } ?? 0
        let target = min(listedIDs.count - 1, max(0, current + delta))
        selectedID = listedIDs[target]
        if case .station = page { page = .station(listedIDs[target]) }
    }

    /// The first row to show so that row `selectedIndex` is visible in a window of `rows` rows, moving the
    /// window as little as possible from `offset`.
    static func scrollOffset(keeping selectedIndex: Int, visibleIn rows: Int, count: Int, from offset: Int) -> Int {
        guard rows > 0, count > rows else { return 0 }
        var start = min(max(0, offset), count - rows)
        if selectedIndex < start { start = selectedIndex }
        if selectedIndex >= start + rows { start = selectedIndex - rows + 1 }
        return min(max(0, start), count - rows)
    }
}
