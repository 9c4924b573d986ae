import Testing

@testable import PulseDashboard

@Suite struct DashboardStateTests {
    let ids = ["S001", "S002", "S003", "S004", "S005"]

    @Test func movesClampAtTheEnds() {
        var state = DashboardState()
        state.apply(.moveUp, listedIDs: ids)
        #expect(state.selectedID == "S001")
        state.apply(.moveDown, listedIDs: ids)
        state.apply(.moveDown, listedIDs: ids)
        #expect(state.selectedID == "S003")
        state.visibleRows = 3
        state.apply(.pageDown, listedIDs: ids)
        #expect(state.selectedID == "S005")
        state.apply(.first, listedIDs: ids)
        #expect(state.selectedID == "S001")
        state.apply(.last, listedIDs: ids)
        #expect(state.selectedID == "S005")
    }

    @Test func openAndBack() {
        var state = DashboardState()
        state.apply(.moveDown, listedIDs: ids)
        state.apply(.open, listedIDs: ids)
        #expect(state.page == .station("S002"))
        state.apply(.moveDown, listedIDs: ids)
        #expect(state.page == .station("S003"))
        state.apply(.back, listedIDs: ids)
        #expect(state.page == .main)
        #expect(state.selectedID == "S003")
    }

    @Test func filterEditing() {
        var state = DashboardState()
        state.apply(.startFilter, listedIDs: ids)
        #expect(state.isEditingFilter)
        state.apply(.filterInput("b"), listedIDs: ids)
        state.apply(.filterInput("o"), listedIDs: ids)
        state.apply(.filterInput("x"), listedIDs: ids)
        state.apply(.filterBackspace, listedIDs: ids)
        state.apply(.filterAccept, listedIDs: ids)
        #expect(state.filter == "bo" && !state.isEditingFilter)
        state.apply(.back, listedIDs: ids)
        #expect(state.filter == "")
        state.apply(.startFilter, listedIDs: ids)
        state.apply(.filterInput("q"), listedIDs: ids)
        state.apply(.filterCancel, listedIDs: ids)
        #expect(state.filter == "" && !state.isEditingFilter)
    }

    @Test func selectionFallsBackWhenFilteredOut() {
        var state = DashboardState()
        state.selectedID = "S004"
        #expect(state.selection(in: ["S001", "S002"]) == "S001")
        #expect(state.selection(in: []) == nil)
    }

    @Test func scrollKeepsSelectionVisible() {
        #expect(DashboardState.scrollOffset(keeping: 0, visibleIn: 10, count: 30, from: 5) == 0)
        #expect(DashboardState.scrollOffset(keeping: 25, visibleIn: 10, count: 30, from: 0) == 16)
        #expect(DashboardState.scrollOffset(keeping: 12, visibleIn: 10, count: 30, from: 8) == 8)
        #expect(DashboardState.scrollOffset(keeping: 3, visibleIn: 10, count: 5, from: 4) == 0)
        #expect(DashboardState.scrollOffset(keeping: 29, visibleIn: 10, count: 30, from: 50) == 20)
    }

    @Test func rateStepsStayInRange() {
        #expect(ProducerRateSteps.next(from: 100, faster: true) == 150)
        #expect(ProducerRateSteps.next(from: 100, faster: false) == 75)
        #expect(ProducerRateSteps.next(from: 10, faster: false) == 10)
        #expect(ProducerRateSteps.next(from: 1000, faster: true) == 1000)
        #expect(ProducerRateSteps.next(from: 120, faster: false) == 100)
    }
}
