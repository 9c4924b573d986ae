import Logging
import Synchronization

/// Points swift-log at the run's log file once per process; every component then logs through `Logger`.
struct LoggingSetup {
    private static let bootstrapped = Mutex<FileLogHandler.Sink?>(nil)
    let sink: FileLogHandler.Sink
    let logger: Logger

    init(directory: String, format: LogFormat = .text) throws {
        let sink = try Self.bootstrapped.withLock { existing -> FileLogHandler.Sink in
            if let existing { return existing }
            let sink = try FileLogHandler.Sink(directory: directory, format: format)
            LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink) }
            existing = sink
            return sink
        }
        self.sink = sink
        self.logger = Logger(label: "pulse-tui")
    }
}
