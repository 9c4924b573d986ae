import Dispatch
import Logging
import Synchronization

/// The streaming engine: one `TopicPipeline` per source topic, each on its own thread, writing to one
/// lakehouse. Start it, read its metrics, stop it; a stop finishes the batch in flight.
public final class StreamEngine: Sendable {
    /// Which topics to read and how.
    public struct Settings: Sendable {
        public var brokers: String
        public var sources: [(source: String, topic: String)]
        public var triggerSeconds: Double
        public var maxBatchRecords: Int
        /// Merge small files in the background (`Compactor`); nil turns it off.
        public var compaction: CompactionPolicy? = CompactionPolicy()
        public var compactionIntervalSeconds: Double = 5
        /// Share each topic's partitions with the other engines of this consumer group (nil: read them all).
        public var group: ConsumerGroup?

        public init(
            brokers: String, sources: [(source: String, topic: String)], triggerSeconds: Double,
            maxBatchRecords: Int = 200_000
        ) {
            self.brokers = brokers
            self.sources = sources
            self.triggerSeconds = triggerSeconds
            self.maxBatchRecords = maxBatchRecords
        }
    }

    public let metrics: [PipelineMetrics]
    private let pipelines: Mutex<[TopicPipelineBox]>
    private let compactor: Compactor?
    private let stopRequested = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    /// What the dashboard shows per station and city.
    public let activity: StationActivity

    public init(settings: Settings, store: any ObjectStore, brokerHealth: BrokerHealth, logger: Logger) {
        let activity = StationActivity()
        self.activity = activity
        var boxes: [TopicPipelineBox] = []
        for (source, topic) in settings.sources {
            var pipelineSettings = PipelineSettings(topic: topic, brokers: settings.brokers)
            pipelineSettings.triggerSeconds = settings.triggerSeconds
            pipelineSettings.maxBatchRecords = settings.maxBatchRecords
            pipelineSettings.group = settings.group
            let pipeline = TopicPipelines.make(
                source: source, settings: pipelineSettings, store: store, brokerHealth: brokerHealth, logger: logger,
                activity: activity)
            boxes.append(TopicPipelineBox(pipeline))
        }
        metrics = boxes.map { $0.pipeline.metrics }
        compactor = settings.compaction.map { policy in
            Compactor(
                targets: boxes.flatMap { $0.pipeline.compactionTargets }, policy: policy,
                intervalSeconds: settings.compactionIntervalSeconds, logger: logger)
        }
        pipelines = Mutex(boxes)
    }

    /// Starts one thread per pipeline.
    public func start() {
        compactor?.start()
        let boxes = pipelines.withLock { $0 }
        running.store(boxes.count, ordering: .relaxed)
        for box in boxes {
            DedicatedThread.start(name: "pulse-\(box.pipeline.source)") { [self] in
                box.pipeline.run { self.stopRequested.load(ordering: .relaxed) }
                if running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { finished.signal() }
            }
        }
    }

    /// Asks every pipeline to stop after its current batch and waits up to `timeout` seconds.
    public func stop(timeout: Double = 30) {
        stopRequested.store(true, ordering: .relaxed)
        if running.load(ordering: .acquiring) > 0 { _ = finished.wait(timeout: .now() + timeout) }
        compactor?.stop()
    }
}

/// Hands a pipeline to its one thread. Safe because exactly one thread ever calls into the pipeline
/// (its run loop); the engine only reads its `metrics`, which are themselves Sendable.
final class TopicPipelineBox: @unchecked Sendable {
    let pipeline: any PipelineRunner
    init(_ pipeline: any PipelineRunner) { self.pipeline = pipeline }
}
