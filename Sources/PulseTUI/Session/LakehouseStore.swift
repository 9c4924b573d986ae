import PulseCore

/// Opens the object store behind `--lakehouse`: a local directory now; `s3://` arrives with S3Store.
enum LakehouseStore {
    static func open(_ config: PulseConfiguration) throws -> any ObjectStore {
        if config.lakehouse.hasPrefix("s3://") {
            throw ConfigError(.invalidValue, "--lakehouse \(config.lakehouse): S3 lakehouses are not supported yet; use a directory")
        }
        return try LocalStore(root: config.lakehouse)
    }
}
