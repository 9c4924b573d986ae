import PulseCore
import Testing

@testable import PulseProducers

@Suite struct WeatherSimulationTests {
    let monday: Int64 = 1_755_489_600_000_000  // 2025-08-18 00:00 EDT
    let minute: Int64 = 60_000_000

    func days(_ n: Int, seed: UInt64, step: Int64 = 10) -> [[WeatherEvent]] {
        var sim = WeatherSimulation(seed: seed, startMicros: monday)
        return (0..<(n * 24 * 60 / Int(step))).map { sim.nextRound(at: monday + Int64($0) * step * minute) }
    }

    @Test func sameSeedSameReadingsDifferentSeedDifferent() {
        #expect(days(1, seed: 8) == days(1, seed: 8))
        #expect(days(1, seed: 8) != days(1, seed: 9))
    }

    @Test func readingsArePlausibleAndSmooth() {
        let rounds = days(10, seed: 2)
        var previous: [WeatherEvent]? = nil
        for round in rounds {
            for (i, e) in round.enumerated() {
                #expect(e.tempC > 0 && e.tempC < 35)
                #expect(e.precipMm >= 0 && e.precipMm < 15)
                #expect((25...100).contains(e.humidity))
                #expect(e.windKph >= 0 && e.windKph < 60)
                #expect((985...1040).contains(e.pressureMb))
                #expect(["Rain", "Light rain", "Windy", "Cloudy", "Clear"].contains(e.condition))
                if let p = previous {
                    #expect(abs(e.tempC - p[i].tempC) < 2.0, "10-minute jump \(p[i].tempC) -> \(e.tempC)")
                    #expect(abs(e.pressureMb - p[i].pressureMb) <= 3)
                }
            }
            previous = round
        }
    }

    @Test func afternoonsAreWarmerThanDawns() {
        let rounds = days(7, seed: 3)  // 10-minute steps from local midnight: index / 6 = hour
        func meanTemp(hour: Int) -> Double {
            let picked = rounds.enumerated().filter { $0.offset / 6 % 24 == hour }.flatMap { $0.element }
            return picked.map(\.tempC).reduce(0, +) / Double(picked.count)
        }
        #expect(meanTemp(hour: 15) > meanTemp(hour: 5) + 5)
    }

    @Test func rainComesInSpellsWithWetterAirAndLowerPressure() {
        let rounds = days(20, seed: 5)
        let all = rounds.flatMap { $0 }
        let wet = all.filter { $0.precipMm > 0 }
        let dry = all.filter { $0.precipMm == 0 }
        let share = Double(wet.count) / Double(all.count)
        #expect(share > 0.03 && share < 0.3, "rain share \(share)")
        func mean(_ events: [WeatherEvent], _ value: (WeatherEvent) -> Double) -> Double {
            events.map(value).reduce(0, +) / Double(events.count)
        }
        let wetHumidity = mean(wet) { Double($0.humidity) }
        let dryHumidity = mean(dry) { Double($0.humidity) }
        let wetPressure = mean(wet) { Double($0.pressureMb) }
        let dryPressure = mean(dry) { Double($0.pressureMb) }
        #expect(wetHumidity > dryHumidity + 10)
        #expect(wetPressure < dryPressure)
        // Spells: a rainy reading is usually followed (10 min later) by another one.
        var staysWet = 0
        var wetStarts = 0
        for i in 1..<rounds.count {
            for s in 0..<30 where rounds[i - 1][s].precipMm > 0 {
                wetStarts += 1
                if rounds[i][s].precipMm > 0 { staysWet += 1 }
            }
        }
        #expect(Double(staysWet) / Double(wetStarts) > 0.8)
        #expect(Set(wet.map(\.condition)) == ["Rain", "Light rain"])
    }

    @Test func bikeAndWeatherSimulationsShareTheWeather() {
        var weather = WeatherSimulation(seed: 6, startMicros: monday)
        var bikes = BikeSimulation(seed: 6, startMicros: monday + 5 * 60 * minute)  // same day: same anchor
        for k in 0..<2000 {
            let t = monday + Int64(k) * 7 * minute
            let w = weather.weatherState(station: k % 30, at: t)
            _ = bikes.nextEvent(at: t)
            #expect(bikes.weatherState(station: k % 30, at: t) == w)
        }
    }
}
