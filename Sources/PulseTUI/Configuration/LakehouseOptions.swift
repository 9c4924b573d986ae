import ArgumentParser

/// Where the lakehouse is and how to reach it: the only settings of commands that work on stored tables
/// without running the pipeline (`vacuum`). The flags and their environment variables are the ones the
/// pipeline commands take (`RunOptions`), resolved by the same code.
struct LakehouseOptions: ParsableArguments {
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
        help: "path or virtual (env S3_ADDRESSING_STYLE; default path with --s3-endpoint, virtual without).")
    var s3Addressing: String?

    @Option(name: .customLong("s3-access-key"), help: "S3 access key (env AWS_ACCESS_KEY_ID, S3_ACCESS_KEY).")
    var s3AccessKey: String?

    @Option(name: .customLong("s3-secret-key"), help: "S3 secret key (env AWS_SECRET_ACCESS_KEY, S3_SECRET_KEY).")
    var s3SecretKey: String?

    /// The configuration these flags, the environment and `./.env` give, through `PulseConfiguration`'s
    /// one resolver. `inherited` is the root command's parse: ArgumentParser lets the root, which declares
    /// the same flags, take them from anywhere on the command line, so a flag reaches this group only when
    /// the root does not declare it; either way the value given is used.
    func configuration(inheriting inherited: RunOptions) throws -> PulseConfiguration {
        var options = try RunOptions.parse([])
        options.lakehouse = lakehouse ?? inherited.lakehouse
        options.s3Endpoint = s3Endpoint ?? inherited.s3Endpoint
        options.s3Region = s3Region ?? inherited.s3Region
        options.s3Addressing = s3Addressing ?? inherited.s3Addressing
        options.s3AccessKey = s3AccessKey ?? inherited.s3AccessKey
        options.s3SecretKey = s3SecretKey ?? inherited.s3SecretKey
        return try loadConfiguration(options)
    }
}
