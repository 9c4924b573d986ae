import Foundation

/// Runs the real `pulse-tui` binary as a user would, for end-to-end tests.
/// PULSE_BINARY (set by `make test` to the release build) wins; otherwise the debug build beside the tests.
enum PulseBinary {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var path: String {
        if let env = ProcessInfo.processInfo.environment["PULSE_BINARY"], !env.isEmpty { return env }
        return packageRoot.appendingPathComponent(".build/debug/pulse-tui").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with `arguments` in `directory`, killing it after `timeout` seconds.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, timeout: Double = 60
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["REDPANDA_BROKERS", "KAFKA_BROKER", "BIKE_INTERVAL_SEC", "WEATHER_INTERVAL_SEC"] { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        let dir = directory ?? temporaryDirectory()
        process.currentDirectoryURL = dir
        let out = dir.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let err = dir.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// A fresh directory for one test's working directory (logs, lakehouse, .env).
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
