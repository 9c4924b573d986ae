import Logging
import PulseCore

/// Opens the object store behind `--lakehouse`: a local directory, or `s3://bucket/prefix` on the
/// endpoint, region and credentials of the configuration.
enum LakehouseStore {
    /// `create: false` opens a local lakehouse only if its directory exists (readers such as `inspect`).
    static func open(
        _ config: PulseConfiguration, create: Bool = true, logger: Logger = Logger(label: "pulse.storage")
    ) throws -> any ObjectStore {
        guard config.lakehouse.hasPrefix("s3://") else { return try LocalStore(root: config.lakehouse, create: create) }
        guard let location = S3Configuration.parseLakehouseURL(config.lakehouse) else {
            throw ConfigError(.invalidValue, "--lakehouse \(config.lakehouse): not s3://BUCKET[/PREFIX]")
        }
        guard let accessKey = config.accessKeyID, let secretKey = config.secretAccessKey else {
            throw ConfigError(
                .invalidValue,
                "--lakehouse \(config.lakehouse): no S3 credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or S3_ACCESS_KEY and S3_SECRET_KEY, or pass --s3-access-key and --s3-secret-key)")
        }
        var s3 = S3Configuration(
            endpoint: config.s3Endpoint, bucket: location.bucket, prefix: location.prefix, region: config.s3Region,
            accessKeyID: accessKey, secretAccessKey: secretKey, addressing: config.s3Addressing)
        s3.createBucket = config.s3CreateBucket
        return try S3Store(configuration: s3, logger: logger)
    }
}
