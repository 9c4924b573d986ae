import Foundation
import PulseCore
import Testing

@testable import PulseProducers

@Suite struct BikeSimulationTests {
    /// Monday 2025-08-18 00:00 EDT.
    let monday: Int64 = 1_755_489_600_000_000
    let minute: Int64 = 60_000_000

    @Test func sameSeedSameEventsDifferentSeedDifferent() {
        func run(_ seed: UInt64) -> [BikeEvent] {
            var sim = BikeSimulation(seed: seed, startMicros: monday)
            return (0..<3000).map { sim.nextEvent(at: monday + Int64($0) * minute) }
        }
        #expect(run(11) == run(11))
        #expect(run(11) != run(12))
    }

    @Test func countsStayConsistentOverLongDaysAtHighSpeed() throws {
        // --speed 3600 driven by explicit wall times: 1 ms wall = 3.6 s simulated; 50k events ~ 50 h.
        let clock = try SimulatedClock(startEpochMicros: monday, speed: 3600, wallStartMicros: 0)
        var generator = BikeRecordGenerator(seed: 5, startMicros: monday)
        var seen = Set<Int>()
        for step in 0..<50_000 {
            let record = generator.nextBikeRecord(at: clock.eventTimeMicros(atWallMicros: Int64(step) * 1000))
            let object = try PayloadCheck.validate(record.value, kind: .bike).get()
            let docks = object["docks_total"] as! Int
            let available = object["bikes_available"] as! Int
            #expect(available >= 0 && available <= docks)
            #expect(object["bikes_occupied"] as! Int == docks - available)
            #expect(object["docks_available"] as! Int == available)
            #expect(String(decoding: record.key, as: UTF8.self) == object["station_id"] as! String)
            if step % 97 == 0 { seen.insert(available) }
        }
        #expect(seen.count > 10)  // the process moves
    }

    @Test func extremeTimeJumpsKeepInvariants() {
        var sim = BikeSimulation(seed: 9, startMicros: monday)
        var t = monday
        for i in 0..<5000 {
            t += Int64(i % 7 == 0 ? 900 : 1) * minute * Int64(i % 3)
            let e = sim.nextEvent(at: i % 11 == 0 ? t - 3 * minute : t)
            #expect(e.bikesAvailable >= 0 && e.bikesAvailable <= e.docksTotal)
        }
    }

    /// Mean utilisation (bikes_occupied / docks_total) per local hour over weekdays.
    func weekdayUtilisationByHour(seed: UInt64) -> [Double] {
        var generator = BikeRecordGenerator(seed: seed, startMicros: monday)
        var sum = [Double](repeating: 0, count: 24)
        var count = [Double](repeating: 0, count: 24)
        for round in 0..<(5 * 24 * 12) {  // Mon-Fri, a round every 5 min
            let t = monday + Int64(round) * 5 * minute
            let hour = round / 12 % 24  // August: EDT, and `monday` is local midnight
            for record in generator.nextBikeRound(at: t) {
                let o = try! PayloadCheck.validate(record.value, kind: .bike).get()
                sum[hour] += Double(o["bikes_occupied"] as! Int) / Double(o["docks_total"] as! Int)
                count[hour] += 1
            }
        }
        return zip(sum, count).map { $0 / $1 }
    }

    @Test func commuterCurveIsVisible() {
        let byHour = weekdayUtilisationByHour(seed: 21)
        #expect(byHour[8] > byHour[3] + 0.25, "8 am \(byHour[8]) vs 3 am \(byHour[3])")
        #expect(byHour[17] > byHour[3] + 0.25, "5 pm \(byHour[17]) vs 3 am \(byHour[3])")
        #expect(byHour[3] < 0.15)
    }

    @Test func rainLowersUtilisation() throws {
        // Join each bike event with the same station's weather reading at the same instant.
        let seed: UInt64 = 4
        var bikes = BikeRecordGenerator(seed: seed, startMicros: monday)
        var weather = WeatherRecordGenerator(seed: seed, startMicros: monday)
        var rainy: [Double] = []
        var dry: [Double] = []
        for round in 0..<(6 * 24 * 12) {
            let t = monday + Int64(round) * 5 * minute
            let localHour = round / 12 % 24
            let b = bikes.nextBikeRound(at: t)
            let w = weather.nextWeatherRound(at: t)
            guard (7...20).contains(localHour) else { continue }  // daytime, when people ride
            for (br, wr) in zip(b, w) {
                let bo = try PayloadCheck.validate(br.value, kind: .bike).get()
                let wo = try PayloadCheck.validate(wr.value, kind: .weather).get()
                #expect(bo["station_id"] as! String == wo["station_id"] as! String)
                let u = Double(bo["bikes_occupied"] as! Int) / Double(bo["docks_total"] as! Int)
                if (wo["precip_mm"] as! Double) > 0 { rainy.append(u) } else { dry.append(u) }
            }
        }
        #expect(rainy.count > 1000, "rainy samples: \(rainy.count)")
        let rainMean = rainy.reduce(0, +) / Double(rainy.count)
        let dryMean = dry.reduce(0, +) / Double(dry.count)
        #expect(rainMean < dryMean - 0.08, "rain \(rainMean) vs dry \(dryMean)")
    }

    @Test func coldLowersDemand() {
        var sim = BikeSimulation(seed: 1, startMicros: monday)
        // Same station, same local hour, August vs late January (dry minutes only).
        let january: Int64 = 1_737_979_200_000_000  // 2025-01-27 12:00 UTC (Mon, 07:00 EST)
        let august: Int64 = monday + 11 * 60 * minute  // 2025-08-18 11:00 EDT... use demand only
        var summer: [Double] = []
        var winter: [Double] = []
        for day in 0..<20 {
            let offset = Int64(day) * 24 * 60 * minute
            summer.append(sim.demandFactor(station: 0, at: august + offset))
            winter.append(sim.demandFactor(station: 0, at: january + offset))
        }
        #expect(winter.max()! < summer.max()!)
        #expect(winter.reduce(0, +) / 20 < 0.8)
    }
}
