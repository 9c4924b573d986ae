import PulseCore
import Testing

@testable import PulseProducers

@Suite struct EasternTimeTests {
    func local(_ utc: String) -> String {
        var eastern = EasternTime()
        return EventTime.format(micros: eastern.localMicros(utc: EventTimeParser.parse(utc)!))
    }

    @Test func followsDaylightSavingRules() {
        #expect(local("2025-08-20T23:00:00Z") == "2025-08-20T19:00:00Z")
        #expect(local("2025-01-15T12:00:00Z") == "2025-01-15T07:00:00Z")
        // 2025-03-09 02:00 EST -> 03:00 EDT; 2025-11-02 02:00 EDT -> 01:00 EST.
        #expect(local("2025-03-09T06:59:59Z") == "2025-03-09T01:59:59Z")
        #expect(local("2025-03-09T07:00:00Z") == "2025-03-09T03:00:00Z")
        #expect(local("2025-11-02T05:59:59Z") == "2025-11-02T01:59:59Z")
        #expect(local("2025-11-02T06:00:00Z") == "2025-11-02T01:00:00Z")
        #expect(local("2026-01-01T04:59:59Z") == "2025-12-31T23:59:59Z")
    }

    @Test func cacheGivesTheSameAnswersAsFreshConversions() {
        var cached = EasternTime()
        var t = EventTimeParser.parse("2024-12-30T00:00:00Z")!
        for _ in 0..<2000 {
            var fresh = EasternTime()
            #expect(cached.localMicros(utc: t) == fresh.localMicros(utc: t))
            t += 5 * EventTime.microsPerHour + 17_000_000
        }
    }
}
