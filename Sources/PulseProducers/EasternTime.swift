import PulseCore

/// Local time in Massachusetts (US Eastern, with daylight saving since 2007: second Sunday of
/// March 02:00 EST to first Sunday of November 02:00 EDT), because commuters follow the local clock.
///
/// Caches the current offset interval, so converting a stream of nearby instants costs a compare.
public struct EasternTime: Sendable {
    @usableFromInline var validFrom: Int64 = 1
    @usableFromInline var validUntil: Int64 = 0
    @usableFromInline var offset: Int64 = 0

    /// An empty cache.
    public init() {}

    /// UTC epoch micros shifted to local wall-clock micros (same epoch arithmetic, local fields).
    @inlinable
    public mutating func localMicros(utc: Int64) -> Int64 {
        if utc < validFrom || utc >= validUntil { refresh(utc) }
        return utc + offset
    }

    @usableFromInline
    mutating func refresh(_ utc: Int64) {
        let hour = EventTime.microsPerHour
        // The local year of this instant (EST is good enough to pick the year near New Year).
        let year = EventTime.civilDate(micros: utc - 5 * hour).year
        let dstStart = Int64(Self.nthSunday(year: year, month: 3, n: 2)) * EventTime.microsPerDay + 7 * hour
        let dstEnd = Int64(Self.nthSunday(year: year, month: 11, n: 1)) * EventTime.microsPerDay + 6 * hour
        let yearStart =
            Int64(CivilDate(year: year, month: 1, day: 1).daysSinceEpoch) * EventTime.microsPerDay
            + 5 * hour
        let nextYearStart =
            Int64(CivilDate(year: year + 1, month: 1, day: 1).daysSinceEpoch)
            * EventTime.microsPerDay + 5 * hour
        if utc < dstStart {
            validFrom = yearStart
            validUntil = dstStart
            offset = -5 * hour
        } else if utc < dstEnd {
            validFrom = dstStart
            validUntil = dstEnd
            offset = -4 * hour
        } else {
            validFrom = dstEnd
            validUntil = nextYearStart
            offset = -5 * hour
        }
        if utc < validFrom || utc >= validUntil {
            // Cannot happen for sane inputs; never loop on refresh.
            validFrom = utc
            validUntil = utc + 1
        }
    }

    /// Day number (since 1970-01-01) of the n-th Sunday of a month.
    static func nthSunday(year: Int, month: Int, n: Int) -> Int {
        let first = CivilDate(year: year, month: month, day: 1).daysSinceEpoch
        let toSunday = (7 - EventTime.weekday(daysSinceEpoch: first)) % 7
        return first + toSunday + 7 * (n - 1)
    }
}
