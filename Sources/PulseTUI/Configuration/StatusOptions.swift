import ArgumentParser

/// `--status-interval`, shared by every headless command as one option group. Declared once, the root
/// command and a subcommand see the same parsed value; declared separately in each, the root took the
/// value and `stream --status-interval 1` silently kept the default.
struct StatusOptions: ParsableArguments {
    @Option(name: .customLong("status-interval"), help: "Seconds between headless status lines (default 5).")
    var statusInterval: Double = 5

    func validate() throws {
        let range = PulseConfiguration.Limits.statusInterval
        guard statusInterval.isFinite, range.contains(statusInterval) else {
            throw ValidationError(
                "--status-interval must be a number from \(range.lowerBound) to \(Int(range.upperBound))")
        }
    }
}
