import Foundation
import Logging
import PulseCore
import Testing

@testable import PulseAPI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The read API over real HTTP on loopback, on a lakehouse without tables: the original's parameter
/// rules (422 with FastAPI's error shape), read-only methods, its CORS origins and an OpenAPI document
/// naming every endpoint. Rows against delta-rs are checked in Tests/Interop/test_api.py.
/// Serialized: `ReadAPI.start` waits for the server on the calling thread, and parallel tests would hold
/// every thread of the 2-core cooperative pool the servers need.
@Suite(.serialized) struct ReadAPITests {
    /// A server on a free port over an empty temporary lakehouse; stopped when `body` returns.
    static func withServer(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-api-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LocalStore(root: directory.path)
        let api = ReadAPI(store: store, live: nil, logger: Logger(label: "test"))
        let port = try api.start(host: "127.0.0.1", port: 0)
        defer { api.stop() }
        try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }

    static func request(
        _ base: URL, _ path: String, method: String = "GET", headers: [String: String] = [:]
    ) async throws -> (status: Int, headers: [AnyHashable: Any], body: Data) {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.allHeaderFields, data)
    }

    @Test func limitOutOfBoundsIs422WithTheOriginalsErrorShape() async throws {
        try await Self.withServer { base in
            for (path, type) in [
                ("/silver/bike?limit=0", "greater_than_equal"), ("/silver/bike?limit=5001", "less_than_equal"),
                ("/gold/bike_hourly?limit=10001", "less_than_equal"), ("/gold/bike_minute?limit=ten", "int_parsing"),
            ] {
                let (status, _, body) = try await Self.request(base, path)
                #expect(status == 422, "\(path)")
                let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                let detail = try #require((object["detail"] as? [[String: Any]])?.first)
                #expect(detail["type"] as? String == type, "\(path)")
                #expect(detail["loc"] as? [String] == ["query", "limit"], "\(path)")
            }
            // The bounds themselves are accepted: an empty lakehouse answers an empty array.
            for path in ["/silver/bike?limit=5000", "/gold/bike_hourly?limit=10000&station_id=S001"] {
                let (status, _, body) = try await Self.request(base, path)
                #expect(status == 200, "\(path)")
                #expect(String(decoding: body, as: UTF8.self) == "[]", "\(path)")
            }
        }
    }

    @Test func writesAreRefusedWith405AndAllow() async throws {
        try await Self.withServer { base in
            for method in ["POST", "PUT", "DELETE"] {
                let (status, headers, _) = try await Self.request(base, "/silver/bike", method: method)
                #expect(status == 405, "\(method)")
                #expect(headers["Allow"] as? String == "GET, HEAD, OPTIONS", "\(method)")
            }
            #expect(try await Self.request(base, "/no/such/path").status == 404)
        }
    }

    @Test func onlyTheOriginalsWebOriginsGetCORSHeaders() async throws {
        try await Self.withServer { base in
            let allowed = try await Self.request(base, "/health", headers: ["Origin": "http://localhost:5173"])
            #expect(allowed.headers["Access-Control-Allow-Origin"] as? String == "http://localhost:5173")
            let other = try await Self.request(base, "/health", headers: ["Origin": "http://evil.example"])
            #expect(other.headers["Access-Control-Allow-Origin"] == nil)
            let preflight = try await Self.request(
                base, "/gold/bike_hourly", method: "OPTIONS",
                headers: ["Origin": "http://127.0.0.1:5174", "Access-Control-Request-Method": "GET"])
            #expect(preflight.status == 200)
            #expect(preflight.headers["Access-Control-Allow-Methods"] as? String == "GET, HEAD, OPTIONS")
        }
    }

    @Test func healthAndOpenAPINameEveryEndpoint() async throws {
        try await Self.withServer { base in
            let health = try await Self.request(base, "/health")
            let status = try JSONSerialization.jsonObject(with: health.body) as? [String: Any]
            #expect(status?["status"] as? String == "ok")
            let document = try await Self.request(base, "/openapi.json")
            let object = try #require(try JSONSerialization.jsonObject(with: document.body) as? [String: Any])
            let paths = try #require(object["paths"] as? [String: Any])
            for endpoint in Endpoint.all { #expect(paths[endpoint.path] != nil, "\(endpoint.path)") }
            for path in ["/health", "/tables", "/stations", "/metrics"] { #expect(paths[path] != nil, "\(path)") }
        }
    }
}
