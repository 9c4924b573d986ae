import Testing

@testable import PulseDashboard

@Suite struct PanelTests {
    @Test func lakehouseLinesFollowLayerOrder() {
        let tables = SnapshotFixture.snapshot().tables.reversed()
        let names = LakehousePanel.tableLines(Array(tables)).map(\.name)
        #expect(names.first == "bronze/bike" && names.last == "quarantine/weather")
        let layers = LakehousePanel.layerLines(Array(tables))
        #expect(layers.map(\.name) == ["bronze", "silver", "gold", "quarantine"])
        // gold/* are fixture tables 4...8: rows 4000+5000+6000+7000+8000, versions up to 9.
        #expect(layers[2].rows == 30_000 && layers[2].version == 9)
    }

    @Test func pipelineItemsFlowToTheWidth() {
        let topic = SnapshotFixture.snapshot().topics[0]
        let items = PipelinePanel.items(for: topic)
        let wide = PipelinePanel.flow(items, width: 200)
        #expect(wide.count == 1 && wide[0].count == 8)
        let narrow = PipelinePanel.flow(items, width: 26, separator: 1)
        #expect(narrow.count == 3)
        for line in narrow {
            let used = line.reduce(0) { $0 + $1.label.count + 1 + $1.value.count } + line.count - 1
            #expect(used <= 26)
        }
        #expect(narrow.flatMap { $0 }.map(\.label) == items.map(\.label))
    }

    @Test func failingStoreShowsSinceWhenAndLastErrorUnderItsLine() throws {
        var state = DashboardState()
        let rows = SnapshotFixture.render(width: 120, height: 40, state: &state)
        let storeRow = try #require(
            rows.firstIndex { $0.contains("store  ✗ failing since 00:00:00 (1m23s)") })
        #expect(rows[storeRow + 1].contains("last error disk full"))
    }

    @Test func longErrorsWrapOntoTwoLinesAtMost() {
        #expect(PipelinePanel.wrap("abcdefgh", width: 3, lines: 2) == ["abc", "defgh"])
        #expect(PipelinePanel.wrap("abcdef", width: 3, lines: 2) == ["abc", "def"])
        #expect(PipelinePanel.wrap("ab", width: 3, lines: 2) == ["ab"])
        #expect(PipelinePanel.wrap("abc", width: 0, lines: 2).isEmpty)
    }
}
