import ArgumentParser

/// `pulse-tui produce`: the producers alone, like the original stack's producer containers.
struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce", abstract: "Run the bike and weather producers only.")

    @OptionGroup var options: RunOptions

    @OptionGroup var status: StatusOptions

    func run() throws {
        let config = try loadConfiguration(options)
        let session = try PipelineSession(config: config, parts: [.producers])
        try session.runHeadless(statusInterval: status.statusInterval)
    }
}
