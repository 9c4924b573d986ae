import Foundation
import Logging
import PulseCore
import Synchronization

/// Settings of the two producers, as the original stack's producer containers took them.
public struct ProducerSettings: Sendable {
    public var brokers: String
    public var bikeTopic: String
    public var weatherTopic: String
    /// Wall-clock seconds between records (the original's sleep).
    public var bikeInterval: Double
    public var weatherInterval: Double
    /// Simulated seconds per wall second; changes only the clock that stamps event_time.
    public var speed: Double
    public var seed: UInt64
    /// Simulated time of the first record, epoch microseconds.
    public var startMicros: Int64
    public var badRecordShare: Double
    /// Holds a producer back while the embedded broker could drop records the engine has not committed
    /// (`RetentionGuard`); nil where the broker's retention is not ours to mind (an external broker).
    public var retention: RetentionGuard?
    /// The engine's committed offsets per partition of a topic (the resume point), for `retention`.
    public var committedOffsets: @Sendable (String) -> [Int64] = { _ in [] }

    public init(
        brokers: String, bikeTopic: String, weatherTopic: String, bikeInterval: Double, weatherInterval: Double,
        speed: Double, seed: UInt64, startMicros: Int64, badRecordShare: Double
    ) {
        self.brokers = brokers
        self.bikeTopic = bikeTopic
        self.weatherTopic = weatherTopic
        self.bikeInterval = bikeInterval
        self.weatherInterval = weatherInterval
        self.speed = speed
        self.seed = seed
        self.startMicros = startMicros
        self.badRecordShare = badRecordShare
    }
}

/// Runs the bike and weather producers on their own threads, publishing to Kafka keyed by station_id.
///
/// Each record is stamped its wall interval times `speed` after the one before: at the configured rate record k
/// is stamped `start + k * interval * speed`, so a seed and a start time give the same events whatever the
/// machine's timing; the wall clock only paces them. The dashboard's rate (`setRatePercent`) changes how many
/// records a wall second carries, never the simulated clock's speed: at 200 % each record is stamped half as
/// far after the last. Each station's records
/// go to partition `station index % partitions`, which keeps a station in one partition (Gold relies on
/// it) and spreads the 30 stations evenly (the embedded broker's retention is per partition).
public final class ProducerLoop: Sendable {
    private let settings: ProducerSettings
    private let producer: KafkaProducer
    private let metrics: RunMetrics
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let paused = Atomic<Bool>(false)
    /// Rate multiplier in percent, changed live by the dashboard's `+`/`-`.
    private let ratePercent = Atomic<Int>(100)
    private let running = Atomic<Int>(0)
    /// Producer threads still waiting for their topic's partition count (the broker has not answered yet).
    private let waiting = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    public init(settings: ProducerSettings, metrics: RunMetrics, logger: Logger) throws {
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        let counters = [settings.bikeTopic, settings.weatherTopic].compactMap { metrics.produceCounters($0) }
        producer = try KafkaProducer(
            brokers: settings.brokers, counters: counters, health: metrics.brokerHealth, logger: logger)
    }

    /// Starts both producer threads.
    public func start() {
        running.store(2, ordering: .relaxed)
        waiting.store(2, ordering: .relaxed)
        let bike = BikeRecordGenerator(
            seed: settings.seed, startMicros: settings.startMicros, badShare: settings.badRecordShare)
        let weather = WeatherRecordGenerator(
            seed: settings.seed, startMicros: settings.startMicros, badShare: settings.badRecordShare)
        spawn(name: "pulse-bike-producer", topic: settings.bikeTopic, interval: settings.bikeInterval) {
            [bike = Mutex(bike)] eventTime in bike.withLock { $0.nextBikeRecord(at: eventTime) }
        }
        spawn(name: "pulse-weather-producer", topic: settings.weatherTopic, interval: settings.weatherInterval) {
            [weather = Mutex(weather)] eventTime in weather.withLock { $0.nextWeatherRecord(at: eventTime) }
        }
    }

    /// Pauses or resumes both producers (dashboard `p`).
    public func setPaused(_ value: Bool) { paused.store(value, ordering: .relaxed) }
    public var isPaused: Bool { paused.load(ordering: .relaxed) }

    /// Whether a producer is still waiting for the broker to describe its topic (nothing sent yet).
    public var isWaitingForBroker: Bool { waiting.load(ordering: .relaxed) > 0 }

    /// Events per wall second of each topic at 100 % (the configured intervals).
    public var configuredEventsPerSecond: [String: Double] {
        [settings.bikeTopic: 1 / settings.bikeInterval, settings.weatherTopic: 1 / settings.weatherInterval]
    }

    /// Scales both producers' rates (dashboard `+`/`-`), 10% to 10,000%; the simulated clock keeps its speed.
    public func setRatePercent(_ percent: Int) { ratePercent.store(min(10_000, max(10, percent)), ordering: .relaxed) }
    public var currentRatePercent: Int { ratePercent.load(ordering: .relaxed) }

    /// Stops both threads and waits until every queued record is delivered or failed.
    public func stop(flushTimeoutMs: Int32 = 10_000) {
        stopRequested.store(true, ordering: .relaxed)
        if running.load(ordering: .acquiring) > 0 { _ = finished.wait(timeout: .now() + 5) }
        if producer.flush(timeoutMs: flushTimeoutMs) > 0 {
            let left = producer.abandonUndelivered()
            logger.error("\(left) records undelivered at stop (broker unreachable); counted as failed")
        }
    }

    private func spawn(
        name: String, topic: String, interval: Double, next: @escaping @Sendable (Int64) -> ProducedRecord
    ) {
        let thread = Thread { [self] in
            produce(topic: topic, interval: interval, next: next)
            if running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { finished.signal() }
        }
        thread.name = name
        thread.start()
    }

    /// Shows a broker that holds our records without acknowledging them as a broker failure; the
    /// next delivery report ends the spell.
    private func reportStall(_ stall: inout DeliveryStallDetector, counters: ProduceCounters, now: Double) {
        let snapshot = counters.snapshot
        guard let seconds = stall.stalledSeconds(snapshot, now: now) else { return }
        metrics.brokerHealth.recordFailure(
            "\(counters.topic): no delivery acknowledged for \(Int(seconds)) s, \(snapshot.inFlight) records waiting",
            since: WallClock.nowMicros() - Int64(seconds * 1e6))
    }

    /// Whether the producer of `topic` must wait for the engine (see `ProducerSettings.retention`); the
    /// decision is shown in the counters and logged when it changes.
    private func holdsBack(topic: String, counters: ProduceCounters) -> Bool {
        guard let retention = settings.retention else { return false }
        let holding = counters.heldBack.load(ordering: .relaxed)
        let hold = retention.shouldHoldBack(
            deliveries: counters.deliveries, committed: settings.committedOffsets(topic), holdingBack: holding)
        if hold != holding {
            counters.heldBack.store(hold, ordering: .relaxed)
            if hold {
                counters.holdBacks.add(1, ordering: .relaxed)
                logger.warning(
                    "\(topic): producer holds back, the engine has not committed enough of what the embedded broker keeps"
                )
            } else {
                logger.info("\(topic): producer resumes, the engine caught up")
            }
        }
        return hold
    }

    private func produce(topic: String, interval: Double, next: (Int64) -> ProducedRecord) {
        guard let counters = metrics.produceCounters(topic) else { return }
        // Wait for the topic's partition count: producing before it is known would put a station's
        // records in more than one partition. While the broker is away, librdkafka retries and the
        // status line shows it.
        var partitions: Int?
        while partitions == nil, !stopRequested.load(ordering: .relaxed) {
            partitions = try? producer.partitionCount(topic: topic, timeoutMs: 1000)
            if partitions == nil { producer.poll(timeoutMs: 500) }
        }
        waiting.subtract(1, ordering: .relaxed)
        let catalogue = StationCatalogue.standard
        var eventTime = settings.startMicros
        var dueWall = WallClock.monotonicSeconds()
        var stall = DeliveryStallDetector()
        var nextStallCheck = dueWall + 1
        var nextRetentionCheck = dueWall
        var holding = false
        while !stopRequested.load(ordering: .relaxed) {
            let now = WallClock.monotonicSeconds()
            if now >= nextStallCheck {
                nextStallCheck = now + 1
                reportStall(&stall, counters: counters, now: now)
            }
            if now >= nextRetentionCheck {
                nextRetentionCheck = now + 0.05
                holding = holdsBack(topic: topic, counters: counters)
            }
            if paused.load(ordering: .relaxed) || holding {
                producer.poll(timeoutMs: 100)
                dueWall = WallClock.monotonicSeconds()
                continue
            }
            if now < dueWall {
                producer.poll(timeoutMs: Int32(min(100, max(1, (dueWall - now) * 1000))))
                continue
            }
            let record = next(eventTime)
            let wallStep = interval * 100 / Double(ratePercent.load(ordering: .relaxed))
            eventTime += Int64((wallStep * settings.speed * 1e6).rounded())
            dueWall += wallStep
            // Far behind (a long pause in delivery): do not burst to catch up, keep the pace from now.
            if dueWall < now - 1 { dueWall = now }
            let partition = partitions.flatMap { count in
                catalogue.index(ofUTF8: record.key).map { Int32($0 % count) }
            }
            do {
                try producer.send(topic: topic, partition: partition, key: record.key, value: record.value)
                if record.isBad { counters.malformed.add(1, ordering: .relaxed) }
            } catch {
                // Counted as produced and failed (and refused, if too large), so the summary's books balance.
                counters.produced.add(1, ordering: .relaxed)
                counters.failed.add(1, ordering: .relaxed)
                logger.error("producing to \(topic) failed: \(error)")
            }
            producer.poll(timeoutMs: 0)
        }
    }
}
