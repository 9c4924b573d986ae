import Testing

@testable import PulseCore

@Suite struct StationLookupTests {
    @Test func findsEveryCatalogueStationAndNothingElse() {
        let lookup = StationLookup(stationIDs: testStations)
        for (i, id) in testStations.enumerated() {
            #expect(lookup.index(of: id) == i)
        }
        for id in ["S999", "S000", "S031", "s001", "S01", "S0011", "", "S001 ", "Boston"] {
            #expect(lookup.index(of: id) == nil, "\(id)")
        }
    }

    @Test func handlesEmptyAndDuplicateCatalogues() {
        #expect(StationLookup(stationIDs: []).index(of: "S001") == nil)
        let lookup = StationLookup(stationIDs: ["A", "B", "A", ""])
        #expect(lookup.index(of: "A") == 0)
        #expect(lookup.index(of: "B") == 1)
        #expect(lookup.index(of: "") == 3)
    }
}
