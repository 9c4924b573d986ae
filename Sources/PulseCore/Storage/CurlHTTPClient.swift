import CCurl
import Synchronization

/// One HTTP request as S3Store builds it; the URL is final (key and query already encoded).
struct HTTPRequest {
    var method: String
    var url: String
    /// "Name: value" lines; signed by curl's SigV4 along with host and x-amz-date.
    var headers: [String] = []
    /// The body to send; empty for GET, HEAD and DELETE.
    var body: ArraySlice<UInt8> = []
}

/// What the server answered.
struct HTTPResponse {
    var status: Int
    /// Header names lowercased, values trimmed.
    var headers: [String: String]
    var body: [UInt8]
}

/// A request that got no HTTP answer: curl's code and message. `mayHaveReachedServer` is false only when
/// the connection was never made, so the caller knows whether a non-idempotent request might have landed.
struct HTTPTransportError: Error, CustomStringConvertible {
    var code: Int
    var message: String

    var mayHaveReachedServer: Bool {
        let neverConnected: Set<Int> = [
            Int(CURLE_COULDNT_RESOLVE_HOST.rawValue), Int(CURLE_COULDNT_CONNECT.rawValue),
            Int(CURLE_COULDNT_RESOLVE_PROXY.rawValue), Int(CURLE_URL_MALFORMAT.rawValue),
        ]
        return !neverConnected.contains(code)
    }

    var description: String { "\(message) (curl \(code))" }
}

/// SigV4 signing identity handed to curl (CURLOPT_AWS_SIGV4 + CURLOPT_USERPWD).
struct SigV4Credentials: Sendable {
    var accessKeyID: String
    var secretAccessKey: String
    var region: String
}

/// Performs HTTP requests with libcurl, keeping a small pool of easy handles so connections are reused
/// across requests (and threads) instead of a TCP handshake per object.
final class CurlHTTPClient: Sendable {
    private let pool = Mutex<[HandleBox]>([])
    private let credentials: SigV4Credentials?
    private let connectTimeoutSeconds: Int
    private let lowSpeedSeconds: Int

    /// A curl easy handle; only ever used by one thread at a time (taken from and returned to the pool).
    private final class HandleBox: @unchecked Sendable {
        let handle: UnsafeMutableRawPointer
        init(_ handle: UnsafeMutableRawPointer) { self.handle = handle }
        deinit { curl_easy_cleanup(handle) }
    }

    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    /// `lowSpeedSeconds`: abort a transfer that moves nothing for this long (a hung server), rather than
    /// a total timeout that large uploads would hit.
    init(credentials: SigV4Credentials?, connectTimeoutSeconds: Int = 5, lowSpeedSeconds: Int = 30) {
        _ = Self.globalInit
        self.credentials = credentials
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.lowSpeedSeconds = lowSpeedSeconds
    }

    func perform(_ request: HTTPRequest) throws -> HTTPResponse {
        let box = takeHandle()
        defer { pool.withLock { $0.append(box) } }
        let handle = box.handle
        curl_easy_reset(handle)
        let transfer = Transfer(body: request.body)
        let opaque = Unmanaged.passUnretained(transfer).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        // No "Expect:" override: curl 7.88 would sign the empty header it then does not send (403).
        for line in request.headers { headerList = curl_slist_append(headerList, line) }

        pulse_curl_setopt_str(handle, CURLOPT_URL, request.url)
        pulse_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        pulse_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeoutSeconds)
        pulse_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        pulse_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, lowSpeedSeconds)
        pulse_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        pulse_curl_setopt_write(handle, curlWriteBody)
        pulse_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, opaque)
        pulse_curl_setopt_header(handle, curlWriteHeader)
        pulse_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, opaque)
        if let credentials {
            pulse_curl_setopt_str(handle, CURLOPT_AWS_SIGV4, "aws:amz:\(credentials.region):s3")
            pulse_curl_setopt_str(handle, CURLOPT_USERNAME, credentials.accessKeyID)
            pulse_curl_setopt_str(handle, CURLOPT_PASSWORD, credentials.secretAccessKey)
        }
        switch request.method {
        case "GET":
            pulse_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD":
            pulse_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default:
            // Any method with a body (PUT, POST) or none (DELETE): curl uploads `body` and sends `method`.
            if request.method != "DELETE" || !request.body.isEmpty {
                pulse_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
                pulse_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.count))
                pulse_curl_setopt_read(handle, curlReadBody)
                pulse_curl_setopt_ptr(handle, CURLOPT_READDATA, opaque)
            }
            pulse_curl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        let code = withExtendedLifetime(transfer) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            let message = curl_easy_strerror(code).map { String(cString: $0) } ?? "curl error"
            throw HTTPTransportError(code: Int(code.rawValue), message: message)
        }
        return HTTPResponse(
            status: pulse_curl_response_code(handle), headers: transfer.headers, body: transfer.received)
    }

    private func takeHandle() -> HandleBox {
        if let box = pool.withLock({ $0.popLast() }) { return box }
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed (out of memory)") }
        return HandleBox(handle)
    }
}

/// Per-request state the C callbacks reach through their opaque pointer.
private final class Transfer {
    let body: ArraySlice<UInt8>
    var sent = 0
    var received: [UInt8] = []
    var headers: [String: String] = [:]

    init(body: ArraySlice<UInt8>) { self.body = body }
}

private let curlWriteBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, opaque in
    guard let data, let opaque else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(opaque).takeUnretainedValue()
    let length = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        transfer.received.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

private let curlWriteHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int =
    {
        data, size, count, opaque in
        guard let data, let opaque else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(opaque).takeUnretainedValue()
        let length = size * count
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            transfer.headers = [:]  // a new response (after a redirect or 100 Continue)
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            transfer.headers[name] = value
        }
        return length
    }

private let curlReadBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, opaque in
    guard let buffer, let opaque else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(opaque).takeUnretainedValue()
    let length = min(size * count, transfer.body.count - transfer.sent)
    if length <= 0 { return 0 }
    let start = transfer.body.startIndex + transfer.sent
    transfer.body[start..<(start + length)].withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress!, byteCount: length)
    }
    transfer.sent += length
    return length
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, CR and LF (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
