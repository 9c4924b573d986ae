import Foundation
import Testing

@testable import PulseCore

@Suite struct BikeEventTests {
    @Test func derivesCountsAndSerializesLikeTheOriginal() throws {
        let boston = try #require(StationCatalogue.standard.station(withID: "S001"))
        let event = BikeEvent(station: boston, bikesAvailable: 10, eventTimeMicros: 1_755_730_800_000_000)
        #expect(event.bikesOccupied == 18)
        #expect(event.docksAvailable == 10)
        let json = String(decoding: event.json(), as: UTF8.self)
        #expect(
            json == """
                {"bike_city": "Boston", "station_id": "S001", "docks_total": 28, "bikes_available": 10, \
                "bikes_occupied": 18, "docks_available": 10, "event_time": "2025-08-20T23:00:00Z"}
                """)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.json())) as? [String: Any])
        #expect(Set(object.keys) == Set(BikeEvent.fieldNames))
        #expect(object["docks_total"] as? Int == 28)
    }
}
