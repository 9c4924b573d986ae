import Testing

@testable import PulseCore

@Suite struct EventTimeFormsTests {
    @Test func datesAndTimestamps() {
        #expect(EventTime.dateString(days: 0) == "1970-01-01")
        #expect(EventTime.dateString(days: -1) == "1969-12-31")
        #expect(EventTime.dateString(days: 11016) == "2000-02-29")
        #expect(EventTime.parseDate("2025-08-20") == Int64(day20))
        #expect(EventTime.dateString(days: Int64(day20)) == "2025-08-20")
        #expect(EventTime.timestampString(micros: noon20) == "2025-08-20T12:00:00Z")
        #expect(EventTime.timestampString(micros: noon20 + 123_000) == "2025-08-20T12:00:00.123Z")
        #expect(EventTime.timestampString(micros: noon20 + 123_456) == "2025-08-20T12:00:00.123456Z")
        #expect(EventTime.timestampString(micros: -1) == "1969-12-31T23:59:59.999999Z")
        #expect(EventTime.partitionTimestampString(micros: 0) == "1970-01-01T00:00:00.000000Z")
    }

    @Test func uuidsAreVersion4() {
        let id = UUIDString.random()
        #expect(id.count == 36)
        let parts = id.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
        #expect("89ab".contains(parts[3].first!))
        #expect(UUIDString.random() != id)
    }
}
