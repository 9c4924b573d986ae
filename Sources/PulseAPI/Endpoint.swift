import PulseCore

/// One table endpoint of the read API: the original stack's (app/api/main.py) names, row fields, order
/// and limit bounds, plus the tables it did not serve.
public struct Endpoint: Sendable {
    /// URL path, e.g. "/gold/bike_hourly".
    public let path: String
    /// Table path under the lakehouse root.
    public let table: String
    /// Row fields, in the original's order; each a table column or an alias of one.
    public let fields: [Field]
    /// Newest first by this column.
    public let timeColumn: String
    /// The column `station_id` filters on (quarantine has no station_id: the Kafka key is the station).
    public let stationColumn: String
    public let defaultLimit: Int
    public let maxLimit: Int
    public let summary: String

    /// A response field and the column it comes from.
    public struct Field: Sendable {
        public let name: String
        public let column: String
        init(_ name: String, from column: String? = nil) {
            self.name = name
            self.column = column ?? name
        }
    }

    static func silver(_ path: String, table: String, _ fields: [String], summary: String) -> Endpoint {
        Endpoint(
            path: path, table: table, fields: fields.map { Field($0) }, timeColumn: "event_time",
            stationColumn: "station_id", defaultLimit: 100, maxLimit: 5000, summary: summary)
    }

    static func gold(_ path: String, table: String, _ fields: [Field], time: String = "window_start", summary: String)
        -> Endpoint
    {
        Endpoint(
            path: path, table: table, fields: fields, timeColumn: time, stationColumn: "station_id", defaultLimit: 200,
            maxLimit: 10000, summary: summary)
    }

    /// Every table endpoint.
    public static let all: [Endpoint] = [
        .silver(
            "/silver/bike", table: "silver/bike_events",
            [
                "event_time", "dt", "station_id", "bike_city", "docks_total", "docks_available", "bikes_available",
                "bikes_occupied",
            ], summary: "Recent parsed bike events from the Silver layer"),
        .silver(
            "/silver/weather", table: "silver/weather_events",
            [
                "event_time", "dt", "station_id", "weather_city", "temp_c", "precip_mm", "humidity", "wind_kph",
                "pressure_mb", "condition",
            ], summary: "Recent parsed weather events from the Silver layer"),
        // The original's minute table called its window start "minute"; both names are served.
        .gold(
            "/gold/bike_minute", table: "gold/bike_minute",
            [
                Field("minute", from: "window_start"), Field("window_start"), Field("window_end"), Field("station_id"),
                Field("bike_city"), Field("bikes_available"), Field("bikes_occupied"), Field("docks_total"),
                Field("dt"),
            ], summary: "Per-minute bike metrics from the Gold layer"),
        .gold(
            "/gold/bike_hourly", table: "gold/bike_usage_hourly",
            hourlyOrDaily(
                "hour", ["bikes_occupied", "bikes_available_avg", "availability_rate_avg", "utilization_rate_avg"],
                city: "bike_city", extra: ["docks_total"]), summary: "Per-hour bike metrics from the Gold layer"),
        .gold(
            "/gold/bike_daily", table: "gold/bike_usage_daily",
            hourlyOrDaily(
                "day", ["bikes_occupied", "bikes_available_avg", "availability_rate_avg", "utilization_rate_avg"],
                city: "bike_city", extra: ["docks_total"]), summary: "Per-day bike metrics from the Gold layer"),
        .gold(
            "/gold/weather_hourly", table: "gold/weather_hourly",
            hourlyOrDaily(
                "hour", ["avg_temp_c", "sum_precip_mm", "avg_humidity", "avg_wind_kph", "avg_pressure_mb"],
                city: "weather_city"), summary: "Per-hour weather metrics from the Gold layer"),
        .gold(
            "/gold/weather_daily", table: "gold/weather_daily",
            hourlyOrDaily(
                "day", ["avg_temp_c", "sum_precip_mm", "avg_humidity", "avg_wind_kph", "avg_pressure_mb"],
                city: "weather_city"), summary: "Per-day weather metrics from the Gold layer"),
        quarantine("bike"), quarantine("weather"),
    ]

    static func hourlyOrDaily(_ suffix: String, _ measures: [String], city: String, extra: [String] = []) -> [Field] {
        [Field("window_start"), Field("window_end"), Field("dt"), Field("station_id"), Field(city)]
            + measures.map { Field("\($0)_\(suffix)") } + extra.map { Field($0) }
    }

    static func quarantine(_ source: String) -> Endpoint {
        Endpoint(
            path: "/quarantine/\(source)", table: "quarantine/\(source)",
            fields: [
                "ingest_time", "dt", "topic", "partition", "offset", "key", "value", "reason", "kafka_timestamp",
                "kafka_cluster_id",
            ].map { Field($0) }, timeColumn: "ingest_time", stationColumn: "key", defaultLimit: 100, maxLimit: 5000,
            summary: "Records Silver rejected (\(source)), with the rule each broke; station_id matches the Kafka key")
    }

    /// The query for `limit` rows, optionally of one station.
    func query(stationID: String?, limit: Int) -> NewestRowsQuery {
        NewestRowsQuery(
            columns: Array(Set(fields.map(\.column))).sorted(), timeColumn: timeColumn,
            filterColumn: stationID == nil ? nil : stationColumn, filterValue: stationID, limit: limit)
    }
}
