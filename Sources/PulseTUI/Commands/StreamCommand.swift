import ArgumentParser
import Foundation

/// `pulse-tui stream`: the engine alone, for producers elsewhere (another process, the original
/// Python producers, any Kafka client), like the original stack's Spark job.
struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream", _superCommandName: "pulse-tui",
        abstract: "Run the streaming engine only: Kafka to the Delta lakehouse.", version: PulseVersion.description)

    @OptionGroup(title: "Run") var process: ProcessOptions
    @OptionGroup(title: "Run") var status: StatusOptions
    @OptionGroup(title: "Kafka") var broker: BrokerOptions
    @OptionGroup(title: "Kafka") var partitions: PartitionOptions
    @OptionGroup(title: "Engine") var engine: EngineOptions
    @OptionGroup(title: "Lakehouse") var lakehouse: LakehouseOptions

    @OptionGroup(title: "Read API") var api: APIOptions

    @OptionGroup(title: "Kafka") var group: GroupOptions

    func run() throws {
        let config = try loadConfiguration(process, broker, partitions, engine, lakehouse)
        let environment = ProcessInfo.processInfo.environment
        let session = try PipelineSession(
            config: config, parts: [.engine], api: try api.resolve(defaultPort: nil, environment: environment),
            group: try group.resolve(environment: environment))
        try session.runHeadless(statusInterval: status.statusInterval)
    }
}
