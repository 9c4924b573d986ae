import Testing

@testable import PulseCore

@Suite struct StationCatalogueTests {
    let catalogue = StationCatalogue.standard

    @Test func hasThirtyUniqueIDsS001ToS030() {
        #expect(catalogue.count == 30)
        #expect(
            catalogue.stations.map(\.id)
                == (1...30).map { "S" + String(repeating: "0", count: 3 - String($0).count) + String($0) })
        #expect(Set(catalogue.stations.map(\.id)).count == 30)
        #expect(catalogue.station(withID: "S001")?.city == "Boston")
        #expect(catalogue.station(withID: "S030")?.city == "Salem")
    }

    @Test func mirrorsTheOriginalProducersFacts() {
        // Spot checks against producer_bike.py CITY_CFG and producer_weather.py BASELINES.
        #expect(catalogue.station(withID: "S001")?.docksTotal == 28)
        #expect(catalogue.station(withID: "S004")?.city == "Worcester")
        #expect(catalogue.station(withID: "S012")?.city == "New Bedford")
        #expect(catalogue.station(withID: "S026")?.docksTotal == 12)
        #expect(catalogue.station(withID: "S030")?.docksTotal == 16)
        #expect(
            catalogue.station(withID: "S027")?.weatherBaseline
                == WeatherBaseline(tempC: 15.0, windKph: 9.0, humidity: 72, pressureMb: 1012))
        #expect(catalogue.stations.map(\.docksTotal).reduce(0, +) == 526)
        #expect(catalogue.cities.count == 30)
        #expect(catalogue.cityIndexOfStation == Array(0..<30))
    }

    @Test func looksUpEveryIDFromUTF8Bytes() {
        for (i, s) in catalogue.stations.enumerated() {
            #expect(catalogue.index(ofUTF8: Array(s.id.utf8)) == i)
            #expect(catalogue.index(ofID: s.id) == i)
        }
        let framed = Array("xS017y".utf8)
        #expect(catalogue.index(ofUTF8: framed[1..<5]) == 16)
    }

    @Test(arguments: ["S000", "S031", "S999", "S99", "s001", "S0011", "", "X001", "S00a", "S 01"])
    func rejectsIDsOutsideTheCatalogue(id: String) {
        #expect(catalogue.index(ofUTF8: Array(id.utf8)) == nil)
        #expect(catalogue.index(ofID: id) == nil)
    }

    @Test func looksUpNonDenseIDs() {
        let base = WeatherBaseline(tempC: 10, windKph: 5, humidity: 50, pressureMb: 1000)
        let custom = StationCatalogue(stations: [
            Station(id: "B-12", city: "A", docksTotal: 10, weatherBaseline: base),
            Station(id: "LONGSTATIONID", city: "A", docksTotal: 5, weatherBaseline: base),
            Station(id: "S001", city: "B", docksTotal: 7, weatherBaseline: base),
        ])
        #expect(custom.index(ofUTF8: Array("B-12".utf8)) == 0)
        #expect(custom.index(ofUTF8: Array("LONGSTATIONID".utf8)) == 1)
        #expect(custom.index(ofUTF8: Array("S001".utf8)) == 2)
        #expect(custom.index(ofUTF8: Array("S002".utf8)) == nil)
        #expect(custom.index(ofUTF8: Array("B-1".utf8)) == nil)
        #expect(custom.cities == ["A", "B"])
        #expect(custom.cityIndexOfStation == [0, 0, 1])
    }
}
