/// The lakehouse's tables: paths under the root, columns and partitioning. These are the contract
/// (ARCHITECTURE.md § Tables) that Delta readers and the original stack's consumers rely on.
public struct TableDefinition: Sendable {
    /// Key prefix under the lakehouse root, e.g. "bronze/bike".
    public var path: String
    public var schema: DeltaSchema
    /// Partitioning of a table this version creates; an existing table keeps its own (the writer follows
    /// its metadata).
    public var partitionColumns: [String]
    /// Order of rows inside a data file (compaction keeps it): station first, so per-file min/max
    /// statistics let readers skip files by station.
    public var sortColumns: [String] = []

    /// The table's name in metaData, e.g. "bronze_bike".
    public var name: String { path.replacing("/", with: "_") }
}

/// Definitions of every table pulse-tui writes.
public enum TableSchemas {
    /// Raw Kafka records, as Spark's Kafka source would give them, plus when we ingested them and from
    /// which broker cluster: (kafka_cluster_id, topic, partition, offset) is unique. key and value hold
    /// valid UTF-8 only; a key or value that is not UTF-8 keeps its exact bytes in key_bytes / value_bytes
    /// (`BronzeStage`). Tables written before kafka_cluster_id and the bytes columns gain them by a schema
    /// update; their earlier rows read null there.
    public static let bronzeColumns: [DeltaField] = [
        DeltaField("key", .string), DeltaField("value", .string), DeltaField("topic", .string),
        DeltaField("partition", .integer), DeltaField("offset", .long), DeltaField("kafka_timestamp", .timestamp),
        DeltaField("kafka_timestamp_type", .integer), DeltaField("ingest_time", .timestamp), DeltaField("dt", .date),
        DeltaField("kafka_cluster_id", .string), DeltaField("key_bytes", .binary), DeltaField("value_bytes", .binary),
    ]

    /// `bronze/<source>` ("bike" or "weather", whatever the topic is called), partitioned by the date of ingest_time.
    public static func bronze(_ source: String) -> TableDefinition {
        TableDefinition(
            path: "bronze/\(source)", schema: DeltaSchema(bronzeColumns), partitionColumns: ["dt"],
            sortColumns: ["partition", "offset"])
    }

    /// `quarantine/<source>`: every record Silver rejected, its Bronze columns and the rule it broke.
    public static func quarantine(_ source: String) -> TableDefinition {
        TableDefinition(
            path: "quarantine/\(source)", schema: DeltaSchema(bronzeColumns + [DeltaField("reason", .string)]),
            partitionColumns: ["dt"], sortColumns: ["partition", "offset"])
    }

    public static let silverBike = TableDefinition(
        path: "silver/bike_events",
        schema: DeltaSchema([
            DeltaField("station_id", .string), DeltaField("bike_city", .string), DeltaField("docks_total", .integer),
            DeltaField("bikes_available", .integer), DeltaField("bikes_occupied", .integer),
            DeltaField("docks_available", .integer), DeltaField("event_time", .timestamp), DeltaField("dt", .date),
            DeltaField("availability_rate", .double), DeltaField("utilization_rate", .double),
        ]), partitionColumns: ["dt"], sortColumns: ["station_id", "event_time"])

    public static let silverWeather = TableDefinition(
        path: "silver/weather_events",
        schema: DeltaSchema([
            DeltaField("station_id", .string), DeltaField("weather_city", .string), DeltaField("temp_c", .double),
            DeltaField("precip_mm", .double), DeltaField("humidity", .integer), DeltaField("wind_kph", .double),
            DeltaField("pressure_mb", .integer), DeltaField("condition", .string), DeltaField("event_time", .timestamp),
            DeltaField("dt", .date),
        ]), partitionColumns: ["dt"], sortColumns: ["station_id", "event_time"])

    public static let goldBikeMinute = TableDefinition(
        path: "gold/bike_minute",
        schema: DeltaSchema([
            DeltaField("station_id", .string), DeltaField("bike_city", .string), DeltaField("window_start", .timestamp),
            DeltaField("window_end", .timestamp), DeltaField("bikes_available", .integer),
            DeltaField("bikes_occupied", .integer), DeltaField("docks_total", .integer), DeltaField("dt", .date),
        ]), partitionColumns: ["dt"], sortColumns: ["station_id", "window_start"])

    /// `gold/bike_usage_hourly` (suffix "hour") or `_daily` ("day").
    public static func goldBikeUsage(_ suffix: String) -> TableDefinition {
        TableDefinition(
            path: suffix == "hour" ? "gold/bike_usage_hourly" : "gold/bike_usage_daily",
            schema: DeltaSchema([
                DeltaField("station_id", .string), DeltaField("bike_city", .string),
                DeltaField("window_start", .timestamp), DeltaField("window_end", .timestamp),
                DeltaField("bikes_occupied_\(suffix)", .long), DeltaField("bikes_available_avg_\(suffix)", .double),
                DeltaField("availability_rate_avg_\(suffix)", .double),
                DeltaField("utilization_rate_avg_\(suffix)", .double), DeltaField("docks_total", .integer),
                DeltaField("dt", .date),
            ]), partitionColumns: ["dt"], sortColumns: ["station_id", "window_start"])
    }

    /// `gold/weather_hourly` (suffix "hour") or `_daily` ("day").
    public static func goldWeather(_ suffix: String) -> TableDefinition {
        TableDefinition(
            path: suffix == "hour" ? "gold/weather_hourly" : "gold/weather_daily",
            schema: DeltaSchema([
                DeltaField("station_id", .string), DeltaField("weather_city", .string),
                DeltaField("window_start", .timestamp), DeltaField("window_end", .timestamp),
                DeltaField("avg_temp_c_\(suffix)", .double), DeltaField("sum_precip_mm_\(suffix)", .double),
                DeltaField("avg_humidity_\(suffix)", .double), DeltaField("avg_wind_kph_\(suffix)", .double),
                DeltaField("avg_pressure_mb_\(suffix)", .double), DeltaField("dt", .date),
            ]), partitionColumns: ["dt"], sortColumns: ["station_id", "window_start"])
    }

    /// Every table of a source, Bronze first (the order a batch commits them).
    public static func tables(of source: String) -> [TableDefinition] {
        if source == "weather" {
            return [bronze("weather"), silverWeather, quarantine("weather"), goldWeather("hour"), goldWeather("day")]
        }
        return [
            bronze("bike"), silverBike, quarantine("bike"), goldBikeMinute, goldBikeUsage("hour"), goldBikeUsage("day"),
        ]
    }

    /// Every table pulse-tui writes, for `inspect` and the dashboard.
    public static var all: [TableDefinition] { tables(of: "bike") + tables(of: "weather") }
}
