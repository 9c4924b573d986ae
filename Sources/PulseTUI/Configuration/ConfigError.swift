/// A configuration problem the user can fix: which flag, variable or `.env` line, and what is wrong with it.
struct ConfigError: Error, CustomStringConvertible {
    /// Kinds of configuration failure; cases can be added without breaking callers.
    struct Code: Hashable, Sendable {
        fileprivate let name: String
        static let invalidValue = Code(name: "invalidValue")
        static let dotEnvSyntax = Code(name: "dotEnvSyntax")
        static let logFile = Code(name: "logFile")
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
