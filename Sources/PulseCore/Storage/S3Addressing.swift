/// Request URLs for S3, encoded the way SigV4 canonicalises them: curl 7.88 signs the path and query
/// exactly as given, so keys are percent-encoded per segment and query parameters sorted and encoded here.
enum S3Addressing {
    /// The URL of `key` in the configured bucket (the bucket itself when `key` is nil), with `query`.
    static func url(_ configuration: S3Configuration, key: String?, query: [(String, String)]) -> String {
        var url: String
        let encodedKey = key.map(encodePath) ?? ""
        switch configuration.addressing {
        case .path:
            url = configuration.endpoint + "/" + configuration.bucket
            if key != nil { url += "/" + encodedKey } else { url += "/" }
        case .virtualHost:
            let endpoint = configuration.endpoint
            if let schemeEnd = endpoint.firstRange(of: "://") {
                url = endpoint[..<schemeEnd.upperBound] + configuration.bucket + "." + endpoint[schemeEnd.upperBound...]
            } else {
                url = configuration.bucket + "." + endpoint
            }
            url += "/" + encodedKey
        }
        if !query.isEmpty { url += "?" + canonicalQuery(query) }
        return url
    }

    /// `a=1&b=x%2Fy`: sorted by name (then value), names and values percent-encoded, `=` kept for empty values.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (encode($0.0, keepSlash: false), encode($0.1, keepSlash: false)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// A key with every segment percent-encoded and the `/` between segments kept.
    static func encodePath(_ key: String) -> String { encode(key, keepSlash: true) }

    /// RFC 3986 encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - . _ ~) stay, every
    /// other byte of the UTF-8 becomes %XX in upper case (the same rule as Delta's partition paths).
    static func encode(_ text: String, keepSlash: Bool) -> String {
        PartitionPath.percentEncode(text) { keepSlash && $0 == UInt8(ascii: "/") }
    }
}
