import Testing

@testable import PulseDashboard

@Suite struct TableColumnsTests {
    @Test func dropsLeastImportantColumnsFirst() {
        let specs = [
            ColumnSpec("a", width: 4, priority: 0), ColumnSpec("b", width: 4, priority: 2),
            ColumnSpec("c", width: 4, priority: 1),
        ]
        let placed = TableColumns.fit(specs, width: 9)
        #expect(placed == [PlacedColumn(index: 0, col: 0, width: 4), PlacedColumn(index: 2, col: 5, width: 4)])
    }

    @Test func sparesGoToGrowableColumnsByPriority() {
        let specs = [
            ColumnSpec("a", width: 4, priority: 1, maxWidth: 6), ColumnSpec("b", width: 4, priority: 0, maxWidth: 5),
        ]
        let placed = TableColumns.fit(specs, width: 20)
        #expect(placed.map(\.width) == [6, 5])
        #expect(placed[1].col == 7)
    }

    @Test func stationTableAdaptsToWidth() {
        let wide = StationTable.columns(forWidth: 118).map { StationTable.Column(rawValue: $0.index)! }
        #expect(wide == StationTable.Column.allCases)
        let narrow = StationTable.columns(forWidth: 78).map { StationTable.Column(rawValue: $0.index)! }
        #expect(narrow.contains(.util) && narrow.contains(.trend) && !narrow.contains(.wind))
        for width in [40, 58, 78, 118, 160] {
            let placed = StationTable.columns(forWidth: width)
            #expect(placed.last.map { $0.col + $0.width } ?? 0 <= width)
        }
    }
}
