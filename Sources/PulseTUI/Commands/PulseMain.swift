import ArgumentParser
import CNCurses
import Foundation
import PulseCore

/// Entry point: parses the command line and turns every usage error into one line plus a hint,
/// with a non-zero exit, instead of ArgumentParser's multi-line usage dump.
///
/// A subcommand named first is parsed on its own, so it takes exactly its own options: parsed under the root,
/// ArgumentParser would hand the root's options (the dashboard's) to the root wherever they stand, and
/// `inspect --speed 5` would run. Anything else is the root's: the dashboard or `--no-ui`, `--version`,
/// `help`, `--generate-completion-script`.
@main
enum PulseMain {
    static func main() {
        ProcessMemory.limitMallocArenas()
        lineBufferStandardOutput()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let name = arguments.first,
            let subcommand = PulseCommand.configuration.subcommands.first(where: { $0._commandName == name })
        {
            execute(subcommand, Array(arguments.dropFirst()), help: "pulse-tui \(name) --help")
        } else {
            execute(PulseCommand.self, arguments, help: "pulse-tui --help")
        }
    }

    /// Parses `arguments` as `command` and runs it; every failure ends the process with one line.
    static func execute(_ command: any ParsableCommand.Type, _ arguments: [String], help: String) -> Never {
        do {
            var parsed = try command.parseAsRoot(arguments)
            // Reached through the root: the root took options meant to follow the subcommand's name.
            if command == PulseCommand.self, let name = PulseCommand.subcommandName(of: parsed) {
                fail(
                    "'\(name)' comes first and its options after it: pulse-tui \(name) [options]",
                    help: "pulse-tui \(name) --help")
            }
            try parsed.run()
            exit(0)
        } catch let error as ConfigError {
            fail("\(error)", help: help)
        } catch {
            let code = command.exitCode(for: error)
            if code == .success {
                print(command.fullMessage(for: error))
                exit(0)
            }
            var message =
                command.message(for: error)
                .split(separator: "\n").first.map(String.init) ?? "\(error)"
            if message.hasPrefix("Error: ") { message.removeFirst(7) }
            fail(Self.naming(command, in: message), code: code.rawValue, help: help)
        }
    }

    /// ArgumentParser's "Unknown option '--speed'" for a subcommand as "'inspect' does not take --speed": the flag
    /// may well exist, for another command.
    static func naming(_ command: any ParsableCommand.Type, in message: String) -> String {
        let prefix = "Unknown option '"
        guard command != PulseCommand.self, message.hasPrefix(prefix), message.hasSuffix("'") else { return message }
        let option = message.dropFirst(prefix.count).dropLast()
        return "'\(command._commandName)' does not take \(option)"
    }

    /// Prints `message` as one line on stderr and exits non-zero; usage errors (64) get the help hint,
    /// run-time failures (a missing bucket, refused credentials: 1) do not, as help would not fix them.
    static func fail(_ message: String, code: Int32 = 64, help: String = "pulse-tui --help") -> Never {
        let hint = code == 64 ? " (see '\(help)')" : ""
        FileHandle.standardError.write(Data("pulse-tui: error: \(message)\(hint)\n".utf8))
        exit(code == 0 ? 1 : code)
    }

    /// Piped output must survive a kill: flush each status line as it is printed.
    static func lineBufferStandardOutput() {
        pulse_line_buffer_stdout()
    }
}

/// `pulse-tui`: the dashboard (or `--no-ui` headless) over producers and engine, plus the parts as subcommands.
struct PulseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pulse-tui",
        abstract:
            "City Mobility Pulse: bike-share and weather producers, Kafka, and a Delta Lake medallion in one binary.",
        usage: "pulse-tui [options]\n       pulse-tui <subcommand> [options]",
        discussion: """
            Without a subcommand: the producers, the engine and the dashboard (or, with --no-ui, a status line per \
            interval). Each subcommand takes only its own options: 'pulse-tui <subcommand> --help' lists them. Shell \
            completion: 'pulse-tui --generate-completion-script bash|zsh|fish'.
            """,
        version: PulseVersion.description,
        subcommands: [
            BrokerCommand.self, ProduceCommand.self, StreamCommand.self, InspectCommand.self, OptimizeCommand.self,
            VacuumCommand.self, ServeCommand.self,
        ])

    @Flag(name: .customLong("no-ui"), help: "Run headless: one status line per interval instead of the dashboard.")
    var noUI = false

    @OptionGroup(title: "Run") var process: ProcessOptions
    @OptionGroup(title: "Run") var status: StatusOptions
    @OptionGroup(title: "Kafka") var broker: BrokerOptions
    @OptionGroup(title: "Kafka") var partitions: PartitionOptions
    @OptionGroup(title: "Producers") var simulation: SimulationOptions
    @OptionGroup(title: "Engine") var engine: EngineOptions
    @OptionGroup(title: "Lakehouse") var lakehouse: LakehouseOptions

    @OptionGroup(title: "Read API") var api: APIOptions

    func run() throws {
        let config = try loadConfiguration(process, broker, partitions, simulation, engine, lakehouse)
        let session = try PipelineSession(
            config: config, parts: [.producers, .engine],
            api: try api.resolve(defaultPort: nil, environment: ProcessInfo.processInfo.environment))
        if noUI {
            try session.runHeadless(statusInterval: status.statusInterval)
        } else {
            try session.runDashboard()
        }
    }

    /// The name of the subcommand `command` is, nil for the root itself and for `help`.
    static func subcommandName(of command: any ParsableCommand) -> String? {
        configuration.subcommands.first { type(of: command) == $0 }?._commandName
    }
}

/// The version `--version` prints, with the librdkafka the binary runs (builds differ, and some brokers need
/// a newer one).
enum PulseVersion {
    static let number = "0.13.0"
    static var description: String { "pulse-tui \(number) (librdkafka \(KafkaLibrary.version))" }
}

/// Resolves the configuration from the given option groups, the process environment and `./.env`.
func loadConfiguration(_ groups: any ConfigurationOptions...) throws -> PulseConfiguration {
    var input = ConfigurationInput()
    for group in groups { group.contribute(to: &input) }
    let dotEnv = try DotEnv.load(path: ".env")
    return try PulseConfiguration.resolve(
        options: input, environment: ProcessInfo.processInfo.environment, dotEnv: dotEnv)
}
