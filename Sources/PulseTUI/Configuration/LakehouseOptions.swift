import ArgumentParser

/// Where the lakehouse is and how to reach it: every command that reads or writes the tables (the dashboard,
/// `--no-ui`, `stream`, `inspect`, `optimize`, `vacuum`).
struct LakehouseOptions: ConfigurationOptions {
    @Option(
        name: .customLong("lakehouse"),
        help: "Lakehouse root: a directory or s3://BUCKET/PREFIX (default ./lakehouse; env PULSE_LAKEHOUSE, S3_BUCKET)."
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

    func contribute(to input: inout ConfigurationInput) {
        input.groups.insert(.lakehouse)
        input.lakehouse = lakehouse
        input.s3Endpoint = s3Endpoint
        input.s3Region = s3Region
        input.s3Addressing = s3Addressing
        input.s3AccessKey = s3AccessKey
        input.s3SecretKey = s3SecretKey
    }
}
