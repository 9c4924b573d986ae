import Foundation
import Logging
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
    private(set) var engine: StreamEngine?
    let stop: StopSignal
    private(set) var storeDescription: String?

    init(config: PulseConfiguration, parts: Set<Part>) throws {
        self.config = config
        logging = try LoggingSetup(directory: config.logDirectory)
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
        if parts.contains(.engine) {
            let store = try LakehouseStore.open(config)
            logger.info("lakehouse at \(store.description)")
            engine = StreamEngine(
                settings: StreamEngine.Settings(
                    brokers: brokers, sources: [("bike", config.bikeTopic), ("weather", config.weatherTopic)],
                    triggerSeconds: config.trigger),
                store: store, brokerHealth: metrics.brokerHealth, logger: Logger(label: "pulse.engine"))
            storeDescription = store.description
        }
        if parts.contains(.producers) {
            producers = try ProducerLoop(
                settings: ProducerSettings(
                    brokers: brokers, bikeTopic: config.bikeTopic, weatherTopic: config.weatherTopic,
                    bikeInterval: config.bikeInterval, weatherInterval: config.weatherInterval, speed: config.speed,
                    seed: config.seed ?? UInt64(truncatingIfNeeded: WallClock.nowMicros()),
                    startMicros: config.startMicros ?? WallClock.nowMicros() / 1_000_000 * 1_000_000,
                    badRecordShare: config.badRecordShare),
                metrics: metrics, logger: Logger(label: "pulse.producers"))
        }
    }

    /// Runs until `--duration` elapses or a signal arrives, printing a status line every `statusInterval` s.
    func runHeadless(statusInterval: Double) throws {
        start()
        var reporter = StatusReporter(metrics: metrics, pipelines: engineMetrics)
        let started = WallClock.monotonicSeconds()
        let deadline = config.duration.map { started + $0 }
        while !stop.isStopRequested {
            var wait = statusInterval
            if let deadline { wait = min(wait, deadline - WallClock.monotonicSeconds()) }
            if wait > 0, stop.wait(seconds: wait) { break }
            print(reporter.line())
            if let deadline, WallClock.monotonicSeconds() >= deadline - 0.001 { break }
        }
        let pipelines = engineMetrics
        shutdown()
        print(StatusReporter(metrics: metrics, pipelines: pipelines).summary())
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
        shutdown()
        print(StatusReporter(metrics: metrics, pipelines: engineMetrics).summary())
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
        producers = nil
        engine = nil
        logging.logger.info("run stopped")
    }
}
