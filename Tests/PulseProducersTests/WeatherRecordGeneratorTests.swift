import Foundation
import PulseCore
import Testing

@testable import PulseProducers

@Suite struct WeatherRecordGeneratorTests {
    let start: Int64 = 1_755_730_800_000_000

    @Test func roundHasOneGoodRecordPerStationWithExactShape() throws {
        var g = WeatherRecordGenerator(seed: 10, startMicros: start)
        for k in 0..<50 {
            let round = g.nextWeatherRound(at: start + Int64(k) * 3_600_000_000)
            #expect(round.count == 30)
            for (i, record) in round.enumerated() {
                #expect(record.key == StationCatalogue.standard[i].idUTF8)
                let object = try PayloadCheck.validate(record.value, kind: .weather).get()
                #expect(object.count == 9)
                #expect(object["weather_city"] as? String == StationCatalogue.standard[i].city)
                let text = String(decoding: record.value, as: UTF8.self)
                #expect(text.hasPrefix("{\"station_id\": \"\(StationCatalogue.standard[i].id)\", \"weather_city\": "))
                // Doubles always carry one decimal, like Python's repr of a rounded float.
                for field in ["temp_c", "precip_mm", "wind_kph"] {
                    let pattern = "\"\(field)\": -?[0-9]+\\.[0-9][,}]"
                    #expect(text.range(of: pattern, options: .regularExpression) != nil, "\(field) in \(text)")
                }
            }
        }
    }

    @Test func sameSeedSameRecords() {
        func run(_ seed: UInt64) -> [ProducedRecord] {
            var g = WeatherRecordGenerator(seed: seed, startMicros: start, badShare: 0.02)
            return (0..<3000).map { g.nextWeatherRecord(at: start + Int64($0) * 60_000_000) }
        }
        #expect(run(5) == run(5))
        #expect(run(5) != run(6))
    }
}
