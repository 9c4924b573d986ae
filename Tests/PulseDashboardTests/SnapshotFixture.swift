@testable import PulseDashboard

/// A deterministic snapshot of 30 stations, 11 tables and 2 topics for view tests.
enum SnapshotFixture {
    static let cities = [
        "Boston", "Cambridge", "Somerville", "Worcester", "Springfield", "Lowell", "Quincy", "Newton", "Brockton",
        "Lynn", "Fall River", "New Bedford", "Framingham", "Waltham", "Haverhill", "Malden", "Medford", "Taunton",
        "Chicopee", "Everett", "Revere", "Peabody", "Arlington", "Attleboro", "Methuen", "Barnstable", "Pittsfield",
        "Leominster", "Westfield", "Salem",
    ]
    static let tablePaths = [
        "bronze/bike", "bronze/weather", "silver/bike_events", "silver/weather_events", "gold/bike_minute",
        "gold/bike_usage_hourly", "gold/bike_usage_daily", "gold/weather_hourly", "gold/weather_daily",
        "quarantine/bike", "quarantine/weather",
    ]

    static func snapshot() -> DashboardSnapshot {
        var stations: [StationLive] = []
        var weather: [String: CityWeather] = [:]
        for (index, city) in cities.enumerated() {
            let docks = 12 + index % 5 * 4
            let available = (index * 7) % (docks + 1)
            stations.append(
                StationLive(
                    id: "S" + (index + 1 < 10 ? "00" : "0") + "\(index + 1)", city: city, docksTotal: docks,
                    bikesAvailable: available, bikesOccupied: docks - available,
                    utilization: Double(docks - available) / Double(docks),
                    utilizationHistory: (0..<60).map { Double(($0 + index) % 10) / 10 },
                    lastEventMicros: 1_714_546_800_000_000))
            weather[city] = CityWeather(
                city: city, tempC: 15 + Double(index % 4), precipMm: index % 3 == 0 ? 1.5 : 0, windKph: 12,
                humidity: 70, condition: index % 3 == 0 ? "Rain" : "Clouds")
        }
        let tables = tablePaths.enumerated().map {
            TableStat(
                path: $1, version: Int64($0 + 1), files: $0 * 2, rows: Int64($0 * 1000), bytes: Int64($0 * 50_000),
                rowsPerSecond: Double($0))
        }
        let topics = ["bike", "weather"].map {
            TopicStat(
                topic: $0, producedPerSecond: 30, consumedPerSecond: 29, configuredPerSecond: $0 == "bike" ? 50 : 10,
                lag: 12, watermarkMicros: 1_714_546_000_000_000, lastBatchLatencySeconds: 0.08, late: 1,
                quarantined: 2, gaps: 0)
        }
        return DashboardSnapshot(
            stations: stations, weatherByCity: weather, tables: tables, topics: topics,
            broker: ServiceHealth(description: "embedded 127.0.0.1:9092", healthy: true),
            store: ServiceHealth(
                description: "./lakehouse", healthy: false, lastError: "disk full", failingSinceMicros: 0),
            simulatedNowMicros: 1_714_546_860_000_000, speed: 60, producersPaused: false, producerRatePercent: 100,
            wallStartedMicros: 0)
    }

    static func detail(id: String = "S001") -> StationDetail {
        let station = snapshot().stations.first { $0.id == id }!
        return StationDetail(
            station: station,
            minutes: (0..<60).map {
                MinutePoint(
                    windowStartMicros: 1_714_543_200_000_000 + Int64($0) * 60_000_000, bikesAvailable: $0 % 12,
                    bikesOccupied: 12 - $0 % 12, isLive: $0 == 59)
            },
            hours: (0..<6).map {
                HourPoint(
                    windowStartMicros: 1_714_521_600_000_000 + Int64($0) * 3_600_000_000,
                    utilizationAvg: Double($0) / 10, tempC: 14, precipMm: $0 % 2 == 0 ? 0 : 1.2)
            },
            recentEvents: [RecentEvent(eventTimeMicros: 1_714_546_800_000_000, summary: "bikes 5/12")],
        )
    }

    /// Composes one frame at a size and returns its rows as text.
    static func render(
        width: Int, height: Int, state: inout DashboardState, glyphs: GlyphSet = .unicode,
        detail: StationDetail? = nil, snapshot: DashboardSnapshot = snapshot()
    ) -> [String] {
        var canvas = Canvas(width: width, height: height, glyphs: glyphs)
        DashboardView.compose(
            FrameContext(snapshot: snapshot, wallNowMicros: 83_000_000), detail: detail, state: &state,
            canvas: &canvas)
        return (0..<height).map { canvas.rowText($0) }
    }
}
