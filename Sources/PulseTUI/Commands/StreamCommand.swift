import ArgumentParser
import Foundation

/// `pulse-tui stream`: the engine alone, for producers elsewhere (another process, the original
/// Python producers, any Kafka client), like the original stack's Spark job.
struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream", abstract: "Run the streaming engine only: Kafka to the Delta lakehouse.")

    @OptionGroup var options: RunOptions

    @OptionGroup var status: StatusOptions

    @OptionGroup var api: APIOptions

    @OptionGroup var group: GroupOptions

    func run() throws {
        let config = try loadConfiguration(options)
        let environment = ProcessInfo.processInfo.environment
        let session = try PipelineSession(
            config: config, parts: [.engine], api: try api.resolve(defaultPort: nil, environment: environment),
            group: try group.resolve(environment: environment))
        try session.runHeadless(statusInterval: status.statusInterval)
    }
}
