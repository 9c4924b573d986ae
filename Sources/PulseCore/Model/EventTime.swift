/// Timestamps and dates as text: event_time in the producers' wire form (UTC, whole seconds,
/// "YYYY-MM-DDTHH:MM:SSZ", Python's `strftime("%Y-%m-%dT%H:%M:%SZ")` in the original), and the forms Delta
/// uses in partition values and statistics. Parsing is `EventTimeParser`'s; the calendar is `CivilDate`'s.
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

    // MARK: Delta's text forms (partition values, statistics)

    /// "YYYY-MM-DD" for a DATE value (days since the epoch).
    public static func dateString(days: Int64) -> String {
        let date = CivilDate(daysSinceEpoch: Int(days))
        return pad(Int64(date.year), 4) + "-" + pad(Int64(date.month), 2) + "-" + pad(Int64(date.day), 2)
    }

    /// ISO-8601 UTC text of a TIMESTAMP value in microseconds, as Delta statistics carry it:
    /// "2025-08-20T12:00:00Z", "...:00.123Z" when whole milliseconds, else "...:00.123456Z" (exact).
    public static func timestampString(micros: Int64) -> String {
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        var text =
            dateString(days: days) + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2)
            + ":" + pad(secondOfDay % 60, 2)
        if fraction != 0 {
            text += fraction % 1000 == 0 ? "." + pad(fraction / 1000, 3) : "." + pad(fraction, 6)
        }
        return text + "Z"
    }

    /// Partition-value text of a TIMESTAMP (PROTOCOL.md § Partition Value Serialization, ISO-8601 UTC form).
    public static func partitionTimestampString(micros: Int64) -> String {
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        return dateString(days: days) + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2)
            + ":" + pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    /// Parses "YYYY-MM-DD" (a DATE partition value) into days since the epoch.
    public static func parseDate(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        let date = CivilDate(year: year, month: month, day: day)
        return date.isValid ? Int64(date.daysSinceEpoch) : nil
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value < 0 ? -value : value)
        let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        return value < 0 ? "-" + padded : padded
    }
}
