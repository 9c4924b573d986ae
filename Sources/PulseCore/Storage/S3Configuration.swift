/// Where and how S3Store talks to S3 (AWS, MinIO, SeaweedFS): endpoint, bucket and prefix from
/// `s3://bucket/prefix`, region, credentials, addressing, and the patience for failures.
public struct S3Configuration: Sendable {
    /// Path style (`endpoint/bucket/key`, what MinIO and SeaweedFS expect) or virtual-host style
    /// (`bucket.endpoint/key`, AWS's default).
    public enum Addressing: String, Sendable, CaseIterable {
        case path
        case virtualHost = "virtual"
    }

    /// "http://127.0.0.1:8333" or "https://s3.eu-west-1.amazonaws.com": scheme, host, optional port.
    public var endpoint: String
    public var bucket: String
    /// Key prefix inside the bucket, without leading or trailing `/` ("" for the bucket root).
    public var prefix: String
    public var region: String
    public var accessKeyID: String
    public var secretAccessKey: String
    public var addressing: Addressing
    /// Create the bucket when it is missing instead of failing (the original stack's create-bucket helper).
    public var createBucket = false
    /// Objects larger than this go up as multipart uploads.
    public var multipartThreshold = 16 << 20
    /// Size of each multipart part (S3's minimum is 5 MiB except for the last part).
    public var partSize = 8 << 20
    /// Retries of one request on 5xx, 429 and connection errors, before the error reaches the engine
    /// (whose own loop retries the whole batch and shows the fault).
    public var retry = RetryPolicy()
    /// Keys per ListObjectsV2 page (nil: the server's default, 1000 on S3); small values exercise paging.
    public var listPageSize: Int?
    public var connectTimeoutSeconds = 5
    /// A transfer that moves no byte for this long is aborted and retried.
    public var stallTimeoutSeconds = 30

    public init(
        endpoint: String?, bucket: String, prefix: String, region: String = "us-east-1", accessKeyID: String,
        secretAccessKey: String, addressing: Addressing? = nil
    ) {
        let resolvedEndpoint = endpoint ?? "https://s3.\(region).amazonaws.com"
        var trimmed = resolvedEndpoint
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.endpoint = trimmed
        self.bucket = bucket
        self.prefix = prefix.split(separator: "/").joined(separator: "/")
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        // A custom endpoint is almost always MinIO-like (path style); AWS itself prefers virtual hosts.
        self.addressing = addressing ?? (endpoint == nil ? .virtualHost : .path)
    }

    /// Splits "s3://bucket/some/prefix" into ("bucket", "some/prefix"); nil when it is not such a URL.
    public static func parseLakehouseURL(_ url: String) -> (bucket: String, prefix: String)? {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard isValidBucketName(bucket) else { return nil }
        let prefix = rest.dropFirst(bucket.count).split(separator: "/").joined(separator: "/")
        return (String(bucket), prefix)
    }

    /// S3's bucket naming rules: 3-63 characters of a-z, 0-9, `.` and `-`, starting and ending alphanumeric.
    public static func isValidBucketName<S: StringProtocol>(_ name: S) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alphanumeric(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard alphanumeric(bytes.first!), alphanumeric(bytes.last!) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// "s3://bucket/prefix" (for logs and the screen: never credentials).
    public var displayName: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }
}
