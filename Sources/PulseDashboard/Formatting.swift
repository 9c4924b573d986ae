/// Short, fixed-width renderings of numbers, sizes, times and durations, so columns stay aligned as the
/// lakehouse grows from hundreds to millions of rows.
enum Formatting {
    /// 0, 999, 1.2k, 12.3k, 123k, 1.2M, 1.2G.
    static func count(_ value: Int64) -> String {
        let magnitude = value.magnitude
        let sign = value < 0 ? "-" : ""
        if magnitude < 1000 { return "\(value)" }
        return sign + scaled(Double(magnitude), base: 1000, units: ["k", "M", "G", "T"], space: false)
    }

    /// Events per second: 0, 0.4, 12.3, 456, 1.2k.
    static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond > 0 else { return "0" }
        if perSecond < 9.95 { return fixed(perSecond, decimals: 1) }
        if perSecond < 1000 { return "\(Int(perSecond.rounded()))" }
        return scaled(perSecond, base: 1000, units: ["k", "M", "G"], space: false)
    }

    /// 512B, 1.2KB, 3.4MB, 1.1GB (powers of 1024).
    static func bytes(_ value: Int64) -> String {
        if value < 1024 { return "\(max(0, value))B" }
        return scaled(Double(value), base: 1024, units: ["KB", "MB", "GB", "TB"], space: false)
    }

    /// 850us, 12ms, 1.2s, 42s, 2m05s, 1h02m.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 0.001 { return "\(Int((seconds * 1_000_000).rounded()))us" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 10 { return fixed(seconds, decimals: 1) + "s" }
        if seconds < 60 { return "\(Int(seconds))s" }
        let total = Int(seconds)
        if total < 3600 { return "\(total / 60)m" + twoDigits(total % 60) + "s" }
        return "\(total / 3600)h" + twoDigits(total % 3600 / 60) + "m"
    }

    /// Elapsed wall time as 00:01:23 (hours grow past 99 if they must).
    static func uptime(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        return twoDigits(Int(s / 3600)) + ":" + twoDigits(Int(s % 3600 / 60)) + ":" + twoDigits(Int(s % 60))
    }

    /// 57%, or a dash when unknown.
    static func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "-" }
        return "\(Int((fraction * 100).rounded()))%"
    }

    /// A temperature with one decimal: 18.2°C (18.2C in ASCII).
    static func temperature(_ celsius: Double?, degree: String) -> String {
        guard let celsius, celsius.isFinite else { return "-" }
        return fixed(celsius, decimals: 1) + degree + "C"
    }

    /// `value` with a fixed number of decimals, without Foundation's formatters.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let scaledValue = (abs(value) * factor).rounded()
        let whole = Int64(scaledValue / factor)
        let sign = value < 0 && scaledValue > 0 ? "-" : ""
        guard decimals > 0 else { return sign + "\(whole)" }
        var fraction = String(Int64(scaledValue) - whole * Int64(factor))
        while fraction.count < decimals { fraction = "0" + fraction }
        return sign + "\(whole).\(fraction)"
    }

    /// UTC date and time of epoch microseconds: 2024-05-01 14:03:22.
    static func dateTime(micros: Int64) -> String {
        let civil = CivilTime(micros: micros)
        return "\(civil.year)-" + twoDigits(civil.month) + "-" + twoDigits(civil.day) + " " + timeOfDay(micros: micros)
    }

    /// UTC time of day: 14:03:22.
    static func timeOfDay(micros: Int64) -> String {
        let civil = CivilTime(micros: micros)
        return twoDigits(civil.hour) + ":" + twoDigits(civil.minute) + ":" + twoDigits(civil.second)
    }

    /// UTC hour and minute: 14:00.
    static func hourMinute(micros: Int64) -> String {
        let civil = CivilTime(micros: micros)
        return twoDigits(civil.hour) + ":" + twoDigits(civil.minute)
    }

    /// `text` in lines of at most `width` columns, broken between words (a word longer than a line is cut), at
    /// most `lines` of them; the last keeps the rest, which the canvas ends with an ellipsis when it does not fit.
    static func wrapWords(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 0, lines > 0 else { return [] }
        var result: [String] = []
        var current = ""
        var words = text.split(separator: " ").map(String.init)[...]
        while let word = words.first {
            if result.count == lines - 1 {
                result.append(([current] + words).filter { !$0.isEmpty }.joined(separator: " "))
                return result
            }
            let candidate = current.isEmpty ? word : current + " " + word
            if candidate.count <= width {
                current = candidate
                words.removeFirst()
            } else if current.isEmpty {
                result.append(String(word.prefix(width)))
                words[words.startIndex] = String(word.dropFirst(width))
            } else {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 && value >= 0 ? "0\(value)" : "\(value)"
    }

    private static func scaled(_ value: Double, base: Double, units: [String], space: Bool) -> String {
        var amount = value / base
        var index = 0
        // Round first, so 999.96k shows as 1.0M, not 1000k.
        while index < units.count - 1, (amount >= 100 ? amount.rounded() : (amount * 10).rounded() / 10) >= base {
            amount /= base
            index += 1
        }
        let number = amount >= 100 ? "\(Int(amount.rounded()))" : fixed(amount, decimals: 1)
        return number + (space ? " " : "") + units[index]
    }
}

/// UTC calendar fields of an epoch-microsecond instant (days-from-civil inverse, proleptic Gregorian).
struct CivilTime: Equatable, Sendable {
    let year: Int
    let month: Int
    let day: Int
    let hour: Int
    let minute: Int
    let second: Int

    init(micros: Int64) {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    }
}
