import Foundation
import Testing

@testable import PulseCore

@Suite struct EventTimeTests {
    @Test func formatsKnownInstants() {
        #expect(EventTime.format(micros: 1_755_730_800_000_000) == "2025-08-20T23:00:00Z")
        #expect(EventTime.format(micros: 0) == "1970-01-01T00:00:00Z")
        #expect(EventTime.format(micros: 999_999) == "1970-01-01T00:00:00Z")
        #expect(EventTime.format(micros: -1) == "1969-12-31T23:59:59Z")
        #expect(EventTime.format(micros: 1_709_251_199_000_000) == "2024-02-29T23:59:59Z")
        #expect(EventTime.format(micros: 4_102_444_800_000_000) == "2100-01-01T00:00:00Z")
    }

    @Test func agreesWithFoundationOnManyInstants() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var x: UInt64 = 12345
        for _ in 0..<2000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = Int64(x >> 33) % 4_000_000_000 - 500_000_000  // 1954 ... 2096
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(EventTime.format(micros: seconds * 1_000_000) == expected)
        }
    }

    @Test func civilDateRoundTripsAndWeekdays() {
        for days in -800_000...800_000 where days % 37 == 0 {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date.isValid)
            #expect(date.daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1).weekday == 4)  // Thursday
        #expect(CivilDate(year: 2025, month: 8, day: 18).weekday == 1)  // Monday
        #expect(CivilDate(year: 2000, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 1900, month: 2, day: 29).isValid)
        #expect(CivilDate(daysSinceEpoch: 20_320).isoString == "2025-08-20")
        #expect(EventTime.civilDate(micros: -1) == CivilDate(year: 1969, month: 12, day: 31))
    }

    @Test func parsesISO8601WithZoneOrOffset() {
        let t: Int64 = 1_755_730_800_000_000
        #expect(EventTimeParser.parse("2025-08-20T23:00:00Z") == t)
        #expect(EventTimeParser.parse("2025-08-20T19:00:00-04:00") == t)
        #expect(EventTimeParser.parse("2025-08-21T01:30:00+02:30") == t)
        #expect(EventTimeParser.parse("2025-08-20T23:00:00.25Z") == t + 250_000)
        #expect(EventTimeParser.parse(EventTime.format(micros: -86_400_000_000)) == -86_400_000_000)
    }

    @Test(arguments: [
        "yesterday afternoon", "2025-13-45T25:61:00Z", "1724194800", "20/08/2025 23:00", "",
        "2025-08-20 23:00:00", "2025-08-20T23:00:00", "2025-02-30T00:00:00Z", "2025-08-20T23:00:00.Z",
        "2025-08-20T23:00:00Zjunk",
    ])
    func rejectsMalformedTimes(text: String) {
        #expect(EventTimeParser.parse(text) == nil)
    }
}
