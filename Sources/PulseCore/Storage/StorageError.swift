/// The one error type of the Storage layer: what failed, on which key of which store, and why.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; a struct over a private enum so kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case notFound, io, invalidKey, permissionDenied, noSpace, unavailable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The key does not exist.
        public static let notFound = Code(.notFound)
        /// A read, write, sync, rename or link failed.
        public static let io = Code(.io)
        /// The key is empty, absolute, or climbs out of the root with `..`.
        public static let invalidKey = Code(.invalidKey)
        /// The operating system or the server refused access.
        public static let permissionDenied = Code(.permissionDenied)
        /// The disk or quota is full.
        public static let noSpace = Code(.noSpace)
        /// The service could not be reached or answered with a server error.
        public static let unavailable = Code(.unavailable)

        public var description: String {
            switch base {
            case .notFound: return "not found"
            case .io: return "I/O error"
            case .invalidKey: return "invalid key"
            case .permissionDenied: return "permission denied"
            case .noSpace: return "no space left"
            case .unavailable: return "unavailable"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The key the operation was about ("" for whole-store operations).
    public var key: String
    /// The store's description ("file:///data/lakehouse").
    public var store: String
    /// The operation that failed ("put", "link", "open" ...).
    public var operation: String
    /// `errno` when a system call failed.
    public var errno: Int32?
    /// Extra detail for the user (a system error string, an HTTP status line).
    public var message: String

    public init(
        code: Code, key: String, store: String, operation: String, errno: Int32? = nil, message: String = ""
    ) {
        self.code = code
        self.key = key
        self.store = store
        self.operation = operation
        self.errno = errno
        self.message = message
    }

    public var description: String {
        var text =
            key.isEmpty
            ? "storage \(code) during \(operation) of \(store)"
            : "storage \(code) during \(operation) of '\(key)' in \(store)"
        if let errno { text += " (errno \(errno))" }
        if !message.isEmpty { text += ": \(message)" }
        return text
    }
}
