import ArgumentParser

/// `pulse-tui produce`: the producers alone, like the original stack's producer containers.
struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce", _superCommandName: "pulse-tui", abstract: "Run the bike and weather producers only.",
        version: PulseVersion.description)

    @OptionGroup(title: "Run") var process: ProcessOptions
    @OptionGroup(title: "Run") var status: StatusOptions
    @OptionGroup(title: "Kafka") var broker: BrokerOptions
    @OptionGroup(title: "Kafka") var partitions: PartitionOptions
    @OptionGroup(title: "Producers") var simulation: SimulationOptions

    func run() throws {
        let config = try loadConfiguration(process, broker, partitions, simulation)
        let session = try PipelineSession(config: config, parts: [.producers])
        try session.runHeadless(statusInterval: status.statusInterval)
    }
}
