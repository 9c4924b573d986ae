import Foundation
import Logging
import Synchronization

/// Writes log lines to logs/YYYY-MM-DD/pulse.YYYY-MM-DD_HH-MM-SS.log (the original stack's layout),
/// so the terminal stays free for the dashboard and the status line. With `--log-format json` each record is
/// one JSON object on its own line: `{"time":…,"level":"info","label":"pulse.engine","message":…}` plus its
/// metadata.
struct FileLogHandler: LogHandler {
    /// One open log file shared by every logger of the process.
    final class Sink: Sendable {
        let path: String
        let format: LogFormat
        private let fd: Mutex<Int32>

        init(directory: String, format: LogFormat = .text, now: Date = Date()) throws {
            self.format = format
            let day = Self.format(now, "yyyy-MM-dd")
            let dir = "\(directory)/\(day)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            path = "\(dir)/pulse.\(day)_\(Self.format(now, "HH-mm-ss")).log"
            let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard opened >= 0 else {
                throw ConfigError(.logFile, "cannot open log file \(path): \(String(cString: strerror(errno)))")
            }
            fd = Mutex(opened)
        }

        func write(_ line: String) {
            var bytes = Array(line.utf8)
            bytes.append(10)
            fd.withLock { fd in
                _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            }
        }

        static func format(_ date: Date, _ pattern: String) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone.current
            f.dateFormat = pattern
            return f.string(from: date)
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let stamp = ISO8601DateFormatter.string(
            from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        switch sink.format {
        case .text:
            let meta =
                fields.isEmpty
                ? "" : " " + fields.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
            sink.write("\(stamp) \(event.level) \(label):\(meta) \(event.message)")
        case .json:
            var object: [String: Any] = [
                "time": stamp, "level": "\(event.level)", "label": label, "message": "\(event.message)",
            ]
            if !fields.isEmpty { object["metadata"] = fields.mapValues { "\($0)" } }
            sink.write(JSONLine.encode(object))
        }
    }
}
