import Testing

@testable import PulseCore

/// The dashboard's live station state, fed a batch at a time: the text is made only for the rows that
/// stay, so the result must be what feeding every row would give.
@Suite struct StationActivityTests {
    /// `rows` bike rows, round robin over `stations`, one simulated second apart from `start`.
    static func bikes(rows: Int, stations: Int32, start: Int64 = 1_755_730_800_000_000) -> SilverBikeColumns {
        var columns = SilverBikeColumns()
        for row in 0..<rows {
            columns.stationIndex.append(Int32(row) % stations)
            columns.eventTime.append(start + Int64(row) * 1_000_000)
            columns.bikesAvailable.append(Int32(row % 20))
            columns.bikesOccupied.append(Int32(20 - row % 20))
            columns.docksTotal.append(20)
        }
        return columns
    }

    @Test func recentKeepsEachStationsLastTwelveEventsInOrder() {
        let activity = StationActivity()
        let columns = Self.bikes(rows: 3 * 40, stations: 3)
        activity.recordBikes(columns)
        let stations = activity.snapshot().stations
        for station in 0..<3 {
            let rows = (0..<columns.count).filter { $0 % 3 == station }.suffix(12)
            #expect(stations[station].recent.map(\.time) == rows.map { columns.eventTime[$0] })
            #expect(
                stations[station].recent.map(\.text)
                    == rows.map { "bikes \($0 % 20)/20 available, \(20 - $0 % 20) in use" })
            #expect(stations[station].bikesAvailable == rows.last! % 20)
            #expect(stations[station].lastEventMicros == columns.eventTime[rows.last!])
        }
        #expect(stations[3].recent.isEmpty && stations[3].lastEventMicros == nil)
        // A second, short batch adds to what is there rather than replacing it.
        activity.recordBikes(Self.bikes(rows: 2, stations: 1, start: columns.eventTime.last! + 1_000_000))
        let after = activity.snapshot().stations[0].recent
        #expect(after.count == 12 && after.suffix(2).map(\.time).allSatisfy { $0 > columns.eventTime.last! })
    }

    @Test func minuteUtilizationAveragesEveryRowOfTheMinute() {
        let activity = StationActivity()
        let columns = Self.bikes(rows: 120, stations: 1)
        activity.recordBikes(columns)
        let minutes = activity.snapshot().stations[0].minuteUtilization
        #expect(minutes.reduce(0) { $0 + $1.count } == 120)
        let total = (0..<120).reduce(0.0) { $0 + Double(20 - $1 % 20) / 20 }
        #expect(abs(minutes.reduce(0) { $0 + $1.sum } - total) < 1e-9)
    }
}
