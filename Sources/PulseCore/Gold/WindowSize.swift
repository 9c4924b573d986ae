/// Tumbling window lengths of the Gold tables; windows are UTC-aligned, [start, start + length).
public enum WindowSize: UInt8, Sendable, CaseIterable, Comparable {
    case minute = 1, hour = 2, day = 3

    /// Length in microseconds.
    public var micros: Int64 {
        switch self {
        case .minute: return 60_000_000
        case .hour: return 3_600_000_000
        case .day: return 86_400_000_000
        }
    }

    /// Start of the window holding `eventTime` (floor, also before 1970).
    @inline(__always)
    public func windowStart(of eventTime: Int64) -> Int64 {
        let length = micros
        let remainder = eventTime % length
        return remainder >= 0 ? eventTime - remainder : eventTime - remainder - length
    }

    /// The `dt` of a Gold row: date of window_start for minute windows (gold/bike_minute),
    /// date of window_end for hourly and daily ones (ARCHITECTURE.md, Tables).
    public func dt(windowStart: Int64) -> Int32 {
        EventTimeParser.civilDay(self == .minute ? windowStart : windowStart + micros)
    }

    /// Minute < hour < day.
    public static func < (a: WindowSize, b: WindowSize) -> Bool { a.rawValue < b.rawValue }
}
