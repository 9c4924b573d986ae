import ArgumentParser

/// How long a long-running command runs and where and how it writes its log: every command that runs
/// until stopped (the dashboard, `--no-ui`, `broker`, `produce`, `stream`).
struct ProcessOptions: ConfigurationOptions {
    @Option(name: .customLong("duration"), help: "Stop cleanly after this many seconds (env PULSE_DURATION).")
    var duration: String?

    @Option(name: .customLong("log-dir"), help: "Directory for logs/YYYY-MM-DD/pulse.*.log (default ./logs).")
    var logDirectory: String?

    @Option(
        name: .customLong("log-format"),
        help: "text, or json: status lines and log records as JSON lines, one object each (env PULSE_LOG_FORMAT).")
    var logFormat: String?

    func contribute(to input: inout ConfigurationInput) {
        input.groups.insert(.process)
        input.duration = duration
        input.logDirectory = logDirectory
        input.logFormat = logFormat
    }
}
