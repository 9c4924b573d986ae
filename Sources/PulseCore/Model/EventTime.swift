/// A proleptic Gregorian calendar date (UTC), for event_time formatting and `dt` partitions.
public struct CivilDate: Sendable, Hashable, Comparable {
    /// Year, e.g. 2025.
    public let year: Int
    /// Month 1...12.
    public let month: Int
    /// Day of month 1...31.
    public let day: Int

    /// Creates a date from its parts (not validated; use `isValid`).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    @inlinable
    public init(daysSinceEpoch days: Int) {
        // H. Hinnant's civil_from_days: eras of 400 years starting on March 1st.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days from 1970-01-01 to this date (the Delta/Parquet DATE value).
    @inlinable
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Day of the week, 0 = Sunday ... 6 = Saturday.
    @inlinable
    public var weekday: Int { EventTime.weekday(daysSinceEpoch: daysSinceEpoch) }

    /// True when month and day exist in that year.
    public var isValid: Bool {
        guard month >= 1, month <= 12, day >= 1 else { return false }
        return day <= CivilDate.daysInMonth(year: year, month: month)
    }

    /// Number of days of a month (leap years included).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// "YYYY-MM-DD", the form of a `dt` partition value.
    public var isoString: String {
        var out: [UInt8] = []
        out.reserveCapacity(10)
        EventTime.appendDate(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// event_time in the producers' wire form: UTC, whole seconds, "YYYY-MM-DDTHH:MM:SSZ"
/// (Python's `strftime("%Y-%m-%dT%H:%M:%SZ")` in the original), from epoch microseconds.
public enum EventTime {
    /// Microseconds per second, minute, hour and day.
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerMinute: Int64 = 60_000_000
    public static let microsPerHour: Int64 = 3_600_000_000
    public static let microsPerDay: Int64 = 86_400_000_000

    /// Length of the formatted form, "2025-08-20T23:00:00Z".
    public static let formattedLength = 20

    /// Floor division of epoch micros into whole days since 1970-01-01.
    @inlinable
    public static func daysSinceEpoch(micros: Int64) -> Int {
        let d = micros / microsPerDay
        return Int(micros % microsPerDay < 0 ? d - 1 : d)
    }

    /// UTC calendar date of an instant.
    @inlinable
    public static func civilDate(micros: Int64) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch(micros: micros))
    }

    /// Day of week (0 = Sunday) of a day number; 1970-01-01 was a Thursday.
    @inlinable
    public static func weekday(daysSinceEpoch days: Int) -> Int {
        let w = (days + 4) % 7
        return w < 0 ? w + 7 : w
    }

    /// Formats epoch micros as "YYYY-MM-DDTHH:MM:SSZ" (sub-second part truncated toward the past).
    public static func format(micros: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(formattedLength)
        append(micros: micros, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 20-byte form of `micros` to `out`, without allocating beyond `out`'s growth.
    @inlinable
    public static func append(micros: Int64, to out: inout [UInt8]) {
        let days = daysSinceEpoch(micros: micros)
        let secondOfDay = Int((micros - Int64(days) * microsPerDay) / microsPerSecond)
        appendDate(CivilDate(daysSinceEpoch: days), to: &out)
        out.append(UInt8(ascii: "T"))
        appendTwoDigits(secondOfDay / 3600, to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay / 60 % 60, to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay % 60, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    @inlinable
    static func appendDate(_ date: CivilDate, to out: inout [UInt8]) {
        let y = date.year
        out.append(UInt8(truncatingIfNeeded: 48 + y / 1000 % 10))
        out.append(UInt8(truncatingIfNeeded: 48 + y / 100 % 10))
        out.append(UInt8(truncatingIfNeeded: 48 + y / 10 % 10))
        out.append(UInt8(truncatingIfNeeded: 48 + y % 10))
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(date.month, to: &out)
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(date.day, to: &out)
    }

    @inlinable
    static func appendTwoDigits(_ v: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: 48 + v / 10))
        out.append(UInt8(truncatingIfNeeded: 48 + v % 10))
    }

    /// Epoch micros of an ISO-8601 date-time with a `Z` or `±HH:MM` offset and optional fraction
    /// ("2025-08-20T23:00:00Z", "2025-08-20T19:00:00.25-04:00"), or nil when not of that form or
    /// out of range. The producers' own form is the `Z`, whole-second case.
    public static func parseMicros(utf8 bytes: UnsafeRawBufferPointer) -> Int64? {
        let n = bytes.count
        guard n >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var v = 0
            for i in at..<(at + count) {
                let d = Int(bytes[i]) &- 48
                guard d >= 0, d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = digits(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = digits(17, 2)
        else { return nil }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid, hour <= 23, minute <= 59, second <= 59 else { return nil }
        var i = 19
        var fractionMicros: Int64 = 0
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            var scale: Int64 = 100_000
            let start = i
            while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                fractionMicros += Int64(bytes[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start, i < n else { return nil }
        }
        var offsetSeconds = 0
        if bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z") {
            i += 1
        } else if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            guard i + 6 == n, let oh = digits(i + 1, 2), bytes[i + 3] == UInt8(ascii: ":"),
                let om = digits(i + 4, 2), oh <= 23, om <= 59
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (bytes[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let seconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            - Int64(offsetSeconds)
        return seconds * microsPerSecond + fractionMicros
    }

    /// `parseMicros(utf8:)` for a String.
    public static func parseMicros(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { parseMicros(utf8: UnsafeRawBufferPointer($0)) }
    }
}
