/// The windows a station's page draws, picked from its data so that every label says exactly what is drawn:
/// the last hour minute by minute (missing minutes left blank, not closed up), the hours of one simulated day,
/// and rain's effect on use compared at the same hours of day.
enum StationWindows {
    static let microsPerMinute: Int64 = 60_000_000
    static let microsPerHour: Int64 = 3_600_000_000
    static let microsPerDay: Int64 = 86_400_000_000

    /// Consecutive minutes ending at the newest one: `slots[i]` is the minute starting at
    /// `startMicros + i` minutes, nil when the station reported nothing in it.
    struct Minutes: Equatable, Sendable {
        var startMicros: Int64
        var slots: [MinutePoint?]

        /// Start of the newest minute.
        var lastMicros: Int64 { startMicros + Int64(max(0, slots.count - 1)) * StationWindows.microsPerMinute }

        /// "Last hour by minute" for 60 minutes, "Last 40 min by minute" for fewer.
        var title: String {
            let span = slots.count == 60 ? "Last hour" : "Last \(slots.count) min"
            return "\(span) by minute, \(Formatting.hourMinute(micros: startMicros))-"
                + "\(Formatting.hourMinute(micros: lastMicros + StationWindows.microsPerMinute)): bikes available / in use"
        }
    }

    /// The last `count` minutes (at most 60) up to the newest minute in `points`; nil without points.
    static func minutes(_ points: [MinutePoint], count: Int) -> Minutes? {
        guard count > 0, let newest = points.map(\.windowStartMicros).max() else { return nil }
        let slots = min(60, count)
        let start = newest - Int64(slots - 1) * microsPerMinute
        var window = Minutes(startMicros: start, slots: Array(repeating: nil, count: slots))
        for point in points where point.windowStartMicros >= start {
            let index = Int((point.windowStartMicros - start) / microsPerMinute)
            // A live Silver minute never replaces a closed Gold one.
            if index < slots, window.slots[index].map({ $0.isLive }) ?? true { window.slots[index] = point }
        }
        return window
    }

    /// The closed hours of one simulated day (UTC), oldest first.
    struct Day: Equatable, Sendable {
        /// Midnight UTC of the day.
        var dayMicros: Int64
        var hours: [HourPoint]

        /// Every hour from the day's first closed hour to its last, nil for an hour without a window (the
        /// station reported nothing in it), so the rows have no silent holes.
        var slots: [(startMicros: Int64, hour: HourPoint?)] {
            guard let first = hours.first?.windowStartMicros, let last = hours.last?.windowStartMicros else {
                return []
            }
            var byStart: [Int64: HourPoint] = [:]
            for hour in hours { byStart[hour.windowStartMicros] = hour }
            return stride(from: first, through: last, by: Int(StationWindows.microsPerHour)).map { ($0, byStart[$0]) }
        }

        /// "By hour 2025-08-20 06:00-10:00: utilisation and weather" for the hours starting at `first` to `last`.
        func title(from first: Int64, to last: Int64) -> String {
            let date = String(Formatting.dateTime(micros: dayMicros).prefix(10))
            let end = last + StationWindows.microsPerHour
            let endText = end - dayMicros >= StationWindows.microsPerDay ? "24:00" : Formatting.hourMinute(micros: end)
            return "By hour \(date) \(Formatting.hourMinute(micros: first))-\(endText): utilisation and weather"
        }
    }

    /// The hours of the day of the newest hour; nil without hours.
    static func latestDay(_ hours: [HourPoint]) -> Day? {
        guard let newest = hours.map(\.windowStartMicros).max() else { return nil }
        let day = floorDiv(newest, microsPerDay) * microsPerDay
        let sameDay = hours.filter { $0.windowStartMicros >= day && $0.windowStartMicros < day + microsPerDay }
        return Day(dayMicros: day, hours: sameDay.sorted { $0.windowStartMicros < $1.windowStartMicros })
    }

    /// Rain's effect on use, like compared with like: only hours of day that had both a wet and a dry hour
    /// count, each hour of day weighs the same, so the commute peaks do not pass for rain's effect.
    struct Rain: Equatable, Sendable {
        /// Mean utilisation (0...1) of the wet and of the dry hours, averaged over the matched hours of day.
        var wet: Double?
        var dry: Double?
        /// Hours the figures rest on, and the hours of day they cover.
        var wetHours: Int
        var dryHours: Int
        var hoursOfDay: Int
        /// Every closed hour with weather, wet or dry, matched or not.
        var allWetHours: Int
        var allDryHours: Int

        /// Wet minus dry, in percentage points; nil until an hour of day has both.
        var points: Int? {
            guard let wet, let dry else { return nil }
            return Int(((wet - dry) * 100).rounded())
        }
    }

    /// Compares the utilisation of wet hours (precipitation > 0) with dry ones at the same UTC hour of day.
    static func rain(_ hours: [HourPoint]) -> Rain {
        var byHourOfDay: [Int: (wet: [Double], dry: [Double])] = [:]
        var allWet = 0
        var allDry = 0
        for hour in hours {
            guard let utilization = hour.utilizationAvg, let precip = hour.precipMm else { continue }
            let hourOfDay = Int(floorDiv(hour.windowStartMicros, microsPerHour) % 24)
            if precip > 0 {
                byHourOfDay[hourOfDay, default: ([], [])].wet.append(utilization)
                allWet += 1
            } else {
                byHourOfDay[hourOfDay, default: ([], [])].dry.append(utilization)
                allDry += 1
            }
        }
        let matched = byHourOfDay.values.filter { !$0.wet.isEmpty && !$0.dry.isEmpty }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        guard !matched.isEmpty else {
            return Rain(
                wet: nil, dry: nil, wetHours: 0, dryHours: 0, hoursOfDay: 0, allWetHours: allWet, allDryHours: allDry)
        }
        return Rain(
            wet: mean(matched.map { mean($0.wet) }), dry: mean(matched.map { mean($0.dry) }),
            wetHours: matched.reduce(0) { $0 + $1.wet.count }, dryHours: matched.reduce(0) { $0 + $1.dry.count },
            hoursOfDay: matched.count, allWetHours: allWet, allDryHours: allDry)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }
}
