import Testing

@testable import PulseCore

@Suite struct EventTimeParserTests {
    /// 2025-08-20T23:00:00Z in microseconds.
    static let base: Int64 = 1_755_730_800_000_000

    @Test(
        arguments: [
            ("2025-08-20T23:00:00Z", base),
            ("2025-08-20t23:00:00z", base),
            ("2025-08-20T23:00:00+00:00", base),
            ("2025-08-20T23:00:00-00:00", base),
            ("2025-08-21T01:00:00+02:00", base),
            ("2025-08-21T01:00:00+0200", base),
            ("2025-08-20T19:00:00-04:00", base),
            ("2025-08-21T04:30:00+05:30", base),
            ("2025-08-20T23:00:00.5Z", base + 500_000),
            ("2025-08-20T23:00:00.123456Z", base + 123_456),
            ("2025-08-20T23:00:00.123456789Z", base + 123_456),
            ("2025-08-20T23:00:00.000001Z", base + 1),
            ("2025-08-20T23:00:00.1+01:00", base - 3_600_000_000 + 100_000),
            ("1970-01-01T00:00:00Z", 0),
            ("1969-12-31T23:59:59.999999Z", -1),
            ("1970-01-01T00:00:00+00:01", -60_000_000),
            ("2024-02-29T12:00:00Z", 1_709_208_000_000_000),
            ("2000-02-29T00:00:00Z", 951_782_400_000_000),
            ("2025-12-31T23:59:59Z", 1_767_225_599_000_000),
            ("2026-01-01T00:30:00+01:00", 1_767_223_800_000_000),
            ("2025-12-31T20:30:00-03:30", 1_767_225_600_000_000),
            ("0000-01-01T00:00:00Z", -62_167_219_200_000_000),
            ("9999-12-31T23:59:59Z", 253_402_300_799_000_000),
        ] as [(String, Int64)])
    func parsesValidTimestamps(_ text: String, _ micros: Int64) {
        #expect(EventTimeParser.parse(text) == micros, "\(text)")
    }

    @Test(arguments: [
        "", "yesterday afternoon", "2025-08-20", "2025-08-20T23:00:00", "2025-08-20T23:00Z", "2025-08-20 23:00:00Z",
        "2025-02-29T00:00:00Z", "2025-02-30T00:00:00Z", "2024-02-30T00:00:00Z", "1900-02-29T00:00:00Z",
        "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z", "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z",
        "2025-08-20T24:00:00Z", "2025-08-20T23:60:00Z", "2025-08-20T23:59:60Z", "2025-08-20T23:00:00.Z",
        "2025-08-20T23:00:00.1234567890Z", "2025-08-20T23:00:00+24:00", "2025-08-20T23:00:00+01:60",
        "2025-08-20T23:00:00+01", "2025-08-20T23:00:00+1:00", "2025-08-20T23:00:00+01:0", "2025-08-20T23:00:00ZZ",
        "2025-08-20T23:00:00Z ", " 2025-08-20T23:00:00Z", "2025/08/20T23:00:00Z", "25-08-20T23:00:00Z",
        "2025-8-20T23:00:00Z", "2025-08-20T23:00:00UTC", "+2025-08-20T23:00:00Z", "2025-08-20T23:00:00,5Z",
        "2025-08-20T23:00:00+01:00:00", "2025-08-20T23:00:0aZ",
    ])
    func rejectsInvalidTimestamps(_ text: String) {
        #expect(EventTimeParser.parse(text) == nil, "\(text)")
    }

    @Test func civilDayFloorsAcrossMidnightAndBeforeEpoch() {
        #expect(EventTimeParser.civilDay(0) == 0)
        #expect(EventTimeParser.civilDay(-1) == -1)
        #expect(EventTimeParser.civilDay(EventTimeParser.microsPerDay - 1) == 0)
        #expect(EventTimeParser.civilDay(EventTimeParser.microsPerDay) == 1)
        #expect(EventTimeParser.civilDay(-EventTimeParser.microsPerDay) == -1)
        #expect(EventTimeParser.civilDay(-EventTimeParser.microsPerDay - 1) == -2)
        // 2025-08-21T01:00:00+02:00 is still 2025-08-20 in UTC.
        let micros = EventTimeParser.parse("2025-08-21T01:00:00+02:00")!
        let day = EventTimeParser.civilDay(micros)
        #expect(CivilDate(daysSinceEpoch: Int(day)) == CivilDate(year: 2025, month: 8, day: 20))
        let after = EventTimeParser.parse("2025-08-20T23:30:00-01:00")!
        #expect(
            CivilDate(daysSinceEpoch: Int(EventTimeParser.civilDay(after))) == CivilDate(year: 2025, month: 8, day: 21))
    }

    @Test func civilConversionsRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(CivilDate(year: date.year, month: date.month, day: date.day).daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 2025, month: 8, day: 20).daysSinceEpoch == 20320)
        #expect(CivilDate(year: 2000, month: 3, day: 1).daysSinceEpoch == 11017)
    }

    @Test func agreesWithALinearDayCountOverLeapYears() {
        // Walk every day of 1999-2101 with an independent day counter.
        var expected = CivilDate(year: 1999, month: 1, day: 1).daysSinceEpoch
        for year in 1999...2101 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            for month in 1...12 {
                for day in 1...lengths[month - 1] {
                    let text = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T12:00:00Z"
                    let micros = EventTimeParser.parse(text)
                    if micros != Int64(expected) * EventTimeParser.microsPerDay + 43_200_000_000 {
                        Issue.record("\(text) -> \(String(describing: micros))")
                        return
                    }
                    expected += 1
                }
                let invalid = "\(year)-\(month < 10 ? "0" : "")\(month)-\(lengths[month - 1] + 1)T12:00:00Z"
                #expect(EventTimeParser.parse(invalid) == nil, "\(invalid)")
            }
        }
    }
}
