import Foundation

/// Reads a `.env` file the way docker compose does for simple files: `KEY=value`, optional `export `,
/// `#` comments, blank lines, and single- or double-quoted values. A line that is none of these is an
/// error naming its line number, rather than a setting silently ignored.
enum DotEnv {
    /// Parses `text` (the contents of `path`, used only in messages).
    static func parse(_ text: String, path: String = ".env") throws -> [String: String] {
        var result: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else {
                throw ConfigError(.dotEnvSyntax, "\(path):\(index + 1): expected KEY=VALUE, got '\(line)'")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard let first = key.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first),
                key.unicodeScalars.allSatisfy({ $0 == "_" || CharacterSet.alphanumerics.contains($0) })
            else {
                throw ConfigError(.dotEnvSyntax, "\(path):\(index + 1): '\(key)' is not a valid variable name")
            }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'" {
                guard value.count >= 2, value.last == quote else {
                    throw ConfigError(
                        .dotEnvSyntax, "\(path):\(index + 1): unterminated \(quote) quote in value of \(key)")
                }
                value = String(value.dropFirst().dropLast())
            } else if let hash = value.range(of: " #") {
                value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            result[key] = value
        }
        return result
    }

    /// Loads `path` if it exists; a missing file is no configuration, not an error.
    static func load(path: String) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(.dotEnvSyntax, "\(path): cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }
}
