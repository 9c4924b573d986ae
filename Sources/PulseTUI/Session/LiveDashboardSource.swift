import Foundation
import PulseCore
import PulseDashboard
import PulseProducers
import Synchronization

/// Feeds the dashboard from the running session: metrics snapshots only (atomics and short locks),
/// never I/O, so a frame costs the engine nothing. Rates come from `RateEstimator`s fed with every frame's
/// counts, measured between the instants the counts changed, so a table that grows once per trigger shows
/// the rate it grows at, as the headless status line does.
final class LiveDashboardSource: DashboardDataSource {
    private let metrics: RunMetrics
    private let pipelines: [PipelineMetrics]
    private let activity: StationActivity?
    private let producers: ProducerLoop?
    private let storeDescription: String
    private let speed: Double
    private let tablePaths: [String]
    private let configuredPerSecond: [String: Double]
    /// Rates, and whether the broker has answered this run (for "no broker" against "down").
    private struct Observed {
        var rates: RateBoard
        var brokerAnswered = false
    }
    private let observed: Mutex<Observed>

    init(session: PipelineSession) {
        metrics = session.metrics
        pipelines = session.engine?.metrics ?? []
        activity = session.engine?.activity
        producers = session.producers
        storeDescription = session.storeDescription ?? "(no engine)"
        speed = session.config.speed
        tablePaths = TableSchemas.all.map(\.path)
        configuredPerSecond = session.producers?.configuredEventsPerSecond ?? [:]
        // Over at least four micro-batches, so a rate rests on several commits.
        observed = Mutex(Observed(rates: RateBoard(window: max(10, 4 * session.config.trigger))))
    }

    func snapshot() -> DashboardSnapshot {
        let run = metrics.snapshot()
        let engine = pipelines.map(\.snapshot)
        let live = activity?.snapshot()
        let now = WallClock.monotonicSeconds()
        var tableStats: [String: TableMetricsSnapshot] = [:]
        for table in engine.flatMap(\.tables) { tableStats[table.path] = table }
        let (rates, brokerAnswered) = observed.withLock { observed -> ([String: Double], Bool) in
            for (path, table) in tableStats where table.version >= 0 {
                observed.rates.observe("rows:" + path, table.rows, at: now)
            }
            for topic in run.produce {
                observed.rates.observe("produced:" + topic.topic, Int64(topic.delivered), at: now)
            }
            for pipeline in engine {
                observed.rates.observe("read:" + pipeline.topic, Int64(pipeline.recordsRead), at: now)
            }
            if run.produce.contains(where: { $0.delivered > 0 }) || engine.contains(where: { $0.batches > 0 })
                || run.broker.isHealthy && run.broker.errorCount == 0 && run.elapsedSeconds > 2
            {
                observed.brokerAnswered = true
            }
            var rates: [String: Double] = [:]
            let names =
                tablePaths.map { "rows:" + $0 } + run.produce.map { "produced:" + $0.topic }
                + engine.map { "read:" + $0.topic }
            for name in names { rates[name] = observed.rates.perSecond(name, at: now) }
            return (rates, observed.brokerAnswered)
        }
        let tables = tablePaths.map { path in
            let t = tableStats[path]
            return TableStat(
                path: path, version: t.flatMap { $0.version >= 0 ? $0.version : nil }, files: t?.files ?? 0,
                rows: t?.rows ?? 0, bytes: t?.bytes ?? 0, rowsPerSecond: rates["rows:" + path],
                compactions: t?.compactions ?? 0, filesCompacted: t?.filesCompacted ?? 0)
        }
        let topics = run.produce.map { topic in
            let pipeline = engine.first { $0.topic == topic.topic }
            return TopicStat(
                topic: topic.topic, producedPerSecond: rates["produced:" + topic.topic],
                consumedPerSecond: rates["read:" + topic.topic], configuredPerSecond: configuredPerSecond[topic.topic],
                lag: pipeline?.lag ?? 0, watermarkMicros: pipeline?.watermarkMicros,
                lastBatchLatencySeconds: pipeline?.lastBatchLatencySeconds ?? 0, late: pipeline?.late ?? 0,
                quarantined: pipeline?.quarantined ?? 0, gaps: pipeline?.gapRecords ?? 0, failed: topic.failed,
                refused: topic.refused, heldBack: topic.heldBack, ahead: pipeline?.ahead ?? 0,
                stopped: pipeline?.fatalError)
        }
        // The store's error is a failing pipeline's: the other's last error may be an old broker timeout.
        let failingPipelines = engine.filter { $0.storeFailingSinceMicros != nil }
        let failing = failingPipelines.compactMap(\.storeFailingSinceMicros).min()
        let store = ServiceHealth(
            description: storeDescription, healthy: failing == nil,
            lastError: failingPipelines.compactMap(\.lastError).first, failingSinceMicros: failing)
        let broker = ServiceHealth(
            description: run.brokerDescription, healthy: run.broker.isHealthy, lastError: run.broker.lastError,
            failingSinceMicros: run.broker.failingSinceMicros, everAnswered: brokerAnswered)
        let latestMinute = live?.latestEventMicros.map { $0 - Self.floorMod($0, 60_000_000) }
        let stations =
            (live?.stations
            ?? StationCatalogue.standard.stations.map {
                StationActivity.Station(id: $0.id, city: $0.city, docksTotal: $0.docksTotal)
            }).map { Self.stationLive($0, lastMinute: latestMinute) }
        var weather: [String: CityWeather] = [:]
        for (city, w) in live?.weatherByCity ?? [:] {
            weather[city] = CityWeather(
                city: city, tempC: w.tempC, precipMm: w.precipMm, windKph: w.windKph, humidity: w.humidity,
                condition: w.condition)
        }
        return DashboardSnapshot(
            stations: stations, weatherByCity: weather, tables: tables, topics: topics, broker: broker, store: store,
            simulatedNowMicros: live?.latestEventMicros, speed: speed, producersPaused: producers?.isPaused ?? false,
            producerRatePercent: producers?.currentRatePercent ?? 100,
            producersWaiting: producers?.isWaitingForBroker ?? false, wallStartedMicros: run.startedMicros)
    }

    func stationDetail(id: String) -> StationDetail? {
        guard let snapshot = activity?.snapshot(), let station = snapshot.stations.first(where: { $0.id == id })
        else { return nil }
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
        let hours = station.hours.map { hour in
            HourPoint(
                windowStartMicros: hour.start, utilizationAvg: hour.utilization,
                tempC: station.weatherHours[hour.start]?.temp, precipMm: station.weatherHours[hour.start]?.precip)
        }
        let latestMinute = snapshot.latestEventMicros.map { $0 - Self.floorMod($0, 60_000_000) }
        return StationDetail(
            station: Self.stationLive(station, lastMinute: latestMinute), minutes: minutes, hours: hours,
            recentEvents: station.recent.reversed().map { RecentEvent(eventTimeMicros: $0.time, summary: $0.text) })
    }

    func setProducersPaused(_ paused: Bool) { producers?.setPaused(paused) }

    func setProducerRatePercent(_ percent: Int) { producers?.setRatePercent(percent) }

    /// A station as the table shows it; its utilisation history is the hour of minutes ending at `lastMinute`
    /// (the newest minute of any station). A minute without events keeps the level the station last reported
    /// (a level holds until it is reported again); before its first report the station has none.
    static func stationLive(_ s: StationActivity.Station, lastMinute: Int64?) -> StationLive {
        var history: [Double?] = []
        if let lastMinute {
            let first = lastMinute - 59 * 60_000_000
            history = Array(repeating: nil, count: 60)
            var carried: Double?
            for minute in s.minuteUtilization where minute.start <= lastMinute {
                let value = minute.sum / Double(minute.count)
                if minute.start < first {
                    carried = value
                } else {
                    history[Int((minute.start - first) / 60_000_000)] = value
                }
            }
            for index in history.indices {
                if let value = history[index] { carried = value } else { history[index] = carried }
            }
        }
        return StationLive(
            id: s.id, city: s.city, docksTotal: s.docksTotal, bikesAvailable: s.bikesAvailable,
            bikesOccupied: s.bikesOccupied, utilization: s.utilization, utilizationHistory: history,
            lastEventMicros: s.lastEventMicros)
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }
}
