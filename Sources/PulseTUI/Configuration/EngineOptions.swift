import ArgumentParser

/// How the streaming engine runs: its micro-batch trigger and background compaction, and whether it may create
/// the lakehouse bucket it writes to (the dashboard, `--no-ui`, `stream`).
struct EngineOptions: ConfigurationOptions {
    @Option(
        name: .customLong("trigger"),
        help: "Seconds between the engine's micro-batches (default 2; env PULSE_TRIGGER_SEC).")
    var trigger: String?

    @Option(
        name: .customLong("compaction-interval"),
        help: "Seconds between the engine's background compaction rounds; 0 turns compaction off (default 5).")
    var compactionInterval: String?

    @Flag(name: .customLong("s3-create-bucket"), help: "Create the lakehouse bucket when it does not exist.")
    var s3CreateBucket = false

    func contribute(to input: inout ConfigurationInput) {
        input.groups.insert(.engine)
        input.trigger = trigger
        input.compactionInterval = compactionInterval
        input.s3CreateBucket = s3CreateBucket
    }
}
