import ArgumentParser

/// The flags shared by every command that runs part of the pipeline. Flag names are a contract
/// (ARCHITECTURE.md § Commands): scripts and tests use them. Values are taken as text and checked in
/// `PulseConfiguration.resolve`, so a bad flag and a bad environment variable get the same message.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("duration"), help: "Stop cleanly after this many seconds.")
    var duration: String?

    @Option(name: .customLong("speed"), help: "Run the simulated clock N times faster than real time.")
    var speed: String?

    @Option(name: .customLong("seed"), help: "Seed of the simulation; the same seed gives the same events.")
    var seed: String?

    @Option(
        name: .customLong("start"),
        help: "Simulated start time, ISO-8601 UTC (default: now). With --seed, makes event times reproducible.")
    var start: String?

    @Option(
        name: .customLong("brokers"),
        help:
            "Kafka bootstrap servers HOST:PORT[,HOST:PORT...] (env REDPANDA_BROKERS, KAFKA_BROKER). Absent: embedded broker."
    )
    var brokers: String?

    @Option(
        name: .customLong("lakehouse"), help: "Lakehouse root: a directory or s3://BUCKET/PREFIX (default ./lakehouse)."
    )
    var lakehouse: String?

    @Option(name: .customLong("s3-endpoint"), help: "S3 endpoint URL (env S3_ENDPOINT; absent: AWS).")
    var s3Endpoint: String?

    @Option(
        name: .customLong("s3-region"), help: "S3 region for signing (env AWS_REGION, S3_REGION; default us-east-1).")
    var s3Region: String?

    @Option(
        name: .customLong("s3-addressing"),
        help:
            "path (bucket in the path, MinIO's way) or virtual (bucket in the host name) (env S3_ADDRESSING_STYLE; default path with --s3-endpoint, virtual without)."
    )
    var s3Addressing: String?

    @Option(name: .customLong("s3-access-key"), help: "S3 access key (env AWS_ACCESS_KEY_ID, S3_ACCESS_KEY).")
    var s3AccessKey: String?

    @Option(name: .customLong("s3-secret-key"), help: "S3 secret key (env AWS_SECRET_ACCESS_KEY, S3_SECRET_KEY).")
    var s3SecretKey: String?

    @Flag(name: .customLong("s3-create-bucket"), help: "Create the lakehouse bucket when it does not exist.")
    var s3CreateBucket = false

    @Option(name: .customLong("partitions"), help: "Partitions per topic on the embedded broker (default 3).")
    var partitions: String?

    @Option(name: .customLong("trigger"), help: "Seconds between the engine's micro-batches (default 2).")
    var trigger: String?

    @Option(
        name: .customLong("compaction-interval"),
        help: "Seconds between the engine's background compaction rounds; 0 turns compaction off (default 5).")
    var compactionInterval: String?

    @Option(
        name: .customLong("bike-interval"), help: "Wall-clock seconds between bike rounds (env BIKE_INTERVAL_SEC).")
    var bikeInterval: String?

    @Option(
        name: .customLong("weather-interval"),
        help: "Wall-clock seconds between weather rounds (env WEATHER_INTERVAL_SEC).")
    var weatherInterval: String?

    @Option(name: .customLong("bad-records"), help: "Share (0...1) of records made malformed on purpose (default 0).")
    var badRecords: String?

    @Option(name: .customLong("log-dir"), help: "Directory for logs/YYYY-MM-DD/pulse.*.log (default ./logs).")
    var logDirectory: String?
}
