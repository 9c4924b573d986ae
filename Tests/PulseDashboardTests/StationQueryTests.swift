import Testing

@testable import PulseDashboard

@Suite struct StationQueryTests {
    @Test func filterMatchesIdCityOrConditionIgnoringCase() {
        let snapshot = SnapshotFixture.snapshot()
        #expect(StationQuery.rows(of: snapshot, filter: "", sort: .id).count == 30)
        #expect(StationQuery.rows(of: snapshot, filter: "bos", sort: .id).map(\.station.id) == ["S001"])
        #expect(StationQuery.rows(of: snapshot, filter: "S02", sort: .id).count == 10)
        #expect(StationQuery.rows(of: snapshot, filter: "rain", sort: .id).count == 10)
        #expect(StationQuery.rows(of: snapshot, filter: "zzz", sort: .id).isEmpty)
    }

    @Test func sortsByEachKey() {
        let snapshot = SnapshotFixture.snapshot()
        let byCity = StationQuery.rows(of: snapshot, filter: "", sort: .city).map(\.station.city)
        #expect(byCity == byCity.sorted())
        let byUtil = StationQuery.rows(of: snapshot, filter: "", sort: .utilization).compactMap(\.station.utilization)
        #expect(byUtil == byUtil.sorted(by: >))
        let byRain = StationQuery.rows(of: snapshot, filter: "", sort: .rain).map { $0.weather?.precipMm ?? 0 }
        #expect(byRain == byRain.sorted(by: >))
        #expect(StationSort.id.next == .city && StationSort.rain.next == .id)
    }

    @Test func unknownUtilisationSortsLast() {
        var snapshot = SnapshotFixture.snapshot()
        snapshot.stations[0].utilization = nil
        let ids = StationQuery.rows(of: snapshot, filter: "", sort: .utilization).map(\.station.id)
        #expect(ids.last == "S001")
    }
}
