import Foundation
import Testing

/// Each subcommand takes exactly its own options: its `--help` lists them and no other, and any other flag
/// of the binary is refused with one line and exit 64 before anything starts.
@Suite struct SubcommandOptionsTests {
    static let run = ["--duration", "--log-dir", "--log-format"]
    static let status = ["--status-interval"]
    static let producers = ["--speed", "--seed", "--start", "--bike-interval", "--weather-interval", "--bad-records"]
    static let engine = ["--trigger", "--compaction-interval", "--s3-create-bucket"]
    static let lakehouse = [
        "--lakehouse", "--s3-endpoint", "--s3-region", "--s3-addressing", "--s3-access-key", "--s3-secret-key",
    ]
    static let api = ["--api-port", "--api-host"]
    static let group = ["--group", "--session-timeout"]

    /// The options of each subcommand (besides --help and --version).
    static let options: [String: [String]] = [
        "broker": run + ["--partitions"],
        "produce": run + status + ["--brokers", "--partitions"] + producers,
        "stream": run + status + ["--brokers", "--partitions"] + engine + lakehouse + api + group,
        "inspect": lakehouse + ["--json"],
        "optimize": lakehouse + ["--target-rows"],
        "vacuum": lakehouse + ["--retain-hours", "--dry-run", "--force"],
        "serve": lakehouse + api,
    ]

    /// Every option of the root command: the dashboard and `--no-ui` take them all.
    static let rootOptions =
        ["--no-ui"] + run + status + ["--brokers", "--partitions"] + producers + engine + lakehouse + api

    /// The `--flags` a help text names.
    static func flags(in help: String) -> Set<String> {
        var found = Set<String>()
        var rest = Substring(help)
        while let range = rest.range(of: "--") {
            let name = rest[range.lowerBound...].prefix { $0 == "-" || $0.isLetter || $0.isNumber }
            if name.count > 2 { found.insert(String(name)) }
            rest = rest[range.upperBound...]
        }
        return found
    }

    @Test(arguments: ["broker", "produce", "stream", "inspect", "optimize", "vacuum", "serve"])
    func helpListsExactlyItsOwnOptions(subcommand: String) throws {
        let result = try PulseBinary.run([subcommand, "--help"], timeout: 20)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: pulse-tui \(subcommand)"))
        let expected = Set(Self.options[subcommand]! + ["--help", "--version"])
        #expect(Self.flags(in: result.stdout) == expected, "\(result.stdout)")
        // `help <subcommand>` says the same.
        let viaHelp = try PulseBinary.run(["help", subcommand], timeout: 20)
        #expect(viaHelp.status == 0)
        #expect(Self.flags(in: viaHelp.stdout).subtracting(["--version"]) == expected.subtracting(["--version"]))
    }

    @Test func rootHelpListsEveryOptionAndTheSubcommands() throws {
        let result = try PulseBinary.run(["--help"], timeout: 20)
        #expect(result.status == 0)
        let listed = Self.flags(in: result.stdout)
        for flag in Self.rootOptions + ["--version", "--generate-completion-script"] {
            #expect(listed.contains(flag), "root help lacks \(flag)")
        }
        for subcommand in Self.options.keys { #expect(result.stdout.contains("  \(subcommand) ")) }
    }

    @Test(arguments: ["broker", "produce", "stream", "inspect", "optimize", "vacuum", "serve"])
    func flagsOfOtherCommandsAreRefused(subcommand: String) throws {
        let own = Set(Self.options[subcommand]!)
        for flag in Self.rootOptions + Self.group where !own.contains(flag) {
            let value = ["--no-ui", "--s3-create-bucket"].contains(flag) ? [] : ["1"]
            let result = try PulseBinary.run([subcommand, flag] + value, timeout: 20)
            #expect(result.status == 64, "\(subcommand) \(flag): exit \(result.status)")
            #expect(
                result.stderr
                    == "pulse-tui: error: '\(subcommand)' does not take \(flag) (see 'pulse-tui \(subcommand) --help')\n",
                "\(subcommand) \(flag): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func versionNamesTheBinaryAndItsLibrdkafka() throws {
        for arguments in [["--version"], ["inspect", "--version"]] {
            let result = try PulseBinary.run(arguments, timeout: 20)
            #expect(result.status == 0)
            let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(line.hasPrefix("pulse-tui 0."), "\(line)")
            #expect(line.contains("(librdkafka 2."), "\(line)")
            #expect(!line.contains("\n"))
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsKnowEachSubcommandsOptions(shell: String) throws {
        let result = try PulseBinary.run(["--generate-completion-script", shell], timeout: 20)
        #expect(result.status == 0)
        for subcommand in Self.options.keys { #expect(result.stdout.contains(subcommand)) }
        #expect(result.stdout.contains("retain-hours") && result.stdout.contains("bike-interval"))
    }

    @Test func aVariableForAnotherCommandDoesNotStopThisOne() throws {
        // `inspect` reads no broker: a bad REDPANDA_BROKERS is not its business (the run fails on the
        // missing lakehouse instead, exit 1).
        let result = try PulseBinary.run(["inspect"], environment: ["REDPANDA_BROKERS": "not a broker"], timeout: 20)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no lakehouse"), "\(result.stderr)")
        #expect(!result.stderr.contains("REDPANDA_BROKERS"))
    }
}
