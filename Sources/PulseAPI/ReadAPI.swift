import Dispatch
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PulseCore
import Synchronization

/// What a running engine adds to the read API: live figures for /metrics and /stations. Absent for
/// `pulse-tui serve`, which reads the lakehouse alone.
public struct LiveEngine: Sendable {
    public var run: RunMetrics?
    public var pipelines: [PipelineMetrics]
    public var activity: StationActivity?

    public init(run: RunMetrics?, pipelines: [PipelineMetrics], activity: StationActivity?) {
        self.run = run
        self.pipelines = pipelines
        self.activity = activity
    }
}

/// The original stack's read API (FastAPI in app/api/main.py) and more, over the lakehouse: every
/// table newest first with `station_id` and `limit`, `/tables`, `/stations`, `/health`, `/openapi.json`
/// and Prometheus `/metrics`. Reads go through `TableReader`s (snapshot per version, decoded files
/// cached, files pruned by statistics), so a request costs no table scan.
public final class ReadAPI: Sendable {
    let store: any ObjectStore
    let readers: [String: TableReader]
    let live: LiveEngine?
    let metrics: MetricsExporter
    let logger: Logger
    private let running = Mutex<Task<Void, any Error>?>(nil)
    /// Encoded responses by request, valid while their table stays at the version they were read from:
    /// a dashboard or a load balancer asking the same question again costs a lookup.
    private let responses = Mutex<[String: (version: Int64, body: ByteBuffer)]>([:])
    private static let maxCachedResponses = 4096

    /// A read API over `store`; `live` when it runs inside an engine.
    public init(store: any ObjectStore, live: LiveEngine?, logger: Logger, cacheBytes: Int = 256 << 20) {
        self.store = store
        self.live = live
        self.logger = logger
        let cache = DataFileCache(capacityBytes: cacheBytes)
        var readers: [String: TableReader] = [:]
        for definition in TableSchemas.all {
            readers[definition.path] = TableReader(table: DeltaTable(store: store, path: definition.path), cache: cache)
        }
        self.readers = readers
        metrics = MetricsExporter(live: live, readers: readers, cache: cache)
    }

    /// Starts serving on `host`:`port` (0: any free port) in the background and returns the bound port;
    /// throws when the address cannot be bound.
    public func start(host: String, port: Int) throws -> Int {
        let bound = Mutex<Result<Int, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "pulse-tui"),
            onServerRunning: { channel in
                bound.withLock { $0 = .success(channel.localAddress?.port ?? port) }
                ready.signal()
            },
            logger: Logger(label: "pulse.api.http"))
        let task = Task {
            do {
                try await app.run()
            } catch {
                bound.withLock { if $0 == nil { $0 = .failure(error) } }
                ready.signal()
                throw error
            }
        }
        running.withLock { $0 = task }
        ready.wait()
        switch bound.withLock({ $0 })! {
        case .success(let port):
            logger.info("read API at http://\(host):\(port)")
            return port
        case .failure(let error):
            throw APIError(message: "cannot serve the read API on \(host):\(port): \(error)")
        }
    }

    /// Stops serving.
    public func stop() {
        running.withLock { $0?.cancel() }
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: OriginalCORSMiddleware())
        router.add(
            middleware: ReadOnlyMethodsMiddleware(
                paths: Set(["/health", "/tables", "/stations", "/openapi.json", "/metrics"] + Endpoint.all.map(\.path)))
        )
        router.get("/health") { _, _ in self.health() }
        for endpoint in Endpoint.all {
            router.get(RouterPath(endpoint.path)) { request, _ in self.rows(endpoint, request: request) }
        }
        router.get("/tables") { _, _ in self.tables() }
        router.get("/stations") { _, _ in self.stations() }
        router.get("/openapi.json") { _, _ in Self.json(OpenAPIDocument.document) }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.scrape())))
        }
        return router
    }

    // MARK: - Endpoints

    func rows(_ endpoint: Endpoint, request: Request) -> Response {
        let parameters = request.uri.queryParameters
        var problems: [JSONValue] = []
        var limit = endpoint.defaultLimit
        if let text = parameters["limit"] {
            if let value = Int(text), value >= 1, value <= endpoint.maxLimit {
                limit = value
            } else {
                problems.append(
                    Self.problem(
                        "limit", String(text),
                        Int(text) == nil
                            ? "Input should be a valid integer, unable to parse string as an integer"
                            : "Input should be \(Int(text)! < 1 ? "greater than or equal to 1" : "less than or equal to \(endpoint.maxLimit)")",
                        type: Int(text) == nil
                            ? "int_parsing" : Int(text)! < 1 ? "greater_than_equal" : "less_than_equal"))
            }
        }
        let station = parameters["station_id"].map(String.init)
        guard problems.isEmpty else {
            return Self.json(.object([JSONMember("detail", .array(problems))]), status: .unprocessableContent)
        }
        guard let reader = readers[endpoint.table] else { return Self.json(.array([])) }
        let version = reader.snapshot()?.version ?? -1
        let key = "\(endpoint.path)?\(station ?? "")&\(limit)"
        if let cached = responses.withLock({ $0[key] }), cached.version == version {
            return Self.response(cached.body, headers: staleHeaders(reader))
        }
        do {
            let result = try reader.newestRows(endpoint.query(stationID: station, limit: limit))
            let index = Dictionary(uniqueKeysWithValues: result.columns.enumerated().map { ($1, $0) })
            let rows: [JSONValue] = result.rows.map { row in
                .object(endpoint.fields.map { field in JSONMember(field.name, Self.json(row[index[field.column]!])) })
            }
            let body = ByteBuffer(string: JSONWriter.encode(.array(rows)))
            responses.withLock { cache in
                if cache.count >= Self.maxCachedResponses { cache.removeAll(keepingCapacity: true) }
                cache[key] = (version, body)
            }
            return Self.response(body, headers: staleHeaders(reader))
        } catch {
            logger.warning("\(endpoint.path): \(error)")
            return Self.json(
                .object([JSONMember("detail", .string("cannot read \(endpoint.table): \(error)"))]),
                status: .serviceUnavailable, headers: staleHeaders(reader))
        }
    }

    func health() -> Response {
        let stale = readers.values.compactMap { $0.staleness.since }.min()
        var members = [
            JSONMember("status", .string(stale == nil ? "ok" : "degraded")),
            JSONMember("lakehouse", .string(store.description)),
        ]
        if let stale {
            members.append(JSONMember("stale_since", .string(EventTime.timestampString(micros: stale))))
            if let error = readers.values.compactMap({ $0.staleness.error }).first {
                members.append(JSONMember("last_error", .string(error)))
            }
        }
        return Self.json(.object(members))
    }

    func tables() -> Response {
        var tables: [JSONValue] = []
        for definition in TableSchemas.all {
            guard let snapshot = readers[definition.path]?.snapshot() else { continue }
            let progress = snapshot.transactions.filter { !$0.key.hasPrefix("window-end-") }
            tables.append(
                .object([
                    JSONMember("path", .string(definition.path)), JSONMember("version", .int(snapshot.version)),
                    JSONMember("files", .int(Int64(snapshot.fileCount))), JSONMember("rows", .int(snapshot.rowCount)),
                    JSONMember("bytes", .int(snapshot.byteCount)),
                    JSONMember("partitionColumns", .array(snapshot.partitionColumns.map { .string($0) })),
                    JSONMember(
                        "transactions",
                        .object(progress.keys.sorted().map { JSONMember($0, .int(progress[$0]!)) })),
                ]))
        }
        var gaps: [JSONValue] = []
        for topic in ["bike", "weather"] {
            for gap in (try? GapLog(store: store).entries(topic: topic)) ?? [] {
                gaps.append(
                    .object([
                        JSONMember("topic", .string(gap.topic)), JSONMember("partition", .int(Int64(gap.partition))),
                        JSONMember("from", .int(gap.from)), JSONMember("to", .int(gap.to)),
                        JSONMember("missing", .int(gap.missing)),
                    ]))
            }
        }
        return Self.json(
            .object([
                JSONMember("lakehouse", .string(store.description)), JSONMember("tables", .array(tables)),
                JSONMember("gaps", .array(gaps)),
            ]))
    }

    func stations() -> Response {
        Self.json(.array(StationStates.current(live: live, readers: readers)))
    }

    func staleHeaders(_ reader: TableReader) -> HTTPFields {
        guard let since = reader.staleness.since else { return [:] }
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Pulse-Stale-Since")!] = EventTime.timestampString(micros: since)
        headers[HTTPField.Name("Warning")!] =
            "110 - \"Response is Stale: the store is failing, data as of \(EventTime.timestampString(micros: since))\""
        return headers
    }

    // MARK: - JSON

    static func problem(_ name: String, _ input: String, _ message: String, type: String) -> JSONValue {
        .object([
            JSONMember("type", .string(type)), JSONMember("loc", .array([.string("query"), .string(name)])),
            JSONMember("msg", .string(message)), JSONMember("input", .string(input)),
        ])
    }

    static func json(_ cell: CellValue) -> JSONValue {
        switch cell {
        case .null: return .null
        case .string(let text): return .string(text)
        case .int(let value): return .int(value)
        case .double(let value): return value.isFinite ? .double(value) : .null
        case .bool(let value): return .bool(value)
        case .timestamp(let micros): return .string(EventTime.timestampString(micros: micros))
        case .date(let days): return .string(EventTime.dateString(days: Int64(days)))
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        response(ByteBuffer(string: JSONWriter.encode(value)), status: status, headers: headers)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }
}

/// A read API failure a user can act on (a port in use, say).
public struct APIError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
