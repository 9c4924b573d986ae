import Foundation

/// One JSON object as one line (keys sorted, slashes unescaped), for `--log-format json`: status lines on
/// stdout and log records in the log file.
enum JSONLine {
    static func encode(_ object: [String: Any]) -> String {
        guard JSONSerialization.isValidJSONObject(object),
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return #"{"error":"unencodable record"}"# }
        return String(decoding: data, as: UTF8.self)
    }
}
