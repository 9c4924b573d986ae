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
