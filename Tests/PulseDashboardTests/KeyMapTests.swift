import Testing

@testable import PulseDashboard

@Suite struct KeyMapTests {
    @Test func mainScreenKeys() {
        let state = DashboardState()
        #expect(KeyMap.action(for: .character("j"), in: state) == .moveDown)
        #expect(KeyMap.action(for: .up, in: state) == .moveUp)
        #expect(KeyMap.action(for: .pageDown, in: state) == .pageDown)
        #expect(KeyMap.action(for: .enter, in: state) == .open)
        #expect(KeyMap.action(for: .character("/"), in: state) == .startFilter)
        #expect(KeyMap.action(for: .character("s"), in: state) == .cycleSort)
        #expect(KeyMap.action(for: .character("p"), in: state) == .togglePause)
        #expect(KeyMap.action(for: .character("+"), in: state) == .faster)
        #expect(KeyMap.action(for: .character("-"), in: state) == .slower)
        #expect(KeyMap.action(for: .character("?"), in: state) == .toggleHelp)
        #expect(KeyMap.action(for: .character("q"), in: state) == .quit)
        #expect(KeyMap.action(for: .resize, in: state) == .redraw)
        #expect(KeyMap.action(for: .character("x"), in: state) == nil)
    }

    @Test func filterPromptTakesLetters() {
        var state = DashboardState()
        state.isEditingFilter = true
        #expect(KeyMap.action(for: .character("q"), in: state) == .filterInput("q"))
        #expect(KeyMap.action(for: .character("j"), in: state) == .filterInput("j"))
        #expect(KeyMap.action(for: .escape, in: state) == .filterCancel)
        #expect(KeyMap.action(for: .enter, in: state) == .filterAccept)
        #expect(KeyMap.action(for: .backspace, in: state) == .filterBackspace)
    }

    @Test func helpAndStationPage() {
        var state = DashboardState()
        state.showHelp = true
        #expect(KeyMap.action(for: .escape, in: state) == .toggleHelp)
        #expect(KeyMap.action(for: .character("j"), in: state) == nil)
        state.showHelp = false
        state.page = .station("S001")
        #expect(KeyMap.action(for: .escape, in: state) == .back)
        #expect(KeyMap.action(for: .enter, in: state) == nil)
    }
}
