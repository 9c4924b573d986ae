import Testing

@testable import PulseDashboard

@Suite struct DashboardViewTests {
    @Test func mediumScreenShowsTableAndEveryTable() {
        var state = DashboardState()
        let rows = SnapshotFixture.render(width: 120, height: 40, state: &state)
        let text = rows.joined(separator: "\n")
        #expect(text.contains("Stations 30"))
        #expect(text.contains("S001") && text.contains("Boston"))
        for path in SnapshotFixture.tablePaths { #expect(text.contains(path), "missing \(path)") }
        #expect(text.contains("Pipeline") && text.contains("retrying"))
        #expect(rows.last!.contains("q quit"))
        #expect(state.visibleRows == 21)
    }

    @Test func wideScreenShowsAllThirtyStations() {
        var state = DashboardState()
        let text = SnapshotFixture.render(width: 200, height: 60, state: &state).joined(separator: "\n")
        for index in 1...30 {
            let id = "S" + (index < 10 ? "00" : "0") + "\(index)"
            #expect(text.contains(id), "missing \(id)")
        }
        #expect(text.contains("Condition") && text.contains("Wind"))
    }

    @Test func smallScreenCondensesPanels() {
        var state = DashboardState()
        let rows = SnapshotFixture.render(width: 80, height: 24, state: &state)
        let text = rows.joined(separator: "\n")
        #expect(text.contains("S001"))
        #expect(text.contains("bronze") && text.contains("quarantine"))
        #expect(!text.contains("bronze/bike"))
        #expect(text.contains("Pipeline"))
        #expect(rows.allSatisfy { $0.unicodeScalars.count == 80 })
    }

    @Test func tooSmallSaysSo() {
        var state = DashboardState()
        let text = SnapshotFixture.render(width: 40, height: 10, state: &state).joined(separator: "\n")
        #expect(text.contains("terminal too small"))
        #expect(text.contains("need 60x16, have 40x10"))
        #expect(!text.contains("S001"))
    }

    @Test func filterNarrowsRows() {
        var state = DashboardState()
        state.filter = "bos"
        let text = SnapshotFixture.render(width: 120, height: 40, state: &state).joined(separator: "\n")
        #expect(text.contains("Stations 1 of 30"))
        #expect(text.contains("S001") && !text.contains("S002"))
    }

    @Test func stationPageShowsEverySection() {
        var state = DashboardState()
        state.page = .station("S001")
        let text = SnapshotFixture.render(width: 120, height: 40, state: &state, detail: SnapshotFixture.detail())
            .joined(separator: "\n")
        #expect(text.contains("S001 Boston"))
        // The fixture's minutes run 06:00-06:59 and its hours 00:00-05:00 of 2024-05-01, each hour of day once.
        #expect(text.contains("Last hour by minute, 06:00-07:00"))
        #expect(text.contains("By hour 2024-05-01 00:00-06:00"))
        #expect(text.contains("Rain and use") && text.contains("needs a wet and a dry hour at the same hour of day"))
        #expect(text.contains("Recent events") && text.contains("bikes 5/12"))
        #expect(text.contains("Esc back"))
    }

    @Test func asciiFallbackDrawsOnlyASCII() {
        var state = DashboardState()
        let rows = SnapshotFixture.render(width: 120, height: 40, state: &state, glyphs: .ascii)
        #expect(rows.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(rows[1].hasPrefix("+- Stations 30"))
        state.page = .station("S001")
        let page = SnapshotFixture.render(
            width: 80, height: 24, state: &state, glyphs: .ascii, detail: SnapshotFixture.detail())
        #expect(page.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
    }

    @Test func helpOverlayListsKeys() {
        var state = DashboardState()
        state.showHelp = true
        let text = SnapshotFixture.render(width: 120, height: 40, state: &state).joined(separator: "\n")
        #expect(text.contains("Help") && text.contains("producer rate up / down"))
    }

    @Test func everySizeFromMinimumUpRendersInsideTheScreen() {
        for (width, height) in [(60, 16), (61, 17), (79, 23), (100, 30), (169, 50), (170, 36), (250, 80)] {
            for page in [DashboardPage.main, .station("S001")] {
                var state = DashboardState()
                state.page = page
                let rows = SnapshotFixture.render(
                    width: width, height: height, state: &state, detail: SnapshotFixture.detail())
                #expect(rows.count == height)
                #expect(rows[0].contains("Pulse"), "\(width)x\(height)")
            }
        }
    }
}
