/// The table properties (`metaData.configuration`) that table maintenance reads, with Delta's defaults
/// (PROTOCOL.md § Table Properties; Delta's `DeltaConfigs`).
public enum TableProperties {
    /// How long a removed data file stays on storage for readers of older versions; VACUUM's default retention.
    public static let deletedFileRetentionKey = "delta.deletedFileRetentionDuration"
    /// How long commits and checkpoints stay in `_delta_log` (time travel reaches this far back).
    public static let logRetentionKey = "delta.logRetentionDuration"
    /// "false" turns the automatic removal of expired log files off.
    public static let expiredLogCleanupKey = "delta.enableExpiredLogCleanup"

    /// "interval 1 week": Delta's default for `delta.deletedFileRetentionDuration`.
    public static let defaultDeletedFileRetentionMillis: Int64 = 7 * 86_400_000
    /// "interval 30 days": Delta's default for `delta.logRetentionDuration`.
    public static let defaultLogRetentionMillis: Int64 = 30 * 86_400_000

    /// The duration a property holds, its default when absent, and an error naming the property when
    /// it is no interval (maintenance on a misread retention could delete what a reader still needs).
    static func duration(
        _ key: String, in configuration: [String: String], default fallback: Int64, table: String
    ) throws -> Int64 {
        guard let text = configuration[key] else { return fallback }
        guard let millis = DeltaInterval.milliseconds(text) else {
            throw DeltaError(
                code: .invalidLog, table: table,
                message: "table property \(key) = '\(text)' is not an interval like 'interval 7 days'")
        }
        return millis
    }
}

extension MetadataAction {
    /// `delta.deletedFileRetentionDuration` in milliseconds (default 7 days); throws when it is no interval.
    public func deletedFileRetentionMillis(table: String = "") throws -> Int64 {
        try TableProperties.duration(
            TableProperties.deletedFileRetentionKey, in: configuration,
            default: TableProperties.defaultDeletedFileRetentionMillis, table: table)
    }

    /// `delta.logRetentionDuration` in milliseconds (default 30 days); throws when it is no interval.
    public func logRetentionMillis(table: String = "") throws -> Int64 {
        try TableProperties.duration(
            TableProperties.logRetentionKey, in: configuration, default: TableProperties.defaultLogRetentionMillis,
            table: table)
    }

    /// False only when `delta.enableExpiredLogCleanup` is "false" (any case), as in Delta.
    public var expiredLogCleanupEnabled: Bool {
        configuration[TableProperties.expiredLogCleanupKey]?.lowercased() != "false"
    }
}

/// Delta's interval syntax for durations in table properties (Spark's CalendarInterval text):
/// `interval 7 days`, `interval 1 week 12 hours`, `168 hours`; units week, day, hour, minute, second,
/// millisecond and microsecond, singular or plural, any case. Months and years have no fixed length,
/// so Delta refuses them for retentions, and so does this.
public enum DeltaInterval {
    private static let unitMillis: [(names: [String], millis: Int64)] = [
        (["week", "weeks"], 7 * 86_400_000),
        (["day", "days"], 86_400_000),
        (["hour", "hours"], 3_600_000),
        (["minute", "minutes", "min", "mins"], 60_000),
        (["second", "seconds", "sec", "secs"], 1000),
        (["millisecond", "milliseconds", "ms"], 1),
    ]

    /// The interval in milliseconds (microseconds rounded down), or nil when `text` is not one.
    public static func milliseconds(_ text: String) -> Int64? {
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.first == "interval" { words.removeFirst() }
        guard !words.isEmpty, words.count % 2 == 0 else { return nil }
        var totalMicros: Int64 = 0
        for index in stride(from: 0, to: words.count, by: 2) {
            guard let count = Int64(words[index]), count >= 0 else { return nil }
            let unit = words[index + 1]
            let micros: Int64
            if unit == "microsecond" || unit == "microseconds" {
                micros = 1
            } else if let entry = unitMillis.first(where: { $0.names.contains(unit) }) {
                micros = entry.millis * 1000
            } else {
                return nil
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: micros)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = totalMicros.addingReportingOverflow(product)
            guard !sumOverflow else { return nil }
            totalMicros = sum
        }
        return totalMicros / 1000
    }
}
