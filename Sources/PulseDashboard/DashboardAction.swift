/// What a key press asks for, independent of which key it was.
enum DashboardAction: Equatable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, first, last
    case open, back
    case startFilter, filterInput(Character), filterBackspace, filterAccept, filterCancel
    case cycleSort, togglePause, faster, slower, toggleHelp
    case redraw, quit
}
