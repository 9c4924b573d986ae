import Logging

/// Builds the engine's pipelines. Here, inside PulseCore, the compiler specializes `TopicPipeline`'s
/// generic batch loop for each source's stages; built in another module (a tool, the benchmark) the
/// pipeline would run the unspecialized loop, which looks up type metadata per record.
public enum TopicPipelines {
    /// The pipeline of `source` ("bike" or "weather").
    public static func make(
        source: String, settings: PipelineSettings, store: any ObjectStore, brokerHealth: BrokerHealth, logger: Logger,
        activity: StationActivity? = nil
    ) -> any PipelineRunner {
        source == "weather"
            ? TopicPipeline(
                stages: WeatherStages(), settings: settings, store: store, brokerHealth: brokerHealth, logger: logger,
                activity: activity)
            : TopicPipeline(
                stages: BikeStages(), settings: settings, store: store, brokerHealth: brokerHealth, logger: logger,
                activity: activity)
    }
}
