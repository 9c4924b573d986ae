import Foundation
import Testing

/// A bad flag or value gets one clear line, the usage hint and a non-zero exit, before anything starts.
@Suite struct CommandLineTests {
    static let badInvocations: [([String], [String: String], String)] = [
        (["--bike-interval", "-1"], [:], "bike-interval"),
        (["--bike-interval=-1"], [:], "bike-interval"),
        (["--weather-interval", "0"], [:], "weather-interval"),
        (["--brokers", "not a broker list"], [:], "broker list"),
        (["--brokers", "localhost:99999"], [:], "broker list"),
        (["--brokers", "host:9092,"], [:], "broker list"),
        ([], ["REDPANDA_BROKERS": "nope"], "REDPANDA_BROKERS"),
        ([], ["BIKE_INTERVAL_SEC": "-5"], "BIKE_INTERVAL_SEC"),
        (["--speed", "fast"], [:], "speed"),
        (["--seed", "-3"], [:], "seed"),
        (["--partitions", "0"], [:], "partitions"),
        (["--bad-records", "1.5"], [:], "bad-records"),
        (["--duration", "-2"], [:], "duration"),
        (["--frobnicate"], [:], "frobnicate"),
        (["launch-rockets"], [:], "launch-rockets"),
        (["produce", "--bike-interval", "abc"], [:], "bike-interval"),
        (["--s3-endpoint", "ftp://x"], [:], "s3-endpoint"),
        (["--lakehouse", "s3://UPPER/x"], [:], "s3://UPPER/x"),
        (["--s3-addressing", "sideways"], [:], "s3-addressing"),
        (["--s3-region", "us east"], [:], "s3-region"),
        ([], ["S3_BUCKET": "a_b"], "S3_BUCKET"),
        (["vacuum", "--retain-hours", "1"], [:], "--force"),
        (["vacuum", "--retain-hours", "-1", "--force"], [:], "retain-hours"),
        (["vacuum", "--retain-hours", "a week"], [:], "retain-hours"),
        (["vacuum", "--speed-up"], [:], "speed-up"),
        (["inspect", "--brokers", "nowhere:1", "--speed", "5"], [:], "--brokers"),
        (["--speed", "5", "inspect"], [:], "'inspect' comes first"),
        (["--log-format", "yaml"], [:], "--log-format"),
        ([], ["PULSE_LOG_FORMAT": "xml"], "PULSE_LOG_FORMAT"),
    ]

    @Test(arguments: badInvocations)
    func badInputIsOneLineAndNonZeroExit(arguments: [String], environment: [String: String], mentions: String) throws {
        // Commands that run until stopped get a --duration, so a line the parser wrongly accepts ends anyway.
        let runs = arguments.first.map { !["inspect", "optimize", "vacuum"].contains($0) } ?? true
        let result = try PulseBinary.run(
            arguments + (runs ? ["--duration", "1"] : []), environment: environment, timeout: 20)
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr was: \(result.stderr)")
        #expect(result.stderr.contains(mentions), "stderr was: \(result.stderr)")
        #expect(result.stderr.contains("--help')"))
        #expect(result.stdout.isEmpty)
    }

    @Test func malformedDotEnvLineIsReportedWithItsLineNumber() throws {
        let dir = PulseBinary.temporaryDirectory()
        try "# settings\nBIKE_INTERVAL_SEC=2\nthis line is wrong\n".write(
            to: dir.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let result = try PulseBinary.run(["--no-ui", "--duration", "1"], directory: dir, timeout: 20)
        #expect(result.status != 0)
        #expect(result.stderr.contains(".env:3"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func helpExitsZeroAndListsTheContractFlags() throws {
        let result = try PulseBinary.run(["--help"], timeout: 20)
        #expect(result.status == 0)
        for flag in [
            "--no-ui", "--duration", "--speed", "--seed", "--brokers", "--lakehouse", "--s3-endpoint", "--partitions",
            "--trigger", "--bike-interval", "--weather-interval", "--bad-records",
        ] {
            #expect(result.stdout.contains(flag), "help lacks \(flag)")
        }
    }
}

/// An unreachable broker is shown and retried, never a crash, and librdkafka's noise stays in the log; a run
/// that delivered nothing because of it ends with exit 1 and the reason in one line.
@Suite struct UnreachableBrokerTests {
    @Test func producersKeepRetryingAndSayWhy() throws {
        let dir = PulseBinary.temporaryDirectory()
        let result = try PulseBinary.run(
            ["produce", "--brokers", "127.0.0.1:1", "--duration", "4", "--status-interval", "1"], directory: dir,
            timeout: 30)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("broker acknowledged none"), "stderr: \(result.stderr)")
        #expect(result.stdout.contains("RETRYING"))
        #expect(result.stdout.contains("waiting for the broker"))
        #expect(result.stdout.contains("summary"))
        let logs = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("logs").path)
        #expect(logs.contains { $0.hasSuffix(".log") && $0.contains("/pulse.") })
    }
}
