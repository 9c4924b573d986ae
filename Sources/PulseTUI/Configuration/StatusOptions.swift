import ArgumentParser

/// `--status-interval`: how often a headless run (`--no-ui`, `produce`, `stream`) prints its status.
struct StatusOptions: ParsableArguments {
    @Option(name: .customLong("status-interval"), help: "Seconds between headless status lines.")
    var statusInterval: Double = 5

    func validate() throws {
        let range = PulseConfiguration.Limits.statusInterval
        guard statusInterval.isFinite, range.contains(statusInterval) else {
            throw ValidationError(
                "--status-interval must be a number from \(range.lowerBound) to \(Int(range.upperBound))")
        }
    }
}
