import ArgumentParser
import CNCurses
import Foundation
import PulseCore

/// Entry point: parses the command line and turns every usage error into one line plus a hint,
/// with a non-zero exit, instead of ArgumentParser's multi-line usage dump.
@main
enum PulseMain {
    static func main() {
        ProcessMemory.limitMallocArenas()
        lineBufferStandardOutput()
        do {
            var command = try PulseCommand.parseAsRoot()
            try command.run()
        } catch let error as ConfigError {
            fail("\(error)")
        } catch {
            let code = PulseCommand.exitCode(for: error)
            if code == .success {
                print(PulseCommand.fullMessage(for: error))
                exit(0)
            }
            let message =
                PulseCommand.message(for: error)
                .split(separator: "\n").first.map(String.init) ?? "\(error)"
            fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message, code: code.rawValue)
        }
    }

    /// Prints `message` as one line on stderr and exits non-zero; usage errors (64) get the help hint,
    /// run-time failures (a missing bucket, refused credentials: 1) do not, as help would not fix them.
    static func fail(_ message: String, code: Int32 = 64) -> Never {
        let hint = code == 64 ? " (see 'pulse-tui --help')" : ""
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
        subcommands: [
            BrokerCommand.self, ProduceCommand.self, StreamCommand.self, InspectCommand.self, OptimizeCommand.self,
            VacuumCommand.self, ServeCommand.self,
        ])

    @Flag(name: .customLong("no-ui"), help: "Run headless: one status line per interval instead of the dashboard.")
    var noUI = false

    @OptionGroup var options: RunOptions

    @OptionGroup var status: StatusOptions

    @OptionGroup var api: APIOptions

    func run() throws {
        let config = try loadConfiguration(options)
        let session = try PipelineSession(
            config: config, parts: [.producers, .engine],
            api: try api.resolve(defaultPort: nil, environment: ProcessInfo.processInfo.environment))
        if noUI {
            try session.runHeadless(statusInterval: status.statusInterval)
        } else {
            try session.runDashboard()
        }
    }
}

/// Resolves the configuration from flags, the process environment and `./.env`.
func loadConfiguration(_ options: RunOptions) throws -> PulseConfiguration {
    let dotEnv = try DotEnv.load(path: ".env")
    return try PulseConfiguration.resolve(
        options: options, environment: ProcessInfo.processInfo.environment, dotEnv: dotEnv)
}
