import ArgumentParser

/// What a command was given on its command line, as text, and which groups of settings it takes.
///
/// Values stay text until `PulseConfiguration.resolve` checks them, so a bad flag and a bad environment
/// variable get the same message. Only the groups a command takes are read from the environment and `.env`:
/// a variable meant for another command (`REDPANDA_BROKERS` for `inspect`) never stops this one.
struct ConfigurationInput: Sendable {
    /// A group of settings, one per option group (`ConfigurationOptions`).
    enum Group: Hashable, Sendable {
        case process, broker, partitions, producers, engine, lakehouse
    }

    var groups: Set<Group> = []

    var duration: String?
    var logDirectory: String?
    var logFormat: String?
    var brokers: String?
    var partitions: String?
    var speed: String?
    var seed: String?
    var start: String?
    var bikeInterval: String?
    var weatherInterval: String?
    var badRecords: String?
    var trigger: String?
    var compactionInterval: String?
    var s3CreateBucket = false
    var lakehouse: String?
    var s3Endpoint: String?
    var s3Region: String?
    var s3Addressing: String?
    var s3AccessKey: String?
    var s3SecretKey: String?
}

/// An option group of the command line that feeds the configuration: each command declares the groups that
/// apply to it, so its `--help` lists exactly its options and any other flag is refused (exit 64).
///
/// ```swift
/// struct StreamCommand: ParsableCommand {
///     @OptionGroup(title: "Lakehouse") var lakehouse: LakehouseOptions
///     func run() throws { let config = try loadConfiguration(lakehouse) }
/// }
/// ```
protocol ConfigurationOptions: ParsableArguments {
    /// Adds this group's flags, and its group, to `input`.
    func contribute(to input: inout ConfigurationInput)
}
