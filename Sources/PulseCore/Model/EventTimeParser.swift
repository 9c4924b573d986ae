/// Reads `event_time` values (RFC 3339 timestamps, the ISO-8601 profile producers write) into
/// microseconds since the Unix epoch, UTC, without Foundation, and maps them to calendar days
/// for the `dt` partition column.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM|+HHMM|-HHMM)`.
/// - `T` and `Z` may be lower case (RFC 3339 § 5.6 note); a space instead of `T` is rejected.
/// - The fraction has 1 to 9 digits; digits past microseconds are truncated (toward the past).
/// - Dates must exist (no Feb 30, Feb 29 only in leap years); hours 00-23, minutes and
///   seconds 00-59 (leap second 60 is rejected: UTC timestamps in microseconds cannot hold it),
///   offsets up to ±23:59. Years 0000-9999.
/// - No offset at all (a local time) is rejected: the architecture requires `Z` or an offset.
public enum EventTimeParser {
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerDay: Int64 = 86_400_000_000

    /// Microseconds since 1970-01-01T00:00:00Z, or nil when `text` is not an accepted timestamp.
    @inline(__always)
    public static func parse(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard let raw = text.baseAddress else { return nil }
        return parse(raw.assumingMemoryBound(to: UInt8.self), count: text.count)
    }

    /// Same as `parse(_:)`, for a string (tests, configuration; not the hot path).
    public static func parse(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, count n: Int) -> Int64? {
        // Shortest form: 2025-08-20T23:00:00Z (20 bytes).
        guard n >= 20, n <= 40 else { return nil }
        guard let year = digits(p, 0, 4), p[4] == UInt8(ascii: "-"),
            let month = digits(p, 5, 2), p[7] == UInt8(ascii: "-"),
            let day = digits(p, 8, 2), p[10] | 0x20 == UInt8(ascii: "t"),
            let hour = digits(p, 11, 2), p[13] == UInt8(ascii: ":"),
            let minute = digits(p, 14, 2), p[16] == UInt8(ascii: ":"),
            let second = digits(p, 17, 2)
        else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var i = 19
        var fractionMicros: Int64 = 0
        if p[i] == UInt8(ascii: ".") {
            i += 1
            var digitCount = 0
            while i < n, p[i] &- UInt8(ascii: "0") < 10 {
                if digitCount < 6 { fractionMicros = fractionMicros * 10 + Int64(p[i] &- UInt8(ascii: "0")) }
                digitCount += 1
                i += 1
            }
            guard digitCount >= 1, digitCount <= 9 else { return nil }
            var scale = digitCount
            while scale < 6 {
                fractionMicros *= 10
                scale += 1
            }
        }
        guard i < n else { return nil }
        var offsetSeconds: Int64 = 0
        let zone = p[i]
        if zone | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
            guard let offsetHour = digits(p, i + 1, 2, limit: n) else { return nil }
            var minutesAt = i + 3
            if minutesAt < n, p[minutesAt] == UInt8(ascii: ":") { minutesAt += 1 }
            guard let offsetMinute = digits(p, minutesAt, 2, limit: n), offsetHour <= 23, offsetMinute <= 59 else {
                return nil
            }
            offsetSeconds = Int64(offsetHour * 3600 + offsetMinute * 60)
            if zone == UInt8(ascii: "-") { offsetSeconds = -offsetSeconds }
            i = minutesAt + 2
        } else {
            return nil
        }
        guard i == n else { return nil }
        let days = Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        return seconds * microsPerSecond + fractionMicros
    }

    /// `count` ASCII digits at `offset` as a number; nil if any is not a digit or past `limit`.
    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ offset: Int, _ count: Int, limit: Int = .max) -> Int? {
        guard offset + count <= limit else { return nil }
        var value = 0
        for i in offset..<(offset + count) {
            let d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    /// The `dt` column: UTC calendar day (days since 1970-01-01) of a timestamp in microseconds.
    @inline(__always)
    public static func civilDay(_ micros: Int64) -> Int32 {
        let day = micros >= 0 ? micros / microsPerDay : (micros + 1) / microsPerDay - 1
        return Int32(truncatingIfNeeded: day)
    }
}
