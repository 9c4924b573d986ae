import Foundation
import PulseCore

/// Every setting of a run, resolved once: flags over environment over `.env` over defaults, with the
/// original stack's variable names. Values are validated here so a bad one stops the run before anything starts.
struct PulseConfiguration: Sendable {
    /// Kafka bootstrap servers; nil means the embedded broker.
    var brokers: String?
    var bikeTopic = "bike"
    var weatherTopic = "weather"
    var partitions = 3
    var lakehouse = "./lakehouse"
    var s3Endpoint: String?
    var s3Region = "us-east-1"
    var s3Addressing: S3Configuration.Addressing?
    var s3CreateBucket = false
    var accessKeyID: String?
    var secretAccessKey: String?
    /// Wall-clock seconds between events, each for a station of 30 chosen at random as the original producers
    /// did: 50 bike events a second put every station on the map within a second or two, 10 weather events a
    /// second give each a reading every few seconds.
    var bikeInterval = 0.02
    var weatherInterval = 0.1
    var trigger = 2.0
    /// Seconds between background compaction rounds; 0 turns compaction off.
    var compactionInterval = 5.0
    /// Simulated seconds per wall second: an hour a minute, so a Gold hour closes every minute.
    var speed = 60.0
    var seed: UInt64?
    var startMicros: Int64?
    var badRecordShare = 0.0
    var duration: Double?
    var logDirectory = "./logs"
    var logFormat = LogFormat.text

    /// Resolves `options` against `environment` and the `.env` values (environment wins over `.env`). Only the
    /// groups `options` names are read: the rest keep their defaults.
    static func resolve(options: ConfigurationInput, environment: [String: String], dotEnv: [String: String]) throws
        -> PulseConfiguration
    {
        let source = dotEnv.merging(environment) { $1 }
        func pick(_ flag: String?, _ flagName: String, _ variables: [String]) -> (value: String, origin: String)? {
            if let flag { return (flag, "--\(flagName)") }
            for name in variables { if let value = source[name], !value.isEmpty { return (value, name) } }
            return nil
        }
        var config = PulseConfiguration()
        let groups = options.groups
        if groups.contains(.broker),
            let (value, origin) = pick(
                options.brokers, "brokers", ["REDPANDA_BROKERS", "KAFKA_BROKER", "KAFKA_BROKERS"])
        {
            config.brokers = try parseBrokers(value, origin: origin)
        }
        if let topic = source["KAFKA_TOPIC_BIKE"] ?? source["BIKE_TOPIC"], !topic.isEmpty { config.bikeTopic = topic }
        if let topic = source["KAFKA_TOPIC_WEATHER"] ?? source["WEATHER_TOPIC"], !topic.isEmpty {
            config.weatherTopic = topic
        }
        if groups.contains(.partitions),
            let (value, origin) = pick(options.partitions, "partitions", ["PULSE_PARTITIONS"])
        {
            config.partitions = try parseInt(value, origin: origin, range: 1...1000)
        }
        if groups.contains(.lakehouse) { try config.resolveLakehouse(options, pick: pick, source: source) }
        if groups.contains(.producers) { try config.resolveProducers(options, pick: pick) }
        if groups.contains(.engine) { try config.resolveEngine(options, pick: pick) }
        if groups.contains(.process) { try config.resolveProcess(options, pick: pick) }
        return config
    }

    /// A flag's value, else the first non-empty variable's, with where it came from (for messages).
    typealias Pick = (_ flag: String?, _ flagName: String, _ variables: [String]) -> (value: String, origin: String)?

    private mutating func resolveLakehouse(_ options: ConfigurationInput, pick: Pick, source: [String: String]) throws {
        if let (value, origin) = pick(options.lakehouse, "lakehouse", ["PULSE_LAKEHOUSE"]) {
            guard !value.isEmpty else { throw ConfigError(.invalidValue, "--lakehouse: empty path") }
            if value.hasPrefix("s3://"), S3Configuration.parseLakehouseURL(value) == nil {
                throw ConfigError(
                    .invalidValue, "\(origin): '\(value)' is not s3://BUCKET[/PREFIX] with a valid bucket name")
            }
            lakehouse = value
        } else if let bucket = source["S3_BUCKET"], !bucket.isEmpty {
            // The original stack named only the bucket; its tables lived at the bucket's root.
            guard S3Configuration.isValidBucketName(bucket) else {
                throw ConfigError(.invalidValue, "S3_BUCKET: '\(bucket)' is not a valid bucket name")
            }
            lakehouse = "s3://\(bucket)"
        }
        if let (value, origin) = pick(options.s3Endpoint, "s3-endpoint", ["S3_ENDPOINT", "AWS_ENDPOINT_URL"]) {
            guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw ConfigError(.invalidValue, "\(origin): '\(value)' is not an http(s) URL")
            }
            s3Endpoint = value
        }
        if let (value, origin) = pick(options.s3Region, "s3-region", ["AWS_REGION", "AWS_DEFAULT_REGION", "S3_REGION"])
        {
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw ConfigError(.invalidValue, "\(origin): '\(value)' is not a region like us-east-1")
            }
            s3Region = value
        }
        if let (value, origin) = pick(options.s3Addressing, "s3-addressing", ["S3_ADDRESSING_STYLE"]) {
            guard let addressing = S3Configuration.Addressing(rawValue: value) else {
                throw ConfigError(.invalidValue, "\(origin): '\(value)' must be 'path' or 'virtual'")
            }
            s3Addressing = addressing
        }
        accessKeyID = pick(options.s3AccessKey, "s3-access-key", ["AWS_ACCESS_KEY_ID", "S3_ACCESS_KEY"])?.value
        secretAccessKey =
            pick(options.s3SecretKey, "s3-secret-key", ["AWS_SECRET_ACCESS_KEY", "S3_SECRET_KEY"])?.value
    }

    private mutating func resolveProducers(_ options: ConfigurationInput, pick: Pick) throws {
        if let (value, origin) = pick(options.bikeInterval, "bike-interval", ["BIKE_INTERVAL_SEC"]) {
            bikeInterval = try Self.parseNumber(value, origin: origin, in: Limits.interval)
        }
        if let (value, origin) = pick(options.weatherInterval, "weather-interval", ["WEATHER_INTERVAL_SEC"]) {
            weatherInterval = try Self.parseNumber(value, origin: origin, in: Limits.interval)
        }
        if let (value, origin) = pick(options.speed, "speed", ["PULSE_SPEED"]) {
            speed = try Self.parseNumber(value, origin: origin, in: Limits.speed)
        }
        if let (value, origin) = pick(options.seed, "seed", ["PULSE_SEED"]) {
            guard let seed = UInt64(value) else {
                throw ConfigError(.invalidValue, "\(origin): '\(value)' is not a non-negative integer")
            }
            self.seed = seed
        }
        if let (value, origin) = pick(options.start, "start", ["PULSE_START"]) {
            // The one ISO-8601 parser (Silver's event_time rules), and a time Silver would accept.
            guard let micros = EventTimeParser.parse(value), (0..<7_258_118_400_000_000).contains(micros) else {
                throw ConfigError(
                    .invalidValue,
                    "\(origin): '\(value)' is not an ISO-8601 time from 1970 to 2199 like 2025-08-20T06:00:00Z")
            }
            startMicros = micros / 1_000_000 * 1_000_000
        }
        if let (value, origin) = pick(options.badRecords, "bad-records", ["PULSE_BAD_RECORDS"]) {
            guard let share = Double(value), share >= 0, share <= 1 else {
                throw ConfigError(.invalidValue, "\(origin): '\(value)' is not a share between 0 and 1")
            }
            badRecordShare = share
        }
    }

    private mutating func resolveEngine(_ options: ConfigurationInput, pick: Pick) throws {
        if let (value, origin) = pick(options.trigger, "trigger", ["PULSE_TRIGGER_SEC"]) {
            trigger = try Self.parseNumber(value, origin: origin, in: Limits.trigger)
        }
        if let (value, origin) = pick(
            options.compactionInterval, "compaction-interval", ["PULSE_COMPACTION_INTERVAL"])
        {
            compactionInterval = value == "0" ? 0 : try Self.parseNumber(value, origin: origin, in: Limits.trigger)
        }
        s3CreateBucket = options.s3CreateBucket
    }

    private mutating func resolveProcess(_ options: ConfigurationInput, pick: Pick) throws {
        if let (value, origin) = pick(options.duration, "duration", ["PULSE_DURATION"]) {
            duration = try Self.parseNumber(value, origin: origin, in: Limits.duration)
        }
        if let (value, _) = pick(options.logDirectory, "log-dir", ["PULSE_LOG_DIR"]) { logDirectory = value }
        if let (value, origin) = pick(options.logFormat, "log-format", ["PULSE_LOG_FORMAT"]) {
            guard let format = LogFormat(rawValue: value) else {
                throw ConfigError(.invalidValue, "\(origin): '\(value)' must be 'text' or 'json'")
            }
            logFormat = format
        }
    }

    /// `host:port[,host:port...]`, each port 1-65535.
    static func parseBrokers(_ text: String, origin: String) throws -> String {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        for entry in entries {
            var hostPort = Substring(entry)
            if let scheme = hostPort.range(of: "://") { hostPort = hostPort[scheme.upperBound...] }
            guard let colon = hostPort.lastIndex(of: ":"), colon != hostPort.startIndex,
                let port = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(port),
                !hostPort[..<colon].contains(where: { $0 == " " || $0 == "/" })
            else {
                throw ConfigError(
                    .invalidValue, "\(origin): '\(text)' is not a broker list like host:9092[,host2:9092]")
            }
        }
        return entries.joined(separator: ",")
    }

    /// The ranges numeric settings must fall in: wide enough for any real use, narrow enough that every
    /// product the run computes from them (simulated microseconds per record, sleeps) fits its integer.
    enum Limits {
        static let interval: ClosedRange<Double> = 0.0001...86_400
        static let trigger: ClosedRange<Double> = 0.01...3600
        static let speed: ClosedRange<Double> = 0.001...1_000_000
        static let duration: ClosedRange<Double> = 0.001...31_536_000
        static let statusInterval: ClosedRange<Double> = 0.05...86_400
    }

    /// A decimal number within `range`.
    static func parseNumber(_ text: String, origin: String, in range: ClosedRange<Double>) throws -> Double {
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw ConfigError(
                .invalidValue,
                "\(origin): '\(text)' must be a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
        }
        return value
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func parseInt(_ text: String, origin: String, range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError(
                .invalidValue, "\(origin): '\(text)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
