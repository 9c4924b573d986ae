import Foundation
import Logging
import PulseAPI
import PulseCore
import PulseDashboard
import PulseProducers

/// One run of pulse-tui: the broker (embedded or external), and whichever parts the command asked
/// for (producers, engine), wired to one `RunMetrics`. The dashboard and the headless reporter
/// are views over it.
final class PipelineSession {
    /// The pieces a command can run; the default command runs all of them.
    enum Part: Hashable {
        case producers
        case engine
    }

    let config: PulseConfiguration
    let logging: LoggingSetup
    let metrics: RunMetrics
    let brokers: String
    private let embeddedBroker: EmbeddedBroker?
    private(set) var producers: ProducerLoop?
    private let hasProducers: Bool
    private(set) var engine: StreamEngine?
    let stop: StopSignal
    private(set) var storeDescription: String?

    /// The read API served from this run (`--api-port`), if any.
    private(set) var readAPI: ReadAPI?
    /// "http://host:port" of `readAPI`, for the status line and the dashboard.
    private(set) var apiDescription: String?

    init(
        config: PulseConfiguration, parts: Set<Part>, api: (host: String, port: Int)? = nil, group: ConsumerGroup? = nil
    ) throws {
        self.config = config
        hasProducers = parts.contains(.producers)
        logging = try LoggingSetup(directory: config.logDirectory, format: config.logFormat)
        let logger = logging.logger
        logger.info("librdkafka \(KafkaLibrary.version)")
        if let external = config.brokers {
            embeddedBroker = nil
            brokers = external
            logger.info("using Kafka brokers \(external)")
        } else {
            let broker = try EmbeddedBroker()
            for topic in [config.bikeTopic, config.weatherTopic] {
                try broker.createTopic(topic, partitions: config.partitions)
            }
            embeddedBroker = broker
            brokers = broker.bootstrapServers
            logger.info("embedded Kafka broker at \(broker.bootstrapServers) (any Kafka client can connect)")
        }
        metrics = RunMetrics(
            brokerDescription: embeddedBroker == nil ? brokers : "embedded \(brokers)",
            topics: [config.bikeTopic, config.weatherTopic])
        stop = StopSignal.install()
        // Before the engine makes its metric handles, or its histograms would record nowhere.
        if api != nil { MetricsExporter.bootstrapPrometheus() }
        var startMicros = config.startMicros
        var engineStore: (any ObjectStore)?
        if parts.contains(.engine) {
            let store = try LakehouseStore.open(config)
            engineStore = store
            logger.info("lakehouse at \(store.description)")
            var settings = StreamEngine.Settings(
                brokers: brokers, sources: [("bike", config.bikeTopic), ("weather", config.weatherTopic)],
                triggerSeconds: config.trigger)
            settings.group = group
            if config.compactionInterval > 0 {
                settings.compactionIntervalSeconds = config.compactionInterval
            } else {
                settings.compaction = nil
            }
            engine = StreamEngine(
                settings: settings,
                store: store, brokerHealth: metrics.brokerHealth, logger: Logger(label: "pulse.engine"))
            storeDescription = store.description
            // Without --start the simulated clock continues after the story the lakehouse already holds.
            if startMicros == nil, parts.contains(.producers),
                let latest = try? LakehouseClock.latestEventTime(store: store)
            {
                startMicros = (latest / 1_000_000 + 1) * 1_000_000
                logger.info("continuing the simulated clock after the lakehouse's latest event time \(latest)")
            }
        }
        if let api, let store = engineStore {
            let server = ReadAPI(
                store: store,
                live: LiveEngine(run: metrics, pipelines: engine?.metrics ?? [], activity: engine?.activity),
                logger: Logger(label: "pulse.api"))
            let port = try server.start(host: api.host, port: api.port)
            logger.info("read API at http://\(api.host):\(port)")
            apiDescription = "http://\(api.host):\(port)"
            readAPI = server
        }
        if parts.contains(.producers) {
            var settings = ProducerSettings(
                brokers: brokers, bikeTopic: config.bikeTopic, weatherTopic: config.weatherTopic,
                bikeInterval: config.bikeInterval, weatherInterval: config.weatherInterval, speed: config.speed,
                seed: config.seed ?? UInt64(truncatingIfNeeded: WallClock.nowMicros()),
                startMicros: startMicros ?? WallClock.nowMicros() / 1_000_000 * 1_000_000,
                badRecordShare: config.badRecordShare)
            // Producers and engine on the embedded broker: hold producers back before its retention could
            // drop what the engine has not committed.
            if embeddedBroker != nil, let engine {
                settings.retention = RetentionGuard()
                let pipelines = engine.metrics
                settings.committedOffsets = { topic in pipelines.first { $0.topic == topic }?.committedOffsets ?? [] }
            }
            producers = try ProducerLoop(settings: settings, metrics: metrics, logger: Logger(label: "pulse.producers"))
        }
    }

    /// Runs until `--duration` elapses or a signal arrives, printing the status every `statusInterval` s.
    func runHeadless(statusInterval: Double) throws {
        start()
        if let apiDescription { print("read API at \(apiDescription) (GET /openapi.json lists the endpoints)") }
        var reporter = makeReporter()
        let started = WallClock.monotonicSeconds()
        let deadline = config.duration.map { started + $0 }
        var nextStatus = started + statusInterval
        while !stop.isStopRequested {
            // Rates are measured from samples a few times a second, not from one line to the next.
            reporter.observe()
            let now = WallClock.monotonicSeconds()
            var wait = min(0.25, nextStatus - now)
            if let deadline { wait = min(wait, deadline - now) }
            if wait > 0, stop.wait(seconds: wait) { break }
            let woke = WallClock.monotonicSeconds()
            let atDeadline = deadline.map { woke >= $0 - 0.001 } ?? false
            guard woke >= nextStatus - 0.001 || atDeadline else { continue }
            nextStatus += statusInterval
            for line in reporter.lines() { print(line) }
            if atDeadline { break }
            // An engine stopped by damaged lakehouse state has nothing left to do: end the run with its reason.
            if engineMetrics.contains(where: { $0.snapshot.fatalError != nil }) { break }
        }
        let final = makeReporter()
        shutdown()
        print(final.summary())
        try throwIfFailed(final.pipelines)
    }

    /// The headless view of this run's parts, in the run's log format.
    private func makeReporter() -> StatusReporter {
        StatusReporter(
            metrics: metrics, pipelines: engineMetrics, producing: hasProducers, storeDescription: storeDescription,
            format: config.logFormat)
    }

    /// Ends the run with a non-zero exit when it lost records, stopped on damaged state, or delivered or
    /// wrote nothing because of a failure (`RunFailure`).
    private func throwIfFailed(_ pipelines: [PipelineMetrics]) throws {
        if let failure = RunFailure.of(
            run: metrics.snapshot(), pipelines: pipelines.map(\.snapshot), producing: hasProducers)
        {
            logging.logger.error("run failed: \(failure)")
            throw failure
        }
    }

    /// Runs the dashboard until the user quits, a signal arrives or `--duration` elapses; the terminal is
    /// restored before the summary is printed.
    func runDashboard() throws {
        start()
        let source = LiveDashboardSource(session: self)
        let dashboard = Dashboard(source: source, refreshHz: 4)
        let deadline = config.duration.map { WallClock.monotonicSeconds() + $0 }
        let stop = self.stop
        let exit = try dashboard.run {
            stop.isStopRequested || deadline.map { WallClock.monotonicSeconds() >= $0 } ?? false
        }
        logging.logger.info("dashboard closed: \(exit)")
        // Any return ends the run (the dashboard owns SIGINT/SIGTERM while it is up).
        stop.request()
        let final = makeReporter()
        shutdown()
        print(final.summary())
        try throwIfFailed(final.pipelines)
    }

    private var engineMetrics: [PipelineMetrics] { engine?.metrics ?? [] }

    /// Starts the engine, then the producers.
    func start() {
        engine?.start()
        producers?.start()
    }

    /// Stops producers (flushing what is queued) and the engine, in that order.
    func shutdown() {
        producers?.stop()
        engine?.stop()
        // Clients go before the embedded broker, or they log its disappearance as an error.
        readAPI?.stop()
        producers = nil
        engine = nil
        logging.logger.info("run stopped")
    }
}
