import Foundation
import PulseCore
import PulseDashboard
import PulseProducers
import Synchronization

/// Feeds the dashboard from the running session: metrics snapshots only (atomics and short locks),
/// never I/O, so a frame costs the engine nothing. Rates are differences between consecutive frames.
final class LiveDashboardSource: DashboardDataSource {
    private let metrics: RunMetrics
    private let pipelines: [PipelineMetrics]
    private let activity: StationActivity?
    private let producers: ProducerLoop?
    private let storeDescription: String
    private let speed: Double
    private let tablePaths: [String]
    /// Previous figures for the per-second rates: (taken at, table rows by path, produced and read by topic).
    private typealias Counts = (
        micros: Int64, rows: [String: Int64], produced: [String: Int], read: [String: Int], rates: [String: Double]
    )
    private let previous = Mutex<Counts?>(nil)

    init(session: PipelineSession) {
        metrics = session.metrics
        pipelines = session.engine?.metrics ?? []
        activity = session.engine?.activity
        producers = session.producers
        storeDescription = session.storeDescription ?? "(no engine)"
        speed = session.config.speed
        tablePaths = TableSchemas.all.map(\.path)
    }

    func snapshot() -> DashboardSnapshot {
        let run = metrics.snapshot()
        let engine = pipelines.map(\.snapshot)
        let live = activity?.snapshot()
        let now = run.takenMicros
        var rowsByPath: [String: Int64] = [:]
        var tableStats: [String: TableMetricsSnapshot] = [:]
        for table in engine.flatMap(\.tables) {
            rowsByPath[table.path] = table.rows
            tableStats[table.path] = table
        }
        var produced: [String: Int] = [:]
        for topic in run.produce { produced[topic.topic] = topic.delivered }
        var read: [String: Int] = [:]
        for pipeline in engine { read[pipeline.topic] = pipeline.recordsRead }
        let rates = previous.withLock { (last: inout Counts?) -> [String: Double] in
            var rates = last?.rates ?? [:]
            if let before = last, now - before.micros >= 900_000 {
                let seconds = Double(now - before.micros) / 1e6
                for (path, rows) in rowsByPath {
                    rates["t:" + path] = Double(rows - (before.rows[path] ?? 0)) / seconds
                }
                for (topic, n) in produced { rates["p:" + topic] = Double(n - (before.produced[topic] ?? 0)) / seconds }
                for (topic, n) in read { rates["r:" + topic] = Double(n - (before.read[topic] ?? 0)) / seconds }
                last = (now, rowsByPath, produced, read, rates)
            } else if last == nil {
                last = (now, rowsByPath, produced, read, rates)
            }
            return rates
        }
        let tables = tablePaths.map { path in
            let t = tableStats[path]
            return TableStat(
                path: path, version: t?.version ?? -1, files: t?.files ?? 0, rows: t?.rows ?? 0, bytes: t?.bytes ?? 0,
                rowsPerSecond: rates["t:" + path] ?? 0)
        }
        let topics = run.produce.map { topic in
            let pipeline = engine.first { $0.topic == topic.topic }
            return TopicStat(
                topic: topic.topic, producedPerSecond: rates["p:" + topic.topic] ?? 0,
                consumedPerSecond: rates["r:" + topic.topic] ?? 0, lag: pipeline?.lag ?? 0,
                watermarkMicros: pipeline?.watermarkMicros,
                lastBatchLatencySeconds: pipeline?.lastBatchLatencySeconds ?? 0,
                late: pipeline?.late ?? 0, quarantined: pipeline?.quarantined ?? 0, gaps: pipeline?.gapRecords ?? 0)
        }
        // The store's error is a failing pipeline's: the other's last error may be an old broker timeout.
        let failingPipelines = engine.filter { $0.storeFailingSinceMicros != nil }
        let failing = failingPipelines.compactMap(\.storeFailingSinceMicros).min()
        let store = ServiceHealth(
            description: storeDescription, healthy: failing == nil,
            lastError: failingPipelines.compactMap(\.lastError).first, failingSinceMicros: failing)
        let broker = ServiceHealth(
            description: run.brokerDescription, healthy: run.broker.isHealthy, lastError: run.broker.lastError,
            failingSinceMicros: run.broker.failingSinceMicros)
        let stations =
            (live?.stations
            ?? StationCatalogue.standard.stations.map {
                StationActivity.Station(id: $0.id, city: $0.city, docksTotal: $0.docksTotal)
            }).map(Self.stationLive)
        var weather: [String: CityWeather] = [:]
        for (city, w) in live?.weatherByCity ?? [:] {
            weather[city] = CityWeather(
                city: city, tempC: w.tempC, precipMm: w.precipMm, windKph: w.windKph, humidity: w.humidity,
                condition: w.condition)
        }
        return DashboardSnapshot(
            stations: stations, weatherByCity: weather, tables: tables, topics: topics, broker: broker, store: store,
            simulatedNowMicros: live?.latestEventMicros ?? 0, speed: speed,
            producersPaused: producers?.isPaused ?? false,
            producerRatePercent: producers?.currentRatePercent ?? 100, wallStartedMicros: run.startedMicros)
    }

    func stationDetail(id: String) -> StationDetail? {
        guard let station = activity?.snapshot().stations.first(where: { $0.id == id }) else { return nil }
        // Gold minute windows as they close, live Silver values for the minutes Gold has not closed yet.
        let closedUpTo = station.goldMinutes.last?.start ?? .min
        var minutes = station.goldMinutes.map {
            MinutePoint(
                windowStartMicros: $0.start, bikesAvailable: $0.available, bikesOccupied: $0.occupied, isLive: false)
        }
        minutes += station.liveMinutes.filter { $0.start > closedUpTo }.map {
            MinutePoint(
                windowStartMicros: $0.start, bikesAvailable: $0.available, bikesOccupied: $0.occupied, isLive: true)
        }
        let hours = station.hours.suffix(24).map { hour in
            HourPoint(
                windowStartMicros: hour.start, utilizationAvg: hour.utilization,
                tempC: station.weatherHours[hour.start]?.temp, precipMm: station.weatherHours[hour.start]?.precip)
        }
        // Rain's effect so far: utilisation of the station's closed hours with and without rain in that hour.
        var wet: [Double] = []
        var dry: [Double] = []
        for hour in station.hours {
            guard let utilization = hour.utilization, let weather = station.weatherHours[hour.start] else { continue }
            if weather.precip > 0 { wet.append(utilization) } else { dry.append(utilization) }
        }
        return StationDetail(
            station: Self.stationLive(station), minutes: Array(minutes.suffix(60)), hours: Array(hours),
            recentEvents: station.recent.reversed().map { RecentEvent(eventTimeMicros: $0.time, summary: $0.text) },
            wetUtilization: wet.isEmpty ? nil : wet.reduce(0, +) / Double(wet.count),
            dryUtilization: dry.isEmpty ? nil : dry.reduce(0, +) / Double(dry.count), wetWindows: wet.count,
            dryWindows: dry.count)
    }

    func setProducersPaused(_ paused: Bool) { producers?.setPaused(paused) }

    func setProducerRatePercent(_ percent: Int) { producers?.setRatePercent(percent) }

    static func stationLive(_ s: StationActivity.Station) -> StationLive {
        StationLive(
            id: s.id, city: s.city, docksTotal: s.docksTotal, bikesAvailable: s.bikesAvailable,
            bikesOccupied: s.bikesOccupied, utilization: s.utilization,
            utilizationHistory: s.minuteUtilization.map { $0.sum / Double($0.count) },
            lastEventMicros: s.lastEventMicros)
    }
}
