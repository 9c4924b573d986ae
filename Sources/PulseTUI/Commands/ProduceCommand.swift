import ArgumentParser

/// `pulse-tui produce`: the producers alone, like the original stack's producer containers.
struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce", abstract: "Run the bike and weather producers only.")

    @OptionGroup var options: RunOptions

    @Option(name: .customLong("status-interval"), help: "Seconds between status lines (default 5).")
    var statusInterval: Double = 5

    func run() throws {
        let config = try loadConfiguration(options)
        let session = try PipelineSession(config: config, parts: [.producers])
        try session.runHeadless(statusInterval: statusInterval)
    }
}
