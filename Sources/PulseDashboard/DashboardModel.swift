// The fixed interface between the dashboard and the engine: the engine publishes these values from
// memory, the dashboard only reads them. `package` access so a separate demo module can feed the UI;
// inside the PulseTUI target it is plain internal use.

/// One station's live state as the engine last saw it in Silver.
package struct StationLive: Sendable {
    package var id: String
    package var city: String
    package var docksTotal: Int
    package var bikesAvailable: Int?
    package var bikesOccupied: Int?
    /// 0...1
    package var utilization: Double?
    /// The last hour's simulated minutes, oldest first, ending at the newest minute of any station: each the
    /// minute's mean utilisation (0...1), nil for a minute without an event.
    package var utilizationHistory: [Double?]
    package var lastEventMicros: Int64?

    package init(
        id: String, city: String, docksTotal: Int, bikesAvailable: Int?, bikesOccupied: Int?,
        utilization: Double?, utilizationHistory: [Double?], lastEventMicros: Int64?
    ) {
        self.id = id
        self.city = city
        self.docksTotal = docksTotal
        self.bikesAvailable = bikesAvailable
        self.bikesOccupied = bikesOccupied
        self.utilization = utilization
        self.utilizationHistory = utilizationHistory
        self.lastEventMicros = lastEventMicros
    }
}

/// The latest Silver weather reading of one city.
package struct CityWeather: Sendable {
    package var city: String
    package var tempC: Double
    package var precipMm: Double
    package var windKph: Double
    package var humidity: Int
    package var condition: String

    package init(city: String, tempC: Double, precipMm: Double, windKph: Double, humidity: Int, condition: String) {
        self.city = city
        self.tempC = tempC
        self.precipMm = precipMm
        self.windKph = windKph
        self.humidity = humidity
        self.condition = condition
    }
}

/// One Delta table's size and growth, for the lakehouse panel.
package struct TableStat: Sendable {
    /// "bronze/bike", "silver/bike_events", "gold/bike_minute", "quarantine/bike" ...
    package var path: String
    /// nil until the engine has opened or created the table (it waits for the broker first).
    package var version: Int64?
    package var files: Int
    package var rows: Int64
    package var bytes: Int64
    /// Rows a second over the last several commits; nil until it can be measured.
    package var rowsPerSecond: Double?
    /// Compaction commits this run, and the small files they merged.
    package var compactions: Int
    package var filesCompacted: Int

    package init(
        path: String, version: Int64?, files: Int, rows: Int64, bytes: Int64, rowsPerSecond: Double?,
        compactions: Int = 0, filesCompacted: Int = 0
    ) {
        self.path = path
        self.version = version
        self.files = files
        self.rows = rows
        self.bytes = bytes
        self.rowsPerSecond = rowsPerSecond
        self.compactions = compactions
        self.filesCompacted = filesCompacted
    }
}

/// One Kafka topic's flow through producers and the engine, for the pipeline panel.
package struct TopicStat: Sendable {
    package var topic: String
    /// Records the broker acknowledged a second, and records the engine read a second, over the last several
    /// seconds; nil until they can be measured.
    package var producedPerSecond: Double?
    package var consumedPerSecond: Double?
    /// The producer's events a second at 100 % (its configured interval), nil without producers.
    package var configuredPerSecond: Double?
    package var lag: Int64
    package var watermarkMicros: Int64?
    package var lastBatchLatencySeconds: Double
    package var late: Int64
    package var quarantined: Int64
    /// Records the broker dropped before they were read.
    package var gaps: Int64
    /// Records the producer could not deliver, and those it refused as larger than the broker accepts.
    package var failed: Int
    package var refused: Int
    /// The producer waits for the engine to commit what the embedded broker holds (backpressure).
    package var heldBack: Bool
    /// Records held out of Gold as far ahead of their partition.
    package var ahead: Int64
    /// Why the engine's pipeline stopped for good (damaged lakehouse state); nil while it runs.
    package var stopped: String?

    package init(
        topic: String, producedPerSecond: Double?, consumedPerSecond: Double?, configuredPerSecond: Double? = nil,
        lag: Int64, watermarkMicros: Int64?, lastBatchLatencySeconds: Double, late: Int64, quarantined: Int64,
        gaps: Int64, failed: Int = 0, refused: Int = 0, heldBack: Bool = false, ahead: Int64 = 0,
        stopped: String? = nil
    ) {
        self.topic = topic
        self.producedPerSecond = producedPerSecond
        self.consumedPerSecond = consumedPerSecond
        self.configuredPerSecond = configuredPerSecond
        self.lag = lag
        self.watermarkMicros = watermarkMicros
        self.lastBatchLatencySeconds = lastBatchLatencySeconds
        self.late = late
        self.quarantined = quarantined
        self.gaps = gaps
        self.failed = failed
        self.refused = refused
        self.heldBack = heldBack
        self.ahead = ahead
        self.stopped = stopped
    }
}

/// Whether an external service (broker, store) answers, and since when it does not.
package struct ServiceHealth: Sendable {
    /// "embedded 127.0.0.1:45375", "./lakehouse", "s3://bucket/prefix" ...
    package var description: String
    package var healthy: Bool
    package var lastError: String?
    package var failingSinceMicros: Int64?
    /// Whether the service has answered this run: a broker failing from the start is "no broker", one that
    /// answered before is "down".
    package var everAnswered: Bool

    package init(
        description: String, healthy: Bool, lastError: String? = nil, failingSinceMicros: Int64? = nil,
        everAnswered: Bool = true
    ) {
        self.description = description
        self.healthy = healthy
        self.lastError = lastError
        self.failingSinceMicros = failingSinceMicros
        self.everAnswered = everAnswered
    }
}

/// Everything the main screen shows, copied out of the engine's metrics in one go.
package struct DashboardSnapshot: Sendable {
    package var stations: [StationLive]
    package var weatherByCity: [String: CityWeather]
    package var tables: [TableStat]
    package var topics: [TopicStat]
    package var broker: ServiceHealth
    package var store: ServiceHealth
    /// The newest event time the engine has seen; nil before the first event.
    package var simulatedNowMicros: Int64?
    /// Simulated seconds per wall second (`--speed`); the producer rate does not change it.
    package var speed: Double
    package var producersPaused: Bool
    package var producerRatePercent: Int
    /// The producers still wait for the broker to describe their topics (nothing sent yet).
    package var producersWaiting: Bool
    package var wallStartedMicros: Int64

    package init(
        stations: [StationLive], weatherByCity: [String: CityWeather], tables: [TableStat], topics: [TopicStat],
        broker: ServiceHealth, store: ServiceHealth, simulatedNowMicros: Int64?, speed: Double,
        producersPaused: Bool, producerRatePercent: Int, producersWaiting: Bool = false, wallStartedMicros: Int64
    ) {
        self.stations = stations
        self.weatherByCity = weatherByCity
        self.tables = tables
        self.topics = topics
        self.broker = broker
        self.store = store
        self.simulatedNowMicros = simulatedNowMicros
        self.speed = speed
        self.producersPaused = producersPaused
        self.producerRatePercent = producerRatePercent
        self.producersWaiting = producersWaiting
        self.wallStartedMicros = wallStartedMicros
    }
}

/// One closed (Gold) or still open (live Silver) minute of a station.
package struct MinutePoint: Sendable, Equatable {
    package var windowStartMicros: Int64
    package var bikesAvailable: Int
    package var bikesOccupied: Int
    /// From Silver before the Gold window closed.
    package var isLive: Bool

    package init(windowStartMicros: Int64, bikesAvailable: Int, bikesOccupied: Int, isLive: Bool) {
        self.windowStartMicros = windowStartMicros
        self.bikesAvailable = bikesAvailable
        self.bikesOccupied = bikesOccupied
        self.isLive = isLive
    }
}

/// One Gold hourly window of a station: its use and its city's weather.
package struct HourPoint: Sendable, Equatable {
    package var windowStartMicros: Int64
    package var utilizationAvg: Double?
    package var tempC: Double?
    package var precipMm: Double?

    package init(windowStartMicros: Int64, utilizationAvg: Double?, tempC: Double?, precipMm: Double?) {
        self.windowStartMicros = windowStartMicros
        self.utilizationAvg = utilizationAvg
        self.tempC = tempC
        self.precipMm = precipMm
    }
}

/// One line of a station's recent history.
package struct RecentEvent: Sendable {
    package var eventTimeMicros: Int64
    package var summary: String

    package init(eventTimeMicros: Int64, summary: String) {
        self.eventTimeMicros = eventTimeMicros
        self.summary = summary
    }
}

/// Everything a station's page shows. The page picks its windows from these (the last hour of minutes, the
/// hours of one day, like hours of day for the rain comparison), so every label can say what it shows.
package struct StationDetail: Sendable {
    package var station: StationLive
    /// Minutes with events, oldest first: closed Gold minutes, then live Silver minutes Gold has not closed.
    package var minutes: [MinutePoint]
    /// Closed Gold hours with the city's weather in each, oldest first.
    package var hours: [HourPoint]
    package var recentEvents: [RecentEvent]

    package init(station: StationLive, minutes: [MinutePoint], hours: [HourPoint], recentEvents: [RecentEvent]) {
        self.station = station
        self.minutes = minutes
        self.hours = hours
        self.recentEvents = recentEvents
    }
}

/// What the dashboard reads and controls. Implementations must answer in microseconds from memory (never I/O).
package protocol DashboardDataSource: AnyObject, Sendable {
    func snapshot() -> DashboardSnapshot
    func stationDetail(id: String) -> StationDetail?
    func setProducersPaused(_ paused: Bool)
    func setProducerRatePercent(_ percent: Int)
}

/// Why `Dashboard.run` returned: the user quit (q), or `shouldStop()` or a SIGINT/SIGTERM ended the loop.
package enum DashboardExit: Sendable {
    case quit, stopped
}
