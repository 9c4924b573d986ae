import ArgumentParser
import Foundation
import Logging
import PulseCore

/// `pulse-tui broker`: the embedded broker alone, so producers, engines and tests in other processes
/// share one broker that outlives them (a test that kill -9s the engine needs that).
struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker", _superCommandName: "pulse-tui",
        abstract: "Run the embedded Kafka broker alone and print its bootstrap address.",
        version: PulseVersion.description)

    @OptionGroup(title: "Run") var process: ProcessOptions
    @OptionGroup(title: "Kafka") var partitions: PartitionOptions

    func run() throws {
        let config = try loadConfiguration(process, partitions)
        let logging = try LoggingSetup(directory: config.logDirectory, format: config.logFormat)
        let broker = try EmbeddedBroker()
        for topic in [config.bikeTopic, config.weatherTopic] {
            try broker.createTopic(topic, partitions: config.partitions)
        }
        logging.logger.info(
            "embedded broker at \(broker.bootstrapServers), topics \(config.bikeTopic), \(config.weatherTopic) x \(config.partitions)"
        )
        print(broker.bootstrapServers)
        let stop = StopSignal.install()
        _ = stop.wait(seconds: config.duration)
        logging.logger.info("embedded broker stopping")
        withExtendedLifetime(broker) {}
    }
}
