import Foundation
import PulseCore
import Testing

@testable import PulseProducers

@Suite struct BadRecordInjectorTests {
    let start: Int64 = 1_755_730_800_000_000

    @Test func offByDefault() {
        var bikes = BikeRecordGenerator(seed: 1, startMicros: start)
        var weather = WeatherRecordGenerator(seed: 1, startMicros: start)
        for i in 0..<20_000 {
            let t = start + Int64(i) * 1_000_000
            #expect(!bikes.nextBikeRecord(at: t).isBad)
            #expect(!weather.nextWeatherRecord(at: t).isBad)
        }
    }

    @Test(arguments: [EventKind.bike, .weather])
    func everyKindAppearsAndIsRejectedByAStrictReader(stream: EventKind) {
        var bikes = BikeRecordGenerator(seed: 2, startMicros: start, badShare: 0.05)
        var weather = WeatherRecordGenerator(seed: 2, startMicros: start, badShare: 0.05)
        var seen: [BadRecordKind: Int] = [:]
        var bad = 0
        let n = 40_000
        for i in 0..<n {
            let t = start + Int64(i) * 2_000_000
            let record = stream == .bike ? bikes.nextBikeRecord(at: t) : weather.nextWeatherRecord(at: t)
            #expect(record.kind == stream)
            #expect(StationCatalogue.standard.index(ofUTF8: record.key) != nil)  // key stays the station
            switch PayloadCheck.validate(record.value, kind: stream) {
            case .success:
                #expect(record.badKind == nil, "accepted a \(String(describing: record.badKind))")
            case .failure(let reason):
                guard let kind = record.badKind else {
                    Issue.record("good record rejected (\(reason)): \(String(decoding: record.value, as: UTF8.self))")
                    continue
                }
                bad += 1
                seen[kind, default: 0] += 1
                #expect(PayloadCheck.matches(reason, kind), "\(kind) rejected as \(reason)")
            }
        }
        #expect(Set(seen.keys) == Set(BadRecordKind.kinds(for: stream)))
        let share = Double(bad) / Double(n)
        #expect(abs(share - 0.05) < 0.006, "share \(share)")
        // Cycling: kinds are evenly spread.
        #expect(seen.values.max()! - seen.values.min()! <= 1)
    }

    @Test func sameSeedSameCorruption() {
        func run() -> [ProducedRecord] {
            var g = BikeRecordGenerator(seed: 3, startMicros: start, badShare: 0.3)
            return (0..<2000).map { g.nextBikeRecord(at: start + Int64($0) * 1_000_000) }
        }
        let a = run()
        #expect(a == run())
        #expect(a.filter(\.isBad).count > 400)
    }

    @Test func shareIsClamped() {
        #expect(BadRecordInjector(share: 2.0, seed: 0).share == 1.0)
        #expect(BadRecordInjector(share: -1.0, seed: 0).share == 0.0)
        #expect(BadRecordInjector(share: .nan, seed: 0).share == 0)
        var all = WeatherRecordGenerator(seed: 4, startMicros: start, badShare: 1)
        let round = all.nextWeatherRound(at: start)
        #expect(round.filter { !$0.isBad }.isEmpty)
    }
}
