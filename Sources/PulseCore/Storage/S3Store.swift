import Logging

/// An `ObjectStore` on S3 or an S3-compatible server (MinIO, SeaweedFS), over libcurl with SigV4.
///
/// `putIfAbsent` is a PUT with `If-None-Match: *`: the server creates the key only if it is absent and
/// answers 412 otherwise, which is the whole Delta commit protocol. When a conditional PUT's outcome is
/// unknown (the connection broke after sending, or a 5xx), the store reads the key back before deciding:
/// our bytes there mean we won, other bytes mean we lost, nothing means it is safe to send again.
/// Requests failing with 5xx, 429 or a connection error are retried with jittered backoff; what still
/// fails surfaces as a `StorageError` the engine shows and retries. Credentials never leave curl.
public final class S3Store: ObjectStore {
    public let configuration: S3Configuration
    private let client: CurlHTTPClient
    private let logger: Logger?

    /// Opens the bucket: a missing one is created when `configuration.createBucket` says so, and is an
    /// error otherwise, as are refused credentials. An unreachable server is not an error here: the
    /// engine shows it and retries.
    public init(configuration: S3Configuration, logger: Logger? = nil) throws {
        self.configuration = configuration
        self.client = CurlHTTPClient(
            credentials: SigV4Credentials(
                accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey,
                region: configuration.region),
            connectTimeoutSeconds: configuration.connectTimeoutSeconds,
            lowSpeedSeconds: configuration.stallTimeoutSeconds)
        self.logger = logger
        try checkBucket()
    }

    public var description: String { configuration.displayName }

    public func get(_ key: String) throws -> [UInt8] {
        let response = try send("GET", key: try objectKey(key, "get"), operation: "get")
        switch response.status {
        case 200: return response.body
        case 404 where !isMissingBucket(response):
            throw StorageError(code: .notFound, key: key, store: description, operation: "get")
        default: throw failure(response, key: key, operation: "get")
        }
    }

    public func put(_ key: String, _ data: [UInt8]) throws {
        let object = try objectKey(key, "put")
        if data.count > configuration.multipartThreshold {
            try putMultipart(object, data, key: key)
            return
        }
        let response = try send("PUT", key: object, body: data[...], operation: "put")
        guard response.status == 200 else { throw failure(response, key: key, operation: "put") }
    }

    public func putIfAbsent(_ key: String, _ data: [UInt8]) throws -> Bool {
        let object = try objectKey(key, "putIfAbsent")
        let hash = SHA256Digest.hex(data)
        var retry = 0
        while true {
            var outcomeUnknown = false
            var lastError = ""
            do {
                let response = try sendOnce(
                    "PUT", key: object, headers: ["If-None-Match: *"], body: data[...], payloadHash: hash)
                switch response.status {
                case 200: return true
                case 412: return false
                case 409:  // ConditionalRequestConflict: a racing conditional write on AWS; try again.
                    lastError = "HTTP 409 conflict"
                case 500...599, 429:
                    outcomeUnknown = true
                    lastError = statusText(response)
                default:
                    throw failure(response, key: key, operation: "putIfAbsent")
                }
            } catch let error as HTTPTransportError {
                outcomeUnknown = error.mayHaveReachedServer
                lastError = error.description
            }
            if outcomeUnknown, let decided = try resolveUnknownPut(object, data, key: key) { return decided }
            guard retry + 1 < configuration.retry.attempts else {
                throw StorageError(
                    code: .unavailable, key: key, store: description, operation: "putIfAbsent", message: lastError)
            }
            logRetry("PUT If-None-Match", key: key, error: lastError, retry: retry)
            configuration.retry.pause(forRetry: retry)
            retry += 1
        }
    }

    public func list(prefix: String) throws -> [ObjectInfo] {
        let root = configuration.prefix.isEmpty ? "" : configuration.prefix + "/"
        var objects: [ObjectInfo] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", root + prefix)]
            if let token { query.append(("continuation-token", token)) }
            if let size = configuration.listPageSize { query.append(("max-keys", String(size))) }
            let response = try send("GET", key: nil, query: query, operation: "list")
            guard response.status == 200 else { throw failure(response, key: prefix, operation: "list") }
            let page = S3XML.listPage(response.body)
            for object in page.objects where object.key.hasPrefix(root) {
                objects.append(
                    ObjectInfo(
                        key: String(object.key.dropFirst(root.count)), size: object.size,
                        lastModified: object.lastModified))
            }
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
        objects.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return objects
    }

    public func delete(_ key: String) throws {
        let response = try send("DELETE", key: try objectKey(key, "delete"), operation: "delete")
        guard [200, 204].contains(response.status) || (response.status == 404 && !isMissingBucket(response)) else {
            throw failure(response, key: key, operation: "delete")
        }
    }

    // MARK: - Bucket

    private func checkBucket() throws {
        let response: HTTPResponse
        do {
            response = try sendOnce("HEAD", key: nil)
        } catch {
            logger?.warning("S3 endpoint \(configuration.endpoint) not reachable yet (\(error)); will retry")
            return
        }
        switch response.status {
        case 200: return
        case 404:
            guard configuration.createBucket else {
                throw StorageError(
                    code: .notFound, key: "", store: description, operation: "open",
                    message: "bucket '\(configuration.bucket)' does not exist at \(configuration.endpoint); "
                        + "create it or pass --s3-create-bucket")
            }
            let created = try send("PUT", key: nil, operation: "create bucket")
            guard created.status == 200 || created.status == 409 else {
                throw failure(created, key: "", operation: "create bucket")
            }
            logger?.info("created bucket \(configuration.bucket) at \(configuration.endpoint)")
        case 301, 400:
            throw StorageError(
                code: .io, key: "", store: description, operation: "open",
                message: "HTTP \(response.status) for bucket '\(configuration.bucket)': wrong region or addressing? "
                    + "(region \(configuration.region), \(configuration.addressing.rawValue)-style)")
        case 403:
            throw StorageError(
                code: .permissionDenied, key: "", store: description, operation: "open",
                message: "access to bucket '\(configuration.bucket)' denied (HTTP 403): check the access key and "
                    + "secret (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or S3_ACCESS_KEY/S3_SECRET_KEY)")
        default:
            logger?.warning("S3 bucket check answered HTTP \(response.status); will retry with the first request")
        }
    }

    // MARK: - Multipart

    private func putMultipart(_ object: String, _ data: [UInt8], key: String) throws {
        let created = try send("POST", key: object, query: [("uploads", "")], operation: "multipart create")
        guard created.status == 200,
            let uploadID = S3XML.value("UploadId", in: String(decoding: created.body, as: UTF8.self))
        else { throw failure(created, key: key, operation: "multipart create") }
        do {
            var etags: [String] = []
            var offset = 0
            while offset < data.count {
                let end = min(offset + configuration.partSize, data.count)
                let number = etags.count + 1
                let part = try send(
                    "PUT", key: object, query: [("partNumber", String(number)), ("uploadId", uploadID)],
                    body: data[offset..<end], operation: "multipart part \(number)")
                guard part.status == 200, let etag = part.headers["etag"] else {
                    throw failure(part, key: key, operation: "multipart part \(number)")
                }
                etags.append(etag)
                offset = end
            }
            var manifest = "<CompleteMultipartUpload>"
            for (index, etag) in etags.enumerated() {
                manifest += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(escapeXML(etag))</ETag></Part>"
            }
            manifest += "</CompleteMultipartUpload>"
            let completed = try send(
                "POST", key: object, query: [("uploadId", uploadID)], body: Array(manifest.utf8)[...],
                operation: "multipart complete")
            // A 200 can still carry an <Error> body when the server failed while assembling.
            guard completed.status == 200, S3XML.errorSummary(completed.body) == nil else {
                throw failure(completed, key: key, operation: "multipart complete")
            }
        } catch {
            _ = try? sendOnce("DELETE", key: object, query: [("uploadId", uploadID)])
            throw error
        }
    }

    // MARK: - Requests

    /// Decides a conditional PUT whose answer was lost: true if our bytes are there, false if other bytes
    /// are, nil if nothing is (so sending again is safe).
    private func resolveUnknownPut(_ object: String, _ data: [UInt8], key: String) throws -> Bool? {
        let response = try send("GET", key: object, operation: "putIfAbsent check")
        switch response.status {
        case 200: return response.body == data
        case 404 where !isMissingBucket(response): return nil
        default: throw failure(response, key: key, operation: "putIfAbsent check")
        }
    }

    /// Sends with retries on 5xx, 429 and connection errors (for idempotent requests only); returns the
    /// last answer, whatever its status, or throws `.unavailable` when no answer came.
    private func send(
        _ method: String, key: String?, query: [(String, String)] = [], headers: [String] = [],
        body: ArraySlice<UInt8> = [], operation: String
    ) throws -> HTTPResponse {
        let hash = SHA256Digest.hex(body)  // once, not per attempt (multipart parts are megabytes)
        var retry = 0
        while true {
            var lastError: String
            do {
                let response = try sendOnce(
                    method, key: key, query: query, headers: headers, body: body, payloadHash: hash)
                guard response.status >= 500 || response.status == 429 else { return response }
                lastError = statusText(response)
                if retry + 1 >= configuration.retry.attempts { return response }
            } catch let error as HTTPTransportError {
                lastError = error.description
                if retry + 1 >= configuration.retry.attempts {
                    throw StorageError(
                        code: .unavailable, key: key ?? "", store: description, operation: operation,
                        message: "\(configuration.endpoint) \(error.description)")
                }
            }
            logRetry(method, key: key ?? "", error: lastError, retry: retry)
            configuration.retry.pause(forRetry: retry)
            retry += 1
        }
    }

    /// One request, no retry: signs (via curl) with the payload hash S3 requires (`payloadHash`, when
    /// the caller already has it).
    private func sendOnce(
        _ method: String, key: String?, query: [(String, String)] = [], headers: [String] = [],
        body: ArraySlice<UInt8> = [], payloadHash: String? = nil
    ) throws -> HTTPResponse {
        let hash = payloadHash ?? (body.isEmpty ? SHA256Digest.empty : SHA256Digest.hex(body))
        var allHeaders = headers + ["x-amz-content-sha256: \(hash)"]
        if !body.isEmpty { allHeaders.append("Content-Type: application/octet-stream") }
        let request = HTTPRequest(
            method: method, url: S3Addressing.url(configuration, key: key, query: query), headers: allHeaders,
            body: body)
        return try client.perform(request)
    }

    /// The full object key under the prefix, after refusing keys no other store would accept.
    private func objectKey(_ key: String, _ operation: String) throws -> String {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !key.hasPrefix("/"), !segments.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
        else {
            throw StorageError(code: .invalidKey, key: key, store: description, operation: operation)
        }
        return configuration.prefix.isEmpty ? key : configuration.prefix + "/" + key
    }

    private func isMissingBucket(_ response: HTTPResponse) -> Bool {
        S3XML.errorSummary(response.body)?.code == "NoSuchBucket"
    }

    private func statusText(_ response: HTTPResponse) -> String {
        if let error = S3XML.errorSummary(response.body) {
            return "HTTP \(response.status) \(error.code)" + (error.message.isEmpty ? "" : ": \(error.message)")
        }
        return "HTTP \(response.status)"
    }

    private func failure(_ response: HTTPResponse, key: String, operation: String) -> StorageError {
        var message = statusText(response)
        let code: StorageError.Code
        switch response.status {
        case 403: code = .permissionDenied
        case 404 where isMissingBucket(response):
            code = .unavailable
            message += " (bucket '\(configuration.bucket)' at \(configuration.endpoint))"
        case 404: code = .notFound
        case 507: code = .noSpace
        case 429, 500...599: code = .unavailable
        default: code = .io
        }
        return StorageError(code: code, key: key, store: description, operation: operation, message: message)
    }

    private func logRetry(_ method: String, key: String, error: String, retry: Int) {
        logger?.warning("S3 \(method) \(key): \(error); retry \(retry + 1) of \(configuration.retry.attempts - 1)")
    }

    private func escapeXML(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
