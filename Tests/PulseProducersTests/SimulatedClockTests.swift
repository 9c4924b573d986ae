import PulseCore
import Testing

@testable import PulseProducers

@Suite struct SimulatedClockTests {
    let start: Int64 = 1_755_730_800_000_000

    @Test func scalesWallTimeBySpeed() throws {
        let clock = try SimulatedClock(startEpochMicros: start, speed: 60, wallStartMicros: 5_000_000)
        #expect(clock.eventTimeMicros(atWallMicros: 5_000_000) == start)
        #expect(clock.eventTimeMicros(atWallMicros: 6_000_000) == start + 60_000_000)
        #expect(clock.eventTimeMicros(atWallMicros: 7_500_000) == start + 150_000_000)
        #expect(clock.wallMicros(atEventTime: start + 3_600_000_000) == 65_000_000)
        let slow = try SimulatedClock(startEpochMicros: start, speed: 0.5, wallStartMicros: 0)
        #expect(slow.eventTimeMicros(atWallMicros: 3_000_000) == start + 1_500_000)
    }

    @Test(arguments: [0.0, -1.0, Double.nan, Double.infinity])
    func refusesSpeedsThatAreNotPositive(speed: Double) {
        #expect(throws: ProducerError.self) {
            _ = try SimulatedClock(startEpochMicros: 0, speed: speed, wallStartMicros: 0)
        }
    }

    @Test func eventTimeOfProducedRecordsFollowsTheClock() throws {
        let clock = try SimulatedClock(startEpochMicros: start, speed: 3600, wallStartMicros: 0)
        var bikes = BikeRecordGenerator(seed: 3, startMicros: start)
        var weather = WeatherRecordGenerator(seed: 3, startMicros: start)
        // One wall second = one simulated hour.
        for (wall, expected) in [
            (0, "2025-08-20T23:00:00Z"), (1_000_000, "2025-08-21T00:00:00Z"),
            (2_500_000, "2025-08-21T01:30:00Z"),
        ] {
            let t = clock.eventTimeMicros(atWallMicros: Int64(wall))
            let b = bikes.nextBikeRecord(at: t)
            let w = weather.nextWeatherRecord(at: t)
            for record in [b, w] {
                let object = try PayloadCheck.validate(record.value, kind: record.kind).get()
                #expect(object["event_time"] as? String == expected)
                #expect(record.eventTimeMicros == t)
            }
        }
    }

    @Test func liveClockMovesForward() throws {
        let clock = try SimulatedClock.startingNow(speed: 1000, startEpochMicros: start)
        let a = clock.eventTimeMicros()
        #expect(a >= start)
        #expect(clock.eventTimeMicros() >= a)
    }
}
