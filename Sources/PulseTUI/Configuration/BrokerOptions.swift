import ArgumentParser

/// Which Kafka to use: the commands that produce or read records (the dashboard, `--no-ui`, `produce`, `stream`).
struct BrokerOptions: ConfigurationOptions {
    @Option(
        name: .customLong("brokers"),
        help:
            "Kafka bootstrap servers HOST:PORT[,HOST:PORT...] (env REDPANDA_BROKERS, KAFKA_BROKER). Absent: an embedded broker."
    )
    var brokers: String?

    func contribute(to input: inout ConfigurationInput) {
        input.groups.insert(.broker)
        input.brokers = brokers
    }
}

/// The partition count of the topics an embedded broker creates: every command that may start one
/// (`broker`, and the dashboard, `--no-ui`, `produce` and `stream` without `--brokers`).
struct PartitionOptions: ConfigurationOptions {
    @Option(
        name: .customLong("partitions"),
        help: "Partitions per topic on the embedded broker (default 3; env PULSE_PARTITIONS).")
    var partitions: String?

    func contribute(to input: inout ConfigurationInput) {
        input.groups.insert(.partitions)
        input.partitions = partitions
    }
}
