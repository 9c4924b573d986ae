/// Maps key presses to actions for the mode the dashboard is in (filter prompt, help, main, station page).
enum KeyMap {
    static func action(for key: Key, in state: DashboardState) -> DashboardAction? {
        if key == .resize || key == .redraw { return .redraw }
        if state.isEditingFilter {
            switch key {
            case .character(let c): return .filterInput(c)
            case .backspace: return .filterBackspace
            case .enter: return .filterAccept
            case .escape: return .filterCancel
            case .up: return .moveUp
            case .down: return .moveDown
            default: return nil
            }
        }
        if state.showHelp {
            switch key {
            case .escape, .enter, .character("?"), .character("h"): return .toggleHelp
            case .character("q"): return .quit
            default: return nil
            }
        }
        switch key {
        case .up, .character("k"): return .moveUp
        case .down, .character("j"): return .moveDown
        case .pageUp, .character("b"): return .pageUp
        case .pageDown, .character(" "): return .pageDown
        case .home, .character("g"): return .first
        case .end, .character("G"): return .last
        case .enter, .right, .character("l"): return state.isOnStationPage ? nil : .open
        case .escape, .left, .backspace, .character("h"): return .back
        case .character("/"): return .startFilter
        case .character("s"): return .cycleSort
        case .character("p"): return .togglePause
        case .character("+"), .character("="): return .faster
        case .character("-"), .character("_"): return .slower
        case .character("?"): return .toggleHelp
        case .character("q"), .character("Q"): return .quit
        default: return nil
        }
    }
}
